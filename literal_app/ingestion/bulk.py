"""Dialect-aware bulk statements: multi-row INSERT ... ON CONFLICT for SQLite and PostgreSQL.

Rows are dicts keyed by column name (``metadata``, not the ``meta`` attribute). JSON columns get a
SQL NULL (not the JSON ``null``) for None so ``IS NULL`` filters behave.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Table, func, null
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

CHUNK = 400  # rows per statement: stays under SQLite's 32,766 bound parameters


def _insert(session: Session, table: Table):
    return pg_insert(table) if session.get_bind().dialect.name == "postgresql" else sqlite_insert(table)


def _json_nulls(table: Table, rows: list[dict]) -> list[dict]:
    json_cols = [c.name for c in table.columns if _is_json(c)]
    return [{k: (null() if v is None and k in json_cols else v) for k, v in r.items()} for r in rows]


def _is_json(column) -> bool:
    t = column.type
    return isinstance(t, JSON) or isinstance(getattr(t, "impl", None), JSON) or "JSON" in repr(t).upper()


def upsert(session: Session, table: Table, rows: list[dict], *, update: list[str] | None = None,
           keep_nulls: bool = False, scope: str | None = "project_id") -> None:
    """Insert ``rows``; on an id conflict update the ``update`` columns (none: do nothing).

    ``keep_nulls`` keeps the stored value where the new one is NULL. ``scope`` restricts updates
    to rows of the same project, so an id owned by another project is never overwritten.
    """
    if not rows:
        return
    rows = _json_nulls(table, rows)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        stmt = _insert(session, table).values(chunk)
        if update:
            ex = stmt.excluded
            set_ = {c: (func.coalesce(ex[c], table.c[c]) if keep_nulls else ex[c]) for c in update}
            where = (table.c[scope] == ex[scope]) if scope else None
            stmt = stmt.on_conflict_do_update(index_elements=["id"], set_=set_, where=where)
        else:
            stmt = stmt.on_conflict_do_nothing()
        session.execute(stmt)


def insert_ignore(session: Session, table: Table, rows: list[dict[str, Any]], conflict: list[str]) -> None:
    """Insert ``rows``, silently skipping those that violate the unique ``conflict`` columns."""
    if rows:
        session.execute(_insert(session, table).values(rows).on_conflict_do_nothing(index_elements=conflict))


def begin_write(session: Session) -> None:
    """On SQLite, take the write lock before reading (``BEGIN IMMEDIATE``).

    A deferred transaction that reads and then writes fails at once with "database is locked"
    when another writer committed in between (WAL snapshot); an immediate one waits its turn.
    """
    conn = session.connection()
    if conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
