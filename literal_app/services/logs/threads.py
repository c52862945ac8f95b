"""Threads: detail with steps, filtered lists, create/upsert/update (participant by id or
identifier, created on demand) and delete (cascading to steps, scores and attachments)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session

from literal_app.config import get_settings
from literal_app.models.tracing import Attachment, Participant, Score, Step, Thread
from literal_app.models.types import utcnow
from literal_app.services.ingestion.aggregates import refresh_participants
from literal_app.services.ingestion.attachment_files import release_thread_files
from literal_app.services.ingestion.bulk import insert_ignore
from literal_app.services.ingestion.validate import tags as clean_tags
from literal_app.services.ingestion.validate import text
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid, NotFound
from literal_app.services.kernel.limits import check_id, check_json
from literal_app.services.kernel.scoping import owned, owned_or_none
from literal_app.services.logs import query_fields
from literal_app.services.logs.querying import Page, PageRequest, list_page
from literal_app.services.logs.steps import thread_steps
from literal_app.services.logs.tracing_reads import ThreadRead, thread_reads


def get_thread(session: Session, actor: Actor, thread_id: str, with_steps: bool = True) -> ThreadRead | None:
    """The thread with its participant and steps in conversation order; None when unknown."""
    require(actor, "observability:read")
    row = owned_or_none(session, Thread, thread_id, actor)
    if row is None:
        return None
    read = thread_reads(session, [row])[0]
    return read if not with_steps else replace(read, steps=thread_steps(session, actor, thread_id))


def list_threads(session: Session, actor: Actor, req: PageRequest,
                 step_types: list[str] | None = None) -> Page:
    require(actor, "observability:read")
    base = select(Thread).where(Thread.project_id == actor.project_id)
    page = list_page(session, query_fields.THREADS, base, req)
    return Page(thread_reads(session, page.rows, step_types), page.cursors, page.has_next, page.has_previous,
                page.total_count)


def resolve_participant(session: Session, actor: Actor, ref: str) -> Participant:
    """A participant by id, else by identifier, else a new one with that identifier."""
    ref = check_id(ref, "participantId")
    row = session.get(Participant, ref)
    if row is not None and row.project_id == actor.project_id:
        return row
    by_identifier = select(Participant).where(Participant.project_id == actor.project_id,
                                              Participant.identifier == ref)
    row = session.execute(by_identifier).scalars().first()
    if row is None:  # a concurrent request may create the same participant: insert-or-ignore
        insert_ignore(session, Participant.__table__, [{
            "id": str(uuid.uuid4()), "project_id": actor.project_id, "identifier": ref, "created_at": utcnow(),
            "thread_count": 0, "token_count": 0, "cost": 0.0}], ["project_id", "identifier"])
        row = session.execute(by_identifier).scalars().one()
    return row


def _apply(session: Session, actor: Actor, row: Thread, name, metadata, participant_id, tags) -> set[str]:
    """Set the given (non-null) fields; return the participant ids whose aggregates change."""
    changed = {row.participant_id} if row.participant_id else set()
    if name is not None:
        row.name = text(name, "name")
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise Invalid("Thread metadata must be a JSON object.")
        row.meta = check_json(metadata, "metadata")
    if tags is not None:
        row.tags = clean_tags(tags)
    if participant_id is not None:
        row.participant_id = resolve_participant(session, actor, participant_id).id
        changed.add(row.participant_id)
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return changed


def upsert_thread(session: Session, actor: Actor, thread_id: str | None = None, *, name: Any = None,
                  metadata: Any = None, participant_id: str | None = None, tags: Any = None,
                  must_exist: bool = False) -> ThreadRead:
    """Create the thread (server id when ``thread_id`` is None) or update its given fields."""
    require(actor, "observability:write")
    thread_id = check_id(thread_id, "Thread id") if thread_id is not None else str(uuid.uuid4())
    row = session.get(Thread, thread_id)
    if row is not None and row.project_id != actor.project_id:
        raise Invalid(f"The thread id {thread_id!r} is already used by another project; choose another id.")
    if row is None:
        if must_exist:
            raise NotFound("Thread not found.")
        # Ingestion may create the same thread concurrently (the SDKs send steps and the thread
        # upsert in parallel): insert-or-ignore, then load whichever row won.
        now = utcnow()
        insert_ignore(session, Thread.__table__, [{
            "id": thread_id, "project_id": actor.project_id, "created_at": now, "updated_at": now,
            "environment": actor.environment or get_settings().default_environment,
            "step_count": 0, "token_count": 0, "cost": 0.0}], ["id"])
        row = session.get(Thread, thread_id, populate_existing=True)
        if row.project_id != actor.project_id:
            raise Invalid(f"The thread id {thread_id!r} is already used by another project; choose another id.")
    changed = _apply(session, actor, row, name, metadata, participant_id, tags)
    refresh_participants(session, actor.project_id, changed)
    return get_thread(session, actor, thread_id, with_steps=False)  # the API loads steps when asked for


def delete_thread(session: Session, actor: Actor, thread_id: str) -> ThreadRead:
    require(actor, "observability:write")
    row = owned(session, Thread, thread_id, actor, "Thread not found.")
    read = thread_reads(session, [row])[0]
    release_thread_files(session, actor.project_id, thread_id)
    step_ids = select(Step.id).where(Step.thread_id == thread_id, Step.project_id == actor.project_id)
    session.execute(delete(Score).where(Score.project_id == actor.project_id, Score.step_id.in_(step_ids)))
    session.execute(delete(Attachment).where(Attachment.project_id == actor.project_id,
                                             Attachment.step_id.in_(step_ids)))
    session.execute(delete(Step).where(Step.thread_id == thread_id, Step.project_id == actor.project_id))
    participant = row.participant_id
    session.delete(row)
    session.flush()
    refresh_participants(session, actor.project_id, [participant] if participant else [])
    return read
