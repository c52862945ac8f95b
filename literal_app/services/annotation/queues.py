"""Queues of a project: list with pending/reviewed counts, create, edit, delete, and the Default
queue every project has from its creation (``ensure_default_queue``).

Deleting a queue removes its items only: logs, scores and dataset items stay (the scores lose
their link to the deleted items).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlmodel import Session

from literal_app.models.annotation import AnnotationQueue, QueueItem
from literal_app.models.auth import Member
from literal_app.models.tracing import Score
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned
from literal_app.services.kernel.validation import clean_name

DEFAULT_NAME = "Default"
DEFAULT_DESCRIPTION = "Logs to review, added from Logs or from a thread, run or generation page."
DESCRIPTION_MAX = 2000


@dataclass(frozen=True)
class QueueRead:
    id: str
    name: str
    description: str
    is_default: bool
    pending: int
    reviewed: int
    created_by: str
    created_at: datetime


def ensure_default_queue(session: Session, project_id: str) -> None:
    """Create the project's Default queue unless it has one (no role check: project creation)."""
    found = session.execute(select(AnnotationQueue.id).where(AnnotationQueue.project_id == project_id,
                                                             AnnotationQueue.is_default.is_(True))).first()
    if found is None:
        session.add(AnnotationQueue(project_id=project_id, name=DEFAULT_NAME, description=DEFAULT_DESCRIPTION,
                                    is_default=True))
        session.flush()


def owned_queue(session: Session, actor: Actor, queue_id: str, *, for_update: bool = False) -> AnnotationQueue:
    return owned(session, AnnotationQueue, queue_id, actor, "Annotation queue not found.", for_update=for_update)


def counts(session: Session, queue_ids: list[str]) -> dict[str, dict[str, int]]:
    """{queue id: {"pending": n, "reviewed": n}} with one grouped query (index-only)."""
    if not queue_ids:
        return {}
    rows = session.execute(select(QueueItem.queue_id, QueueItem.status, func.count())
                           .where(QueueItem.queue_id.in_(queue_ids))
                           .group_by(QueueItem.queue_id, QueueItem.status)).all()
    out: dict[str, dict[str, int]] = {q: {"pending": 0, "reviewed": 0} for q in queue_ids}
    for qid, status, n in rows:
        out[qid][status] = n
    return out


def _reads(session: Session, rows: list[AnnotationQueue]) -> list[QueueRead]:
    n = counts(session, [q.id for q in rows])
    ids = {q.created_by_id for q in rows if q.created_by_id}
    names = dict(session.execute(select(Member.id, Member.name).where(Member.id.in_(ids))).all()) if ids else {}
    return [QueueRead(q.id, q.name, q.description or "", q.is_default, n[q.id]["pending"], n[q.id]["reviewed"],
                      names.get(q.created_by_id, ""), q.created_at) for q in rows]


def list_queues(session: Session, actor: Actor) -> list[QueueRead]:
    """The project's queues, the Default queue first, then by name."""
    require(actor, "annotations:read")
    rows = session.execute(select(AnnotationQueue).where(AnnotationQueue.project_id == actor.project_id)
                           .order_by(AnnotationQueue.is_default.desc(), AnnotationQueue.name)).scalars().all()
    return _reads(session, list(rows))


def get_queue(session: Session, actor: Actor, queue_id: str) -> QueueRead:
    require(actor, "annotations:read")
    return _reads(session, [owned_queue(session, actor, queue_id)])[0]


def _description(value: str | None) -> str | None:
    value = (value or "").strip()
    if len(value) > DESCRIPTION_MAX:
        raise Invalid(f"The description is too long: {len(value):,} characters (at most {DESCRIPTION_MAX:,}).")
    return value or None


def _check_unique(session: Session, project_id: str, name: str, except_id: str | None = None) -> None:
    q = select(AnnotationQueue.id).where(AnnotationQueue.project_id == project_id, AnnotationQueue.name == name)
    if except_id:
        q = q.where(AnnotationQueue.id != except_id)
    if session.execute(q).first():
        raise Invalid(f"A queue named {name!r} already exists.")


def create_queue(session: Session, actor: Actor, *, name: str, description: str | None = None) -> QueueRead:
    require(actor, "queues:write")
    name = clean_name(name, "Queue name", 256)
    _check_unique(session, actor.project_id, name)
    row = AnnotationQueue(project_id=actor.project_id, name=name, description=_description(description),
                          created_by_id=actor.member_id)
    session.add(row)
    session.flush()
    return _reads(session, [row])[0]


def update_queue(session: Session, actor: Actor, queue_id: str, *, name: str | None = None,
                 description: str | None = None) -> QueueRead:
    """Rename and/or describe a queue (``None`` keeps a field)."""
    require(actor, "queues:write")
    row = owned_queue(session, actor, queue_id)
    if name is not None:
        name = clean_name(name, "Queue name", 256)
        if row.is_default and name != row.name:
            raise Invalid("The Default queue keeps its name.")
        _check_unique(session, actor.project_id, name, except_id=row.id)
        row.name = name
    if description is not None:
        row.description = _description(description)
    session.add(row)
    session.flush()
    return _reads(session, [row])[0]


def delete_queue(session: Session, actor: Actor, queue_id: str) -> QueueRead:
    """Delete a queue and its items; logs, scores and datasets stay."""
    require(actor, "queues:write")
    row = owned_queue(session, actor, queue_id)
    if row.is_default:
        raise Invalid("The Default queue cannot be deleted (every project keeps one).")
    read = _reads(session, [row])[0]
    items = select(QueueItem.id).where(QueueItem.queue_id == row.id)
    session.execute(update(Score).where(Score.project_id == actor.project_id, Score.queue_item_id.in_(items))
                    .values(queue_item_id=None).execution_options(synchronize_session=False))
    session.delete(row)  # items go with it (ON DELETE CASCADE)
    session.flush()
    return read
