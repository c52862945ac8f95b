"""Latency cards: generation duration, time to first token and token throughput (median and p95
per UTC day), and the slowest runs.

Percentiles follow the linear interpolation of PostgreSQL's ``percentile_cont`` (numpy's default):
PostgreSQL computes them in SQL, SQLite returns the sorted values and Python interpolates, so both
dialects give the same figures. A day's figures are cached in ``latency_cache`` together with the
day's rollup revision (the count of step writes that touched it); the cache is used only while the
revision is unchanged, so cached figures are always the exact ones.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from literal_app.models.analytics import LatencyCache
from literal_app.models.tracing import Step
from literal_app.services.dashboard.filters import (
    DashboardFilter,
    as_date,
    day_of,
    run_rows,
    step_conditions,
    step_rows,
)
from literal_app.services.dashboard.shared import matching_steps
from literal_app.services.kernel.actor import Actor, require

METRICS = {"duration": Step.duration, "ttft": Step.tt_first_token, "throughput": Step.token_throughput}
UNITS = {"duration": "s", "ttft": "ms", "throughput": "tokens/s"}


@dataclass(frozen=True)
class LatencyCard:
    days: list[str]
    p50: dict[str, list[float | None]]  # metric -> value per day
    p95: dict[str, list[float | None]]
    generations: int


@dataclass(frozen=True)
class SlowRun:
    id: str
    name: str
    duration: float
    thread_id: str | None
    created_at: datetime


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (``percentile_cont``)."""
    if not sorted_values:
        return None
    pos = q * (len(sorted_values) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def _llm_conditions(session: Session, project_id: str, f: DashboardFilter) -> list:
    return step_conditions(session, project_id, f) + [Step.type == "llm"]


def _source(session: Session, project_id: str, f: DashboardFilter) -> tuple:
    """(day, metric columns, conditions) of the generations matching ``f``: the steps the
    dashboard load already gathered for a tag or run-name filter, else the step table."""
    shared = None if f.uses_rollup else matching_steps(session, project_id, f)
    if shared is not None:
        t = shared[0].c
        return t.day, {"duration": t.raw_duration, "ttft": t.ttft, "throughput": t.throughput}, [t.type == "llm"]
    return day_of(session, Step.created_at), METRICS, _llm_conditions(session, project_id, f)


def _compute(session: Session, project_id: str, f: DashboardFilter) -> dict[date, dict]:
    """Exact percentiles per day from the steps (days without generations are absent)."""
    day, metrics, conds = _source(session, project_id, f)
    out: dict[date, dict] = {}
    if session.get_bind().dialect.name == "postgresql":
        aggs = []
        for col in metrics.values():
            aggs.append(func.percentile_cont(0.5).within_group(col))
            aggs.append(func.percentile_cont(0.95).within_group(col))
        for d, n, *vals in session.execute(select(day, func.count(), *aggs).where(*conds).group_by(day)):
            out[as_date(d)] = {"n": n, **{f"{m}_{q}": vals[2 * i + j] for i, m in enumerate(METRICS)
                                          for j, q in enumerate(("p50", "p95"))}}
        return out
    values: dict[date, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[date, int] = defaultdict(int)
    for d, *vals in session.execute(select(day, *metrics.values()).where(*conds)):
        d = as_date(d)
        counts[d] += 1
        for m, v in zip(METRICS, vals):
            if v is not None:
                values[d][m].append(v)
    for d in counts:
        stats = {"n": counts[d]}
        for m in METRICS:
            vs = sorted(values[d][m])
            stats[f"{m}_p50"], stats[f"{m}_p95"] = percentile(vs, 0.5), percentile(vs, 0.95)
        out[d] = stats
    return out


def _revisions(session: Session, project_id: str, f: DashboardFilter) -> dict[date, int]:
    rows = step_rows(session, project_id, f)
    q = select(rows.c.day, func.sum(rows.c.changes)).where(rows.c.type == "llm").group_by(rows.c.day)
    return {as_date(d): int(c) for d, c in session.execute(q)}


def _cached_stats(session: Session, project_id: str, f: DashboardFilter) -> dict[date, dict]:
    """Per-day stats, from the cache where its revision still matches, computed otherwise."""
    if not f.uses_rollup:  # several tags, or tags and a run name: no rollup revision, always compute
        return _compute(session, project_id, f)
    revs, key = _revisions(session, project_id, f), f.key()
    cached = {c.day: c for c in session.execute(select(LatencyCache).where(
        LatencyCache.project_id == project_id, LatencyCache.filter_key == key,
        LatencyCache.day >= f.start, LatencyCache.day <= f.end)).scalars()}
    out = {d: c.stats for d, c in cached.items() if d in revs and c.revision == revs[d]}
    stale = sorted(d for d in revs if d not in out)
    if stale:
        sub = replace(f, start=stale[0], end=stale[-1])
        fresh = {d: s for d, s in _compute(session, project_id, sub).items() if d in stale}
        out.update(fresh)
        _store(session, project_id, key, {d: (revs[d], s) for d, s in fresh.items()})
    return out


def _store(session: Session, project_id: str, key: str, items: dict[date, tuple[int, dict]]) -> None:
    if not items:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(LatencyCache).values([{"project_id": project_id, "filter_key": key, "day": d,
                                         "revision": r, "stats": s} for d, (r, s) in items.items()])
    session.execute(stmt.on_conflict_do_update(
        index_elements=["project_id", "filter_key", "day"],
        set_={"revision": stmt.excluded.revision, "stats": stmt.excluded.stats}))


def latency(session: Session, actor: Actor, f: DashboardFilter) -> LatencyCard:
    """Median and p95 per day of generation duration (s), TTFT (ms) and throughput (tokens/s)."""
    require(actor, "observability:read")
    stats = _cached_stats(session, actor.project_id, f)
    p50 = {m: [None if d not in stats else stats[d][f"{m}_p50"] for d in f.days] for m in METRICS}
    p95 = {m: [None if d not in stats else stats[d][f"{m}_p95"] for d in f.days] for m in METRICS}
    return LatencyCard([d.isoformat() for d in f.days], p50, p95, sum(s["n"] for s in stats.values()))


def slowest_runs(session: Session, actor: Actor, f: DashboardFilter, limit: int = 10) -> list[SlowRun]:
    """The runs with the longest duration in the range."""
    require(actor, "observability:read")
    r = run_rows(session, actor.project_id, f).c
    rows = session.execute(select(r.id, r.name, r.duration, r.thread_id, r.created_at).where(
        r.duration.is_not(None)).order_by(r.duration.desc(), r.id).limit(limit)).all()
    return [SlowRun(i, n or "(unnamed)", float(d), t, c) for i, n, d, t, c in rows]

