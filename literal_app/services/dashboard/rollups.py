"""Reading and compacting the daily step rollups (``models/analytics.py``).

Readers take ``rollup_rows(project_id)`` (or ``facet_rows(project_id, facet)`` for a run-name or
tag filter): the folded rollup rows plus the pending deltas, so a sum over it is exact even while
ingestion appends deltas. ``compact`` folds deltas into the rollups (``kernel.delta_rollups``),
serialised per project.
"""

from __future__ import annotations

from sqlalchemy import func, select, text, union_all
from sqlmodel import Session

from literal_app.models.analytics import (
    FACET_DIMENSIONS,
    ROLLUP_DIMENSIONS,
    ROLLUP_MEASURES,
    StepFacetRollup,
    StepFacetRollupDelta,
    StepRollup,
    StepRollupDelta,
)
from literal_app.services.kernel.delta_rollups import DeltaRollup

_ROLLUPS = (DeltaRollup("step_rollup", ROLLUP_DIMENSIONS, ROLLUP_MEASURES),
            DeltaRollup("step_facet_rollup", FACET_DIMENSIONS, ROLLUP_MEASURES))


def rollup_rows(project_id: str):
    """A subquery of rollup-shaped rows (folded + pending) for one project."""
    parts = []
    for table in (StepRollup, StepRollupDelta):
        cols = [getattr(table, c) for c in ROLLUP_DIMENSIONS + ROLLUP_MEASURES]
        parts.append(select(*cols).where(table.project_id == project_id))
    return union_all(*parts).subquery("r")


def facet_rows(project_id: str, facet: str):
    """``rollup_rows`` of the steps carrying ``facet`` ("r:<run name>", "t:<tag>")."""
    parts = []
    for table in (StepFacetRollup, StepFacetRollupDelta):
        cols = [getattr(table, c) for c in ROLLUP_DIMENSIONS + ROLLUP_MEASURES]
        parts.append(select(*cols).where(table.project_id == project_id, table.facet == facet))
    return union_all(*parts).subquery("r")


def pending_deltas(session: Session, project_id: str) -> int:
    return session.exec(select(func.count()).select_from(StepRollupDelta)
                        .where(StepRollupDelta.project_id == project_id)).one()


def compact(session: Session, project_id: str) -> None:
    """Fold the project's pending deltas into the rollups (no change to any figure read)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:p))"), {"p": project_id})
    for rollup in _ROLLUPS:
        rollup.fold(session, project_id)


def has_rows(session: Session, project_id: str) -> bool:
    """True when the project has any step (folded or pending)."""
    for table in (StepRollup, StepRollupDelta):
        if session.exec(select(table.project_id).where(table.project_id == project_id).limit(1)).first():
            return True
    return False
