"""Folding a rollup table's pending deltas into it: the compaction the dashboard's step rollups
and the prompt library's per-version rollup share.

A rollup table ``T`` (primary key: its dimensions) has a twin ``T_delta`` (the same columns and an
autoincrement ``id``) to which database triggers append signed contributions. Readers sum both
tables, so figures are exact at any moment; folding moves a project's deltas into ``T``, summed
per dimensions and added on conflict, without changing any figure read. Callers serialise folds
of one project (an advisory lock on PostgreSQL; SQLite has one writer).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import text
from sqlmodel import Session


@dataclass(frozen=True)
class DeltaRollup:
    table: str
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]

    @cached_property
    def _sql(self) -> tuple[str, str, str, str]:
        cols = ", ".join(self.dimensions + self.measures)
        dims = ", ".join(self.dimensions)
        sums = ", ".join(f"sum({m})" for m in self.measures)
        add = ", ".join(f"{m} = {self.table}.{m} + excluded.{m}" for m in self.measures)
        return cols, dims, sums, add

    @cached_property
    def _pg_fold(self):
        """One statement: the deltas deleted are the ones summed in (no row can slip between)."""
        cols, dims, sums, add = self._sql
        return text(f"WITH moved AS (DELETE FROM {self.table}_delta WHERE project_id = :p RETURNING {cols}) "
                    f"INSERT INTO {self.table} ({cols}) SELECT {dims}, {sums} FROM moved GROUP BY {dims} "
                    f"ON CONFLICT ({dims}) DO UPDATE SET {add}")

    @cached_property
    def _sqlite_fold(self):
        """Up to the highest delta id seen first: deltas appended meanwhile stay for the next fold."""
        cols, dims, sums, add = self._sql
        return (text(f"SELECT max(id) FROM {self.table}_delta WHERE project_id = :p"),
                text(f"INSERT INTO {self.table} ({cols}) SELECT {dims}, {sums} FROM {self.table}_delta "
                     f"WHERE project_id = :p AND id <= :top GROUP BY {dims} ON CONFLICT ({dims}) DO UPDATE SET {add}"),
                text(f"DELETE FROM {self.table}_delta WHERE project_id = :p AND id <= :top"))

    def fold(self, session: Session, project_id: str) -> None:
        """Fold the project's pending deltas into the rollup."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(self._pg_fold, {"p": project_id})
            return
        top_of, fold, delete = self._sqlite_fold
        top = session.execute(top_of, {"p": project_id}).scalar()
        if top is not None:
            session.execute(fold, {"p": project_id, "top": top})
            session.execute(delete, {"p": project_id, "top": top})
