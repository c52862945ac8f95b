"""Thread and participant aggregates kept on their rows so list pages never scan steps.

Recomputed from the steps (threads) and threads (participants) touched by a write, inside the
same transaction: exact after re-sent or deleted steps, unlike increments.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlmodel import Session

from literal_app.models.tracing import Participant, Step, Thread
from literal_app.models.types import utcnow

PREVIEW = 500


def preview(value: Any) -> str | None:
    """A short text for list pages: ``content`` of a message-like object, else compact JSON."""
    import json

    if value is None:
        return None
    if isinstance(value, dict) and isinstance(value.get("content"), str):
        value = value["content"]
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text[:PREVIEW]


def refresh_threads(session: Session, project_id: str, thread_ids: Iterable[str]) -> set[str]:
    """Recompute time span, step count, tokens and cost of ``thread_ids``; return their participants."""
    ids = sorted(set(t for t in thread_ids if t))
    if not ids:
        return set()
    rows = session.execute(
        select(Step.thread_id, func.min(func.coalesce(Step.start_time, Step.created_at)),
               func.max(func.coalesce(Step.end_time, Step.start_time, Step.created_at)), func.count(),
               func.coalesce(func.sum(Step.token_count), 0), func.coalesce(func.sum(Step.cost), 0.0))
        .where(Step.project_id == project_id, Step.thread_id.in_(ids)).group_by(Step.thread_id)).all()
    found = {r[0]: r for r in rows}
    now = utcnow()
    params = []
    for tid in ids:
        r = found.get(tid)
        params.append({"b_id": tid, "b_start": r[1] if r else None, "b_end": r[2] if r else None,
                       "b_count": r[3] if r else 0, "b_tokens": int(r[4]) if r else 0,
                       "b_cost": float(r[5]) if r else 0.0, "b_now": now})
    t = Thread.__table__
    session.execute(
        update(t).where(t.c.id == bindparam("b_id")).values(
            start_time=bindparam("b_start"), end_time=bindparam("b_end"), step_count=bindparam("b_count"),
            token_count=bindparam("b_tokens"), cost=bindparam("b_cost"), updated_at=bindparam("b_now")),
        params)
    return set(session.execute(select(Thread.participant_id).where(
        Thread.id.in_(ids), Thread.participant_id.is_not(None))).scalars())


def refresh_participants(session: Session, project_id: str, participant_ids: Iterable[str]) -> None:
    """Recompute thread count, tokens, cost and last engagement of ``participant_ids``."""
    ids = sorted(set(p for p in participant_ids if p))
    if not ids:
        return
    rows = session.execute(
        select(Thread.participant_id, func.count(), func.coalesce(func.sum(Thread.token_count), 0),
               func.coalesce(func.sum(Thread.cost), 0.0),
               func.max(func.coalesce(Thread.end_time, Thread.updated_at)))
        .where(Thread.project_id == project_id, Thread.participant_id.in_(ids))
        .group_by(Thread.participant_id)).all()
    found = {r[0]: r for r in rows}
    p = Participant.__table__
    params = [{"b_id": pid, "b_threads": found[pid][1] if pid in found else 0,
               "b_tokens": int(found[pid][2]) if pid in found else 0,
               "b_cost": float(found[pid][3]) if pid in found else 0.0,
               "b_last": found[pid][4] if pid in found else None} for pid in ids]
    session.execute(update(p).where(p.c.id == bindparam("b_id")).values(
        thread_count=bindparam("b_threads"), token_count=bindparam("b_tokens"), cost=bindparam("b_cost"),
        last_engaged_at=func.coalesce(bindparam("b_last", type_=p.c.last_engaged_at.type), p.c.last_engaged_at)),
        params)


def update_previews(session: Session, candidates: dict[str, dict]) -> None:
    """Set a thread's first input / last output when a newly written step is earlier / later.

    ``candidates``: thread id -> {"first": (time, text) | None, "last": (time, text) | None}.
    """
    if not candidates:
        return
    threads = session.execute(select(Thread.id, Thread.start_time, Thread.end_time, Thread.first_input,
                                     Thread.last_output).where(Thread.id.in_(list(candidates)))).all()
    t = Thread.__table__
    for tid, start, end, first, last in threads:
        c = candidates[tid]
        values = {}
        if c.get("first") and (first is None or start is None or c["first"][0] <= start):
            values["first_input"] = c["first"][1]
        if c.get("last") and (last is None or end is None or c["last"][0] >= end):
            values["last_output"] = c["last"][1]
        if values:
            session.execute(update(t).where(t.c.id == tid).values(**values))
