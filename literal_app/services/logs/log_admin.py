"""Deleting logs from the UI (bulk select → delete): threads with their steps, or single steps
with their descendants, with their scores and attachments rows; thread and participant
aggregates are recomputed so list pages stay right.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlmodel import Session

from literal_app.models.tracing import Attachment, Participant, Score, Step, Thread
from literal_app.services.ingestion.attachment_files import release_step_files, release_thread_files
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid

MAX_DELETE = 1000


def _check(ids: list[str]) -> list[str]:
    ids = list(dict.fromkeys(i for i in ids if i))
    if not ids:
        raise Invalid("Select at least one row.")
    if len(ids) > MAX_DELETE:
        raise Invalid(f"At most {MAX_DELETE} rows at once.")
    return ids


def _drop_steps(session: Session, project_id: str, step_ids: list[str]) -> None:
    for i in range(0, len(step_ids), 500):
        chunk = step_ids[i:i + 500]
        release_step_files(session, project_id, chunk)
        session.execute(delete(Score).where(Score.project_id == project_id, Score.step_id.in_(chunk)))
        session.execute(delete(Attachment).where(Attachment.project_id == project_id, Attachment.step_id.in_(chunk)))
        session.execute(delete(Step).where(Step.project_id == project_id, Step.id.in_(chunk)))


def _descendants(session: Session, project_id: str, roots: list[str]) -> list[str]:
    """The steps and everything below them (a few levels; children may outlive missing parents)."""
    found, frontier = list(roots), list(roots)
    while frontier and len(found) < 100_000:
        frontier = list(session.execute(select(Step.id).where(Step.project_id == project_id,
                                                              Step.parent_id.in_(frontier))).scalars())
        found += [f for f in frontier if f not in found]
    return found


def refresh_thread_aggregates(session: Session, project_id: str, thread_ids: list[str]) -> None:
    """Recompute step count, tokens, cost and time span of threads from their steps."""
    for tid in thread_ids:
        row = session.execute(select(func.count(), func.coalesce(func.sum(Step.token_count), 0),
                                     func.coalesce(func.sum(Step.cost), 0.0), func.min(Step.start_time),
                                     func.max(Step.end_time))
                              .where(Step.project_id == project_id, Step.thread_id == tid)).one()
        session.execute(update(Thread).where(Thread.project_id == project_id, Thread.id == tid)
                        .values(step_count=row[0], token_count=row[1], cost=row[2], start_time=row[3],
                                end_time=row[4]))


def refresh_participant_aggregates(session: Session, project_id: str, participant_ids: list[str]) -> None:
    for pid in participant_ids:
        row = session.execute(select(func.count(), func.coalesce(func.sum(Thread.token_count), 0),
                                     func.coalesce(func.sum(Thread.cost), 0.0))
                              .where(Thread.project_id == project_id, Thread.participant_id == pid)).one()
        session.execute(update(Participant).where(Participant.id == pid)
                        .values(thread_count=row[0], token_count=row[1], cost=row[2]))


def delete_steps(session: Session, actor: Actor, step_ids: list[str]) -> int:
    """Delete steps with their descendants; returns how many steps went."""
    require(actor, "observability:write")
    ids = _check(step_ids)
    all_ids = _descendants(session, actor.project_id, ids)
    threads = set(session.execute(select(Step.thread_id).where(Step.project_id == actor.project_id,
                                                               Step.id.in_(ids))).scalars()) - {None}
    existing = session.execute(select(func.count()).where(Step.project_id == actor.project_id,
                                                          Step.id.in_(all_ids))).scalar_one()
    _drop_steps(session, actor.project_id, all_ids)
    refresh_thread_aggregates(session, actor.project_id, sorted(threads))
    session.flush()
    return existing


def delete_threads(session: Session, actor: Actor, thread_ids: list[str]) -> int:
    """Delete threads, their steps and scores; returns how many threads went."""
    require(actor, "observability:write")
    ids = _check(thread_ids)
    rows = session.execute(select(Thread.id, Thread.participant_id).where(
        Thread.project_id == actor.project_id, Thread.id.in_(ids))).all()
    found = [r.id for r in rows]
    for tid in found:
        steps = list(session.execute(select(Step.id).where(Step.project_id == actor.project_id,
                                                           Step.thread_id == tid)).scalars())
        release_thread_files(session, actor.project_id, tid)
        _drop_steps(session, actor.project_id, steps)
        session.execute(delete(Attachment).where(Attachment.project_id == actor.project_id,
                                                 Attachment.thread_id == tid))
    session.execute(delete(Thread).where(Thread.project_id == actor.project_id, Thread.id.in_(found)))
    refresh_participant_aggregates(session, actor.project_id, sorted({r.participant_id for r in rows} - {None}))
    session.flush()
    return len(found)
