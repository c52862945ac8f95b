"""Participants: the end users of the customer's application, unique by identifier per project.

Read DTOs always carry ``metadata`` as an object (the Python SDK rejects null).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from literal_app.models.tracing import ID_MAX, Participant, Thread
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.limits import check_json, clean_text
from literal_app.services.kernel.scoping import owned


@dataclass(frozen=True)
class ParticipantRead:
    id: str
    identifier: str
    metadata: dict
    created_at: datetime
    last_engaged: datetime | None
    thread_count: int
    token_count: int
    cost: float

    @classmethod
    def of(cls, p: Participant) -> "ParticipantRead":
        return cls(p.id, p.identifier, p.meta if isinstance(p.meta, dict) else {}, p.created_at,
                   p.last_engaged_at, p.thread_count or 0, p.token_count or 0, p.cost or 0.0)


def _clean_identifier(identifier: str | None) -> str:
    identifier = (identifier or "").strip()
    if not identifier:
        raise Invalid("A participant identifier is required.")
    if len(identifier) > ID_MAX:
        raise Invalid(f"A participant identifier is at most {ID_MAX} characters.")
    return clean_text(identifier)


def _metadata(value: Any) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise Invalid("Participant metadata must be a JSON object.")
    return check_json(value, "metadata")


def get_participant(session: Session, actor: Actor, *, id: str | None = None,
                    identifier: str | None = None) -> ParticipantRead | None:
    """By id or identifier; None when unknown (the clients expect null, not an error)."""
    require(actor, "observability:read")
    q = select(Participant).where(Participant.project_id == actor.project_id)
    if id:
        q = q.where(Participant.id == id)
    elif identifier:
        q = q.where(Participant.identifier == identifier)
    else:
        return None
    row = session.exec(q).first()
    return ParticipantRead.of(row) if row else None


def create_participant(session: Session, actor: Actor, *, identifier: str,
                       metadata: Any = None) -> ParticipantRead:
    """Create a participant; an existing identifier returns that participant with metadata updated."""
    require(actor, "observability:write")
    identifier = _clean_identifier(identifier)
    row = session.exec(select(Participant).where(Participant.project_id == actor.project_id,
                                                 Participant.identifier == identifier)).first()
    if row is None:
        row = Participant(project_id=actor.project_id, identifier=identifier, meta=_metadata(metadata))
    elif metadata is not None:
        row.meta = _metadata(metadata)
    session.add(row)
    session.flush()
    return ParticipantRead.of(row)


def update_participant(session: Session, actor: Actor, id: str, *, identifier: str | None = None,
                       metadata: Any = None) -> ParticipantRead:
    """Change the given fields only."""
    require(actor, "observability:write")
    row = owned(session, Participant, id, actor, "Participant not found.")
    if identifier is not None and identifier != row.identifier:
        identifier = _clean_identifier(identifier)
        clash = session.exec(select(Participant.id).where(Participant.project_id == actor.project_id,
                                                          Participant.identifier == identifier)).first()
        if clash:
            raise Invalid(f"Another participant already has the identifier {identifier!r}.")
        row.identifier = identifier
    if metadata is not None:
        row.meta = _metadata(metadata)
    session.add(row)
    session.flush()
    return ParticipantRead.of(row)


def delete_participant(session: Session, actor: Actor, id: str) -> ParticipantRead:
    """Delete a participant; its threads stay, unlinked."""
    require(actor, "observability:write")
    row = owned(session, Participant, id, actor, "Participant not found.")
    read = ParticipantRead.of(row)
    session.execute(update(Thread).where(Thread.project_id == actor.project_id, Thread.participant_id == id)
                    .values(participant_id=None))
    session.delete(row)
    session.flush()
    return read


def list_participants(session: Session, actor: Actor, req):
    """A page of ParticipantReads (newest first unless ordered otherwise)."""
    from literal_app.services.logs import query_fields
    from literal_app.services.logs.querying import Page, list_page

    require(actor, "observability:read")
    base = select(Participant).where(Participant.project_id == actor.project_id)
    page = list_page(session, query_fields.PARTICIPANTS, base, req)
    return Page([ParticipantRead.of(p) for p in page.rows], page.cursors, page.has_next, page.has_previous,
                page.total_count)
