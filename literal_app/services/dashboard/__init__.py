"""The dashboard: volume, latency, cost and score cards over a filtered date range.

Each card is a service function ``(session, actor, DashboardFilter) -> frozen dataclass``;
``load_dashboard`` computes all of them and times each (the benchmark prints those figures).
Counts and sums read the daily rollups (``services/dashboard/rollups.py``), percentiles a per-day cache
that is only used while exact (``latency.py``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from literal_app.models.tracing import Score, Tag, Thread
from literal_app.services.dashboard import rollups
from literal_app.services.dashboard.shared import shared_rows
from literal_app.services.dashboard.cost import CostCard, ThreadCost, change_pct, cost, costly_threads, costly_users
from literal_app.services.dashboard.filters import GENERATION_TYPES, DashboardFilter
from literal_app.services.dashboard.latency import LatencyCard, SlowRun, latency, percentile, slowest_runs
from literal_app.services.dashboard.scores import RecentRun, RecentScore, ScoresCard, recent_runs, recent_scores, scores
from literal_app.services.dashboard.volume import (
    NamedCount,
    SeriesCard,
    VolumeCard,
    active_users,
    prompt_versions,
    runs_by_name,
    tool_calls,
    users,
    volume,
)
from literal_app.services.kernel.actor import Actor, require


@dataclass(frozen=True)
class Dashboard:
    filter: DashboardFilter
    volume: VolumeCard
    runs_by_name: SeriesCard
    tool_calls: list[NamedCount]
    prompt_versions: list[NamedCount]
    active_users: list[NamedCount]
    latency: LatencyCard
    slowest_runs: list[SlowRun]
    cost: CostCard
    costly_threads: list[ThreadCost]
    costly_users: list[NamedCount]
    scores: ScoresCard
    recent_runs: list[RecentRun]
    recent_scores: list[RecentScore]
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class FilterOptions:
    environments: list[str]
    models: list[str]
    run_names: list[str]
    tags: list[str]


def load_dashboard(session: Session, actor: Actor, f: DashboardFilter) -> Dashboard:
    """Every card for ``f``, with the server time each took in milliseconds."""
    require(actor, "observability:read")
    f.check()
    timings: dict[str, float] = {}
    out: dict[str, Any] = {}

    def run(name: str, fn, *args) -> Any:
        t0 = time.perf_counter()
        value = fn(session, actor, f, *args)
        timings[name] = (time.perf_counter() - t0) * 1000
        return value

    with shared_rows(session):  # a filter the rollups cannot answer reads the steps once, not per card
        out["volume"] = run("volume", volume)
        out["runs_by_name"] = run("runs_by_name", runs_by_name)
        out["tool_calls"] = run("tool_calls", tool_calls)
        out["prompt_versions"] = run("prompt_versions", prompt_versions)
        out["active_users"], out["costly_users"] = run("users", users)
        out["latency"] = run("latency", latency)
        out["slowest_runs"] = run("slowest_runs", slowest_runs)
        out["cost"] = run("cost", cost)
        out["costly_threads"] = run("costly_threads", costly_threads)
        out["scores"] = run("scores", scores)
        out["recent_runs"] = run("recent_runs", recent_runs)
        out["recent_scores"] = run("recent_scores", recent_scores)
    return Dashboard(filter=f, timings_ms=timings, **out)


def filter_options(session: Session, actor: Actor) -> FilterOptions:
    """Values the filter bar offers: environments, models and run names seen, and the tag catalogue."""
    require(actor, "observability:read")
    r = rollups.rollup_rows(actor.project_id)

    def distinct(col, *where) -> list[str]:
        return sorted(v for v in session.execute(select(col).where(col != "", *where).distinct()).scalars())

    tags = session.execute(select(Tag.name).where(Tag.project_id == actor.project_id)).scalars()
    return FilterOptions(distinct(r.c.environment), distinct(r.c.model, r.c.type.in_(GENERATION_TYPES)),
                         distinct(r.c.name, r.c.type == "run")[:200], sorted(tags))


def has_data(session: Session, actor: Actor) -> bool:
    """False for a project that has logged nothing yet (the dashboard then shows how to start)."""
    require(actor, "observability:read")
    p = actor.project_id
    for q in (select(Thread.id).where(Thread.project_id == p), select(Score.id).where(Score.project_id == p)):
        if session.execute(q.limit(1)).first():
            return True
    return rollups.has_rows(session, p)


def compact_rollups(session: Session, actor: Actor) -> None:
    """Fold pending rollup deltas (keeps dashboard reads small; figures do not change)."""
    require(actor, "observability:read")
    rollups.compact(session, actor.project_id)


__all__ = [
    "Dashboard", "DashboardFilter", "FilterOptions", "CostCard", "LatencyCard", "ScoresCard", "SeriesCard",
    "VolumeCard", "NamedCount", "SlowRun", "ThreadCost", "RecentRun", "RecentScore", "load_dashboard",
    "filter_options", "has_data", "compact_rollups", "volume", "runs_by_name", "tool_calls", "prompt_versions",
    "active_users", "latency", "slowest_runs", "cost", "costly_threads", "costly_users", "scores", "recent_runs",
    "recent_scores", "percentile", "change_pct",
]
