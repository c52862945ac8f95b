"""Fold pending rollup deltas: the dashboard's daily step rollup and the prompt page's per-version
rollup (scheduled after ingestion, ``services.ingestion.followups``; idempotent)."""

from __future__ import annotations

from literal_app.db import session_scope
from literal_app.services.dashboard import rollups
from literal_app.services.prompts import prompt_rollups


def compact(project_id: str) -> None:
    """Figures read before and after are identical; reads just get smaller."""
    with session_scope() as session:
        rollups.compact(session, project_id)
    with session_scope() as session:
        prompt_rollups.compact(session, project_id)
