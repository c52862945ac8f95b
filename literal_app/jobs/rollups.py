"""Fold pending dashboard rollup deltas (scheduled after ingestion, ``services.ingestion.followups``;
idempotent)."""

from __future__ import annotations

from literal_app.db import session_scope
from literal_app.services.dashboard import rollups


def compact(project_id: str) -> None:
    """Figures read before and after are identical; reads just get smaller."""
    with session_scope() as session:
        rollups.compact(session, project_id)
