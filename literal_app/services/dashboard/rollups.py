"""Reading and compacting the daily step rollups (``models/analytics.py``).

Readers take ``rollup_rows(project_id)``: the folded rollup rows plus the pending deltas, so a sum
over it is exact even while ingestion appends deltas. ``compact`` folds deltas into the rollup in
one statement (PostgreSQL) or one write transaction (SQLite), serialised per project.
"""

from __future__ import annotations

from sqlalchemy import func, select, text, union_all
from sqlmodel import Session

from literal_app.models.analytics import ROLLUP_DIMENSIONS, ROLLUP_MEASURES, StepRollup, StepRollupDelta

_COLS = ", ".join(ROLLUP_DIMENSIONS + ROLLUP_MEASURES)
_DIMS = ", ".join(ROLLUP_DIMENSIONS)
_SUMS = ", ".join(f"sum({m})" for m in ROLLUP_MEASURES)
_ADD = ", ".join(f"{m} = step_rollup.{m} + excluded.{m}" for m in ROLLUP_MEASURES)

_PG_COMPACT = text(
    f"WITH moved AS (DELETE FROM step_rollup_delta WHERE project_id = :p RETURNING {_COLS}) "
    f"INSERT INTO step_rollup ({_COLS}) SELECT {_DIMS}, {_SUMS} FROM moved GROUP BY {_DIMS} "
    f"ON CONFLICT ({_DIMS}) DO UPDATE SET {_ADD}")


def rollup_rows(project_id: str):
    """A subquery of rollup-shaped rows (folded + pending) for one project."""
    parts = []
    for table in (StepRollup, StepRollupDelta):
        cols = [getattr(table, c) for c in ROLLUP_DIMENSIONS + ROLLUP_MEASURES]
        parts.append(select(*cols).where(table.project_id == project_id))
    return union_all(*parts).subquery("r")


def pending_deltas(session: Session, project_id: str) -> int:
    return session.exec(select(func.count()).select_from(StepRollupDelta)
                        .where(StepRollupDelta.project_id == project_id)).one()


def compact(session: Session, project_id: str) -> None:
    """Fold the project's pending deltas into the rollup (no change to any figure read)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:p))"), {"p": project_id})
        session.execute(_PG_COMPACT, {"p": project_id})
        return
    top = session.execute(text("SELECT max(id) FROM step_rollup_delta WHERE project_id = :p"),
                          {"p": project_id}).scalar()
    if top is None:
        return
    session.execute(text(
        f"INSERT INTO step_rollup ({_COLS}) SELECT {_DIMS}, {_SUMS} FROM step_rollup_delta "
        f"WHERE project_id = :p AND id <= :top GROUP BY {_DIMS} ON CONFLICT ({_DIMS}) DO UPDATE SET {_ADD}"),
        {"p": project_id, "top": top})
    session.execute(text("DELETE FROM step_rollup_delta WHERE project_id = :p AND id <= :top"),
                    {"p": project_id, "top": top})





def has_rows(session: Session, project_id: str) -> bool:
    """True when the project has any step (folded or pending)."""
    for table in (StepRollup, StepRollupDelta):
        if session.exec(select(table.project_id).where(table.project_id == project_id).limit(1)).first():
            return True
    return False
