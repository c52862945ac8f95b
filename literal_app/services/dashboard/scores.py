"""Score cards (average per day and value distribution per score name and type, so human
feedback and online evals plot side by side) and the recently ingested runs and scores."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from literal_app.models.tracing import Step
from literal_app.services.dashboard.filters import (
    DashboardFilter,
    as_date,
    day_of,
    run_rows,
    score_rows,
)
from literal_app.services.kernel.actor import Actor, require

BINS = 10
MAX_CATEGORIES = 12


@dataclass(frozen=True)
class ScoreSeries:
    name: str
    type: str
    count: int
    average: float
    daily_average: list[float | None]
    daily_count: list[int]
    buckets: list[str]  # distribution labels (values, or value ranges)
    bucket_counts: list[int]


@dataclass(frozen=True)
class ScoresCard:
    days: list[str]
    series: list[ScoreSeries]


@dataclass(frozen=True)
class RecentRun:
    id: str
    name: str
    thread_id: str | None
    environment: str | None
    duration: float | None
    error: bool
    created_at: datetime


@dataclass(frozen=True)
class RecentScore:
    id: str
    name: str
    type: str
    value: float
    label: str | None
    step_id: str | None
    thread_id: str | None
    created_at: datetime


def _fmt(v: float) -> str:
    return f"{v:g}"


def _distribution(values: dict[float, int], labels: dict[float, str]) -> tuple[list[str], list[int]]:
    """Counts per value when there are few distinct values, else ``BINS`` equal-width ranges."""
    keys = sorted(values)
    if len(keys) <= MAX_CATEGORIES:
        return [labels.get(k) or _fmt(k) for k in keys], [values[k] for k in keys]
    lo, hi = keys[0], keys[-1]
    width = (hi - lo) / BINS
    counts = [0] * BINS
    for k, n in values.items():
        counts[min(int((k - lo) / width), BINS - 1)] += n
    return [f"{_fmt(round(lo + i * width, 4))}–{_fmt(round(lo + (i + 1) * width, 4))}" for i in range(BINS)], counts


def scores(session: Session, actor: Actor, f: DashboardFilter) -> ScoresCard:
    """Per score name and type: count, average, average and count per day, value distribution."""
    require(actor, "observability:read")
    sc = score_rows(session, actor.project_id, f).c
    idx = {d: i for i, d in enumerate(f.days)}
    day = day_of(session, sc.created_at)
    daily: dict[tuple, tuple[list, list]] = {}
    for name, type_, d, n, total in session.execute(
            select(sc.name, sc.type, day, func.count(), func.sum(sc.value)).group_by(sc.name, sc.type, day)):
        avgs, counts = daily.setdefault((name, type_), ([None] * len(idx), [0] * len(idx)))
        i = idx[as_date(d)]
        counts[i], avgs[i] = n, float(total) / n
    values: dict[tuple, dict[float, int]] = defaultdict(dict)
    labels: dict[tuple, dict[float, str]] = defaultdict(dict)
    for name, type_, value, label, n in session.execute(
            select(sc.name, sc.type, sc.value, func.max(sc.label), func.count()).group_by(sc.name, sc.type, sc.value)):
        values[(name, type_)][float(value)] = n
        if label:
            labels[(name, type_)][float(value)] = label
    series = []
    for key in sorted(daily):
        avgs, counts = daily[key]
        n = sum(counts)
        total = sum(v * c for v, c in values[key].items())
        buckets, bucket_counts = _distribution(values[key], labels[key])
        series.append(ScoreSeries(key[0], key[1], n, total / n if n else 0.0, avgs, counts, buckets, bucket_counts))
    return ScoresCard([d.isoformat() for d in f.days], series)


def recent_runs(session: Session, actor: Actor, f: DashboardFilter, limit: int = 10) -> list[RecentRun]:
    """The latest runs in the range, newest first."""
    require(actor, "observability:read")
    r = run_rows(session, actor.project_id, f).c
    rows = session.execute(select(r.id, r.name, r.thread_id, r.environment, r.duration, r.error, r.created_at)
                           .order_by(r.created_at.desc(), r.id).limit(limit)).all()
    return [RecentRun(i, n or "(unnamed)", t, e, d, bool(err), at) for i, n, t, e, d, err, at in rows]


def recent_scores(session: Session, actor: Actor, f: DashboardFilter, limit: int = 10) -> list[RecentScore]:
    """The latest scores in the range with the thread of their step (for links)."""
    require(actor, "observability:read")
    sc = score_rows(session, actor.project_id, f).c
    latest = (select(sc.id, sc.name, sc.type, sc.value, sc.label, sc.step_id, sc.created_at)
              .order_by(sc.created_at.desc(), sc.id).limit(limit).subquery())  # then ten step lookups
    rows = session.execute(select(latest.c.id, latest.c.name, latest.c.type, latest.c.value, latest.c.label,
                                  latest.c.step_id, Step.thread_id, latest.c.created_at)
                           .outerjoin(Step, Step.id == latest.c.step_id)
                           .order_by(latest.c.created_at.desc(), latest.c.id)).all()
    return [RecentScore(*r) for r in rows]
