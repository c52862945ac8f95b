"""Cost cards: total with the change against the previous period of the same length, per day,
per model, per conversation (thread) and per user. Costs are the USD the project's model cost
rules gave each generation (at ingestion, or at the last re-pricing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from literal_app.models.tracing import Thread
from literal_app.services.dashboard.filters import (
    DashboardFilter,
    as_date,
    bounds,
    step_rows,
    thread_conditions,
    unindexed,
)
from literal_app.services.dashboard.volume import NamedCount, name_participants, top_participants
from literal_app.services.kernel.actor import Actor, require


@dataclass(frozen=True)
class CostCard:
    days: list[str]
    per_day: list[float]
    total: float
    previous_total: float
    change_pct: float | None  # None when the previous period cost nothing
    per_model: list[NamedCount]  # cost + generations per model, costliest first


@dataclass(frozen=True)
class ThreadCost:
    id: str
    name: str
    cost: float
    tokens: int
    created_at: datetime


def change_pct(current: float, previous: float) -> float | None:
    """Relative change in percent; None when there is nothing to compare with."""
    if not previous:
        return None
    return (current - previous) / previous * 100.0


def _total(session: Session, project_id: str, f: DashboardFilter) -> float:
    rows = step_rows(session, project_id, f)
    return float(session.execute(select(func.coalesce(func.sum(rows.c.cost), 0.0))).scalar() or 0.0)


def cost(session: Session, actor: Actor, f: DashboardFilter) -> CostCard:
    """USD per day and per model, the total and its change against the previous period."""
    require(actor, "observability:read")
    rows = step_rows(session, actor.project_id, f)
    idx = {d: i for i, d in enumerate(f.days)}
    per_day = [0.0] * len(idx)
    per_model: dict[str, list] = {}
    for day, model, c, n in session.execute(
            select(rows.c.day, rows.c.model, func.sum(rows.c.cost),
                   func.sum(rows.c.steps)).where(rows.c.model != "").group_by(rows.c.day, rows.c.model)
            .having(func.sum(rows.c.steps) != 0)):  # rollup keys whose steps all left
        per_day[idx[as_date(day)]] += float(c or 0)
        acc = per_model.setdefault(model, [0.0, 0])
        acc[0] += float(c or 0)
        acc[1] += int(n)
    total = _total(session, actor.project_id, f)
    previous = _total(session, actor.project_id, f.previous())
    models = sorted((NamedCount(m, n, c) for m, (c, n) in per_model.items()), key=lambda x: (-x.cost, x.name))
    return CostCard([d.isoformat() for d in f.days], per_day, total, previous, change_pct(total, previous), models)


def costly_threads(session: Session, actor: Actor, f: DashboardFilter, limit: int = 10) -> list[ThreadCost]:
    """The conversations created in the range that cost the most."""
    require(actor, "observability:read")
    start, end = bounds(f)
    created = unindexed(session, Thread.created_at)  # walk the cost index, not the whole range
    conds = thread_conditions(session, actor.project_id, f, dated=False) + [created >= start, created < end]
    rows = session.execute(select(Thread.id, Thread.name, Thread.cost, Thread.token_count, Thread.created_at)
                           .where(*conds, Thread.cost > 0)
                           .order_by(Thread.cost.desc(), Thread.id).limit(limit)).all()
    return [ThreadCost(i, n or i, float(c), int(t or 0), at) for i, n, c, t, at in rows]


def costly_users(session: Session, actor: Actor, f: DashboardFilter, limit: int = 10) -> list[NamedCount]:
    """The participants whose threads in the range cost the most."""
    return name_participants(session, actor, top_participants(session, actor, f, limit)[1])
