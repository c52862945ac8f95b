"""Scores on steps (or experiment items): list with filters, create, update, delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from literal_app.services.ingestion.validate import score_input
from literal_app.models.tracing import Score
from literal_app.models.types import utcnow
from literal_app.services.logs import query_fields
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.logs.querying import Page, PageRequest, list_page
from literal_app.services.logs.tracing_reads import ScoreRead
from literal_app.services.kernel.scoping import owned


def list_scores(session: Session, actor: Actor, req: PageRequest) -> Page:
    require(actor, "observability:read")
    page = list_page(session, query_fields.SCORES, select(Score).where(Score.project_id == actor.project_id), req)
    return Page([ScoreRead.of(s) for s in page.rows], page.cursors, page.has_next, page.has_previous,
                page.total_count)


def create_score(session: Session, actor: Actor, *, name: str, type: str, value: float,
                 step_id: str | None = None, generation_id: str | None = None, **extra: Any) -> ScoreRead:
    """A score with a server id; the step need not exist yet (``generationId`` is a step id)."""
    require(actor, "observability:write")
    fields = score_input({"name": name, "type": type, "value": value, **extra}, step_id or generation_id)
    fields.pop("id")
    row = Score(project_id=actor.project_id, created_by_id=actor.member_id, **fields)
    session.add(row)
    session.flush()
    return ScoreRead.of(row)


def get_score(session: Session, actor: Actor, score_id: str) -> ScoreRead | None:
    require(actor, "observability:read")
    row = session.get(Score, score_id)
    return ScoreRead.of(row) if row is not None and row.project_id == actor.project_id else None


def update_score(session: Session, actor: Actor, score_id: str, **changes: Any) -> ScoreRead:
    """Change ``value`` and/or ``comment`` (an explicit null comment clears it); absent keys stay."""
    require(actor, "observability:write")
    row = owned(session, Score, score_id, actor, "Score not found.")
    if changes.get("value") is not None:
        value = changes["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise Invalid("A score value must be a finite number.")
        row.value = float(value)
    if "comment" in changes:
        row.comment = changes["comment"]
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return ScoreRead.of(row)


def delete_score(session: Session, actor: Actor, score_id: str) -> ScoreRead:
    require(actor, "observability:write")
    row = owned(session, Score, score_id, actor, "Score not found.")
    read = ScoreRead.of(row)
    session.delete(row)
    session.flush()
    return read
