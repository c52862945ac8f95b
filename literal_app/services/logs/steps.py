"""Steps: read one, list with filters, create/update (through ingestion), delete; generations."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session

from literal_app.models.tracing import Attachment, Score, Step
from literal_app.services.ingestion import ingest_steps
from literal_app.services.ingestion.aggregates import refresh_participants, refresh_threads
from literal_app.services.ingestion.attachment_files import release_step_files
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned, owned_or_none
from literal_app.services.logs import query_fields
from literal_app.services.logs.querying import Page, PageRequest, list_page
from literal_app.services.logs.tracing_reads import GenerationRead, StepRead, step_reads


def get_step(session: Session, actor: Actor, step_id: str) -> StepRead | None:
    """The step with its generation, scores and attachments; None when unknown."""
    require(actor, "observability:read")
    row = owned_or_none(session, Step, step_id, actor)
    return step_reads(session, [row])[0] if row else None


def list_steps(session: Session, actor: Actor, req: PageRequest) -> Page:
    """A page of StepReads (newest first unless ordered otherwise)."""
    require(actor, "observability:read")
    base = select(Step).where(Step.project_id == actor.project_id)
    page = list_page(session, query_fields.STEPS, base, req)
    return Page(step_reads(session, page.rows), page.cursors, page.has_next, page.has_previous, page.total_count)


def list_generations(session: Session, actor: Actor, req: PageRequest) -> Page:
    """A page of GenerationReads: every step carrying a generation, id = step id."""
    require(actor, "observability:read")
    base = select(Step).where(Step.project_id == actor.project_id, Step.generation_type.is_not(None))
    page = list_page(session, query_fields.GENERATIONS, base, req)
    return Page([GenerationRead.of(s) for s in page.rows], page.cursors, page.has_next, page.has_previous,
                page.total_count)


def thread_steps(session: Session, actor: Actor, thread_id: str, types: tuple[str, ...] | None = None) -> list[StepRead]:
    """A thread's steps in conversation order (start time, then creation)."""
    require(actor, "observability:read")
    q = select(Step).where(Step.project_id == actor.project_id, Step.thread_id == thread_id)
    if types:
        q = q.where(Step.type.in_(types))
    rows = session.execute(q).scalars().all()
    rows = sorted(rows, key=lambda s: (s.start_time or s.created_at, s.created_at, s.id))
    return step_reads(session, list(rows))


def _ingest_one(session: Session, actor: Actor, fields: dict[str, Any]) -> StepRead:
    result = ingest_steps(session, actor, [fields])[0]
    if not result.ok:
        raise Invalid(result.message or "The step could not be stored.")
    return get_step(session, actor, fields["id"])


def create_step(session: Session, actor: Actor, **fields: Any) -> StepRead:
    """A new step with a server id; ``type`` defaults to ``undefined``."""
    require(actor, "observability:write")
    return _ingest_one(session, actor, {**fields, "id": str(uuid.uuid4())})


def update_step(session: Session, actor: Actor, step_id: str, **fields: Any) -> StepRead:
    """Change the given non-null fields of an existing step."""
    require(actor, "observability:write")
    owned(session, Step, step_id, actor, "Step not found.")
    return _ingest_one(session, actor, {**fields, "id": step_id})


def create_generation(session: Session, actor: Actor, generation: dict) -> GenerationRead:
    """An ``llm`` step holding ``generation`` (no thread, no parent); its id is the generation id."""
    require(actor, "observability:write")
    generation = dict(generation or {})
    step_id = generation.pop("id", None) or str(uuid.uuid4())
    name = generation.get("model") or generation.get("type") or "generation"
    fields = {"id": step_id, "type": "llm", "name": name, "generation": generation,
              "tags": generation.get("tags"), "metadata": generation.get("metadata")}
    step = _ingest_one(session, actor, fields)
    if step.generation is None:
        raise Invalid("The generation is empty.")
    return step.generation


def delete_step(session: Session, actor: Actor, step_id: str) -> StepRead:
    """Delete a step with its scores and attachments (and their unused files); refresh its thread's aggregates."""
    require(actor, "observability:write")
    row = owned(session, Step, step_id, actor, "Step not found.")
    read = step_reads(session, [row])[0]
    release_step_files(session, actor.project_id, [step_id])
    session.execute(delete(Score).where(Score.step_id == step_id, Score.project_id == actor.project_id))
    session.execute(delete(Attachment).where(Attachment.step_id == step_id,
                                             Attachment.project_id == actor.project_id))
    session.delete(row)
    session.flush()
    refresh_participants(session, actor.project_id, refresh_threads(session, actor.project_id, [row.thread_id]))
    return read
