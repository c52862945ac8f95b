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


_LOCKS: dict[type, Any] = {}


def _lock(session: Session, model: type, project_id: str, ids: list[str]) -> None:
    """Lock the rows (in id order) before recomputing them: concurrent writes to one thread then
    queue, and each recomputation reads the others' committed steps (PostgreSQL, READ COMMITTED).
    Without it the last to commit could store totals missing a parallel request's steps. SQLite
    writers are already serialised (no FOR UPDATE there)."""
    if session.get_bind().dialect.name == "postgresql":
        stmt = _LOCKS.get(model)
        if stmt is None:
            stmt = _LOCKS[model] = (select(model.id).where(model.project_id == bindparam("project_id"),
                                                          model.id.in_(bindparam("ids", expanding=True)))
                                    .order_by(model.id).with_for_update())
        session.execute(stmt, {"project_id": project_id, "ids": ids})


_NO_FIRST, _NO_LAST = Thread.first_input.is_(None), Thread.last_output.is_(None)
# Built once: ingestion runs these on every request, and constructing them cost more than running them.
_THREAD_SPANS = (  # through the thread: its primary key, then the steps by thread index
    select(Thread.id, Thread.participant_id, Thread.start_time, Thread.end_time, _NO_FIRST, _NO_LAST,
           func.min(func.coalesce(Step.start_time, Step.created_at)),
           func.max(func.coalesce(Step.end_time, Step.start_time, Step.created_at)), func.count(Step.id),
           func.coalesce(func.sum(Step.token_count), 0), func.coalesce(func.sum(Step.cost), 0.0))
    .select_from(Thread).outerjoin(Step, Step.thread_id == Thread.id)
    .where(Thread.project_id == bindparam("project_id"), Thread.id.in_(bindparam("ids", expanding=True)))
    .group_by(Thread.id, Thread.participant_id, Thread.start_time, Thread.end_time, _NO_FIRST, _NO_LAST))
_T = Thread.__table__
_THREAD_UPDATE = update(_T).where(_T.c.id == bindparam("b_id")).values(
    start_time=bindparam("b_start", type_=_T.c.start_time.type), end_time=bindparam("b_end", type_=_T.c.end_time.type),
    step_count=bindparam("b_count"), token_count=bindparam("b_tokens"), cost=bindparam("b_cost"),
    updated_at=bindparam("b_now"),
    first_input=func.coalesce(bindparam("b_first", type_=_T.c.first_input.type), _T.c.first_input),
    last_output=func.coalesce(bindparam("b_last", type_=_T.c.last_output.type), _T.c.last_output))


def refresh_threads(session: Session, project_id: str, thread_ids: Iterable[str],
                    previews: dict[str, dict] | None = None) -> set[str]:
    """Recompute time span, step count, tokens and cost of ``thread_ids``; return their participants.

    ``previews`` (thread id -> {"first": (time, text) | None, "last": (time, text) | None}) sets a
    thread's first input / last output when a newly written step is earlier / later than the
    thread's span before this write. One read and one batched update, whatever the thread count.
    """
    ids = sorted(set(t for t in thread_ids if t))
    if not ids:
        return set()
    previews = previews or {}
    _lock(session, Thread, project_id, ids)
    rows = session.execute(_THREAD_SPANS, {"project_id": project_id, "ids": ids}).all()
    now = utcnow()
    params = []
    for tid, _, start, end, no_first, no_last, a_start, a_end, steps, tokens, cost in rows:
        c = previews.get(tid) or {}
        first = c["first"][1] if c.get("first") and (no_first or start is None or c["first"][0] <= start) else None
        last = c["last"][1] if c.get("last") and (no_last or end is None or c["last"][0] >= end) else None
        params.append({"b_id": tid, "b_start": a_start, "b_end": a_end, "b_count": steps or 0,
                       "b_tokens": int(tokens or 0), "b_cost": float(cost or 0.0), "b_now": now,
                       "b_first": first, "b_last": last})
    if params:
        session.execute(_THREAD_UPDATE, params)
    return {r[1] for r in rows if r[1]}


def refresh_participants(session: Session, project_id: str, participant_ids: Iterable[str]) -> None:
    """Recompute thread count, tokens, cost and last engagement of ``participant_ids``."""
    ids = sorted(set(p for p in participant_ids if p))
    if not ids:
        return
    _lock(session, Participant, project_id, ids)
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
