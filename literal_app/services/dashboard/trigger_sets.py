"""A set of database triggers that keeps derived columns and rollups exact inside the database
(PostgreSQL functions with statement triggers, SQLite row triggers), whatever path writes the rows.

Migrations install and remove a set; the bench seed switches it off while it bulk-loads and fills the
derived rows itself with the migrations' backfill. One place for that logic, shared by the dashboard's
facet set (``facet_sql``) and the scores' step-dimension set (``score_sql``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

Execute = Callable[[str], object]


@dataclass(frozen=True)
class TriggerSet:
    """The DDL of one trigger set; ``table_of`` names the PostgreSQL table each trigger is on."""

    pg_functions: list[str]
    pg_function_names: tuple[str, ...]
    pg_triggers: dict[str, str]
    sqlite_triggers: dict[str, str]
    table_of: Callable[[str], str]

    def create(self, execute: Execute, dialect: str) -> None:
        """Create the functions (PostgreSQL) and the triggers with ``execute(sql)``."""
        if dialect == "postgresql":
            for ddl in self.pg_functions:
                execute(ddl)
        for name, body in self._triggers(dialect).items():
            execute(f"CREATE TRIGGER {name} {body}")

    def drop(self, execute: Execute, dialect: str) -> None:
        """Remove the triggers and (PostgreSQL) their functions."""
        if dialect != "postgresql":
            for name in self.sqlite_triggers:
                execute(f"DROP TRIGGER IF EXISTS {name}")
            return
        for name in self.pg_triggers:
            execute(f"DROP TRIGGER IF EXISTS {name} ON {self.table_of(name)}")
        for fn in self.pg_function_names:
            execute(f"DROP FUNCTION IF EXISTS {fn}")

    def switch(self, execute: Execute, dialect: str, on: bool) -> None:
        """Turn the set off for a bulk load and back on (PostgreSQL disables the triggers in place;
        SQLite has no such switch, so its triggers are dropped and created again)."""
        if dialect != "postgresql":
            (self.create if on else self.drop)(execute, dialect)
            return
        verb = "ENABLE" if on else "DISABLE"
        for name in self.pg_triggers:
            execute(f"ALTER TABLE {self.table_of(name)} {verb} TRIGGER {name}")

    def _triggers(self, dialect: str) -> dict[str, str]:
        return self.pg_triggers if dialect == "postgresql" else self.sqlite_triggers
