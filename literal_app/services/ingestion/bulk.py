"""Dialect-aware bulk statements: INSERT ... ON CONFLICT for SQLite and PostgreSQL, executed with
the driver's ``executemany``.

Each statement shape (table, columns, conflict action) is compiled once per dialect and cached;
a batch then costs one ``executemany`` (psycopg pipelines it over a prepared statement), not a
freshly compiled multi-row ``VALUES`` list whose SQL changes with every batch size — compiling
and re-parsing those was most of the ingestion time.

Rows are dicts keyed by column name (``metadata``, not the ``meta`` attribute); every row of a
call has the keys of the first. JSON columns get a SQL NULL (not the JSON ``null``) for None so
``IS NULL`` filters behave.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from sqlalchemy import Table, bindparam, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlmodel import Session


@dataclass(frozen=True)
class _Prepared:
    sql: str
    names: tuple[str, ...]  # parameter order for positional drivers (SQLite), else the dict keys
    positional: bool
    processors: tuple[tuple[str, Callable[[Any], Any] | None], ...]  # per column: bind processor


def _insert(dialect: Dialect, table: Table):
    return pg_insert(table) if dialect.name == "postgresql" else sqlite_insert(table)


@lru_cache(maxsize=256)
def _prepare(dialect: Dialect, table: Table, columns: tuple[str, ...], update: tuple[str, ...] | None,
             keep_nulls: bool, scope: str | None, conflict: tuple[str, ...] | None) -> _Prepared:
    stmt = _insert(dialect, table).values({c: bindparam(c, type_=table.c[c].type) for c in columns})
    if update:
        ex = stmt.excluded
        set_ = {c: (func.coalesce(ex[c], table.c[c]) if keep_nulls else ex[c]) for c in update}
        where = (table.c[scope] == ex[scope]) if scope else None
        stmt = stmt.on_conflict_do_update(index_elements=["id"], set_=set_, where=where)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(conflict) if conflict else None)
    compiled = stmt.compile(dialect=dialect)
    processors = tuple((c, table.c[c].type.dialect_impl(dialect).bind_processor(dialect)) for c in columns)
    return _Prepared(str(compiled), tuple(compiled.positiontup or ()), bool(dialect.positional), processors)


def _execute(session: Session, prepared: _Prepared, rows: list[dict]) -> None:
    params = []
    for r in rows:
        values = {c: (p(r.get(c)) if p is not None and r.get(c) is not None else r.get(c))
                  for c, p in prepared.processors}
        params.append(tuple(values[n] for n in prepared.names) if prepared.positional else values)
    session.connection().exec_driver_sql(prepared.sql, params)


def upsert(session: Session, table: Table, rows: list[dict], *, update: list[str] | None = None,
           keep_nulls: bool = False, scope: str | None = "project_id") -> None:
    """Insert ``rows``; on an id conflict update the ``update`` columns (none: do nothing).

    ``keep_nulls`` keeps the stored value where the new one is NULL. ``scope`` restricts updates
    to rows of the same project, so an id owned by another project is never overwritten.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect
    prepared = _prepare(dialect, table, tuple(rows[0]), tuple(update) if update else None, keep_nulls,
                        scope if update else None, None)
    _execute(session, prepared, rows)


def insert_ignore(session: Session, table: Table, rows: list[dict[str, Any]], conflict: list[str]) -> None:
    """Insert ``rows``, silently skipping those that violate the unique ``conflict`` columns."""
    if rows:
        dialect = session.get_bind().dialect
        _execute(session, _prepare(dialect, table, tuple(rows[0]), None, False, None, tuple(conflict)), rows)


def begin_write(session: Session) -> None:
    """On SQLite, take the write lock before reading (``BEGIN IMMEDIATE``).

    A deferred transaction that reads and then writes fails at once with "database is locked"
    when another writer committed in between (WAL snapshot); an immediate one waits its turn.
    """
    conn = session.connection()
    if conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
