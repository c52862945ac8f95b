"""Volume cards: threads, runs, generations, tokens and feedback per day; runs per run name;
tool-call and prompt-version distributions; most active users (with their cost)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from literal_app.models.prompts import PromptLineage, PromptVersion
from literal_app.models.tracing import Participant, Thread
from literal_app.services.dashboard.filters import (
    GENERATION_TYPES,
    DashboardFilter,
    as_date,
    day_of,
    score_rows,
    step_rows,
    thread_conditions,
)
from literal_app.services.kernel.actor import Actor, require

TOP_NAMES = 8


@dataclass(frozen=True)
class VolumeCard:
    days: list[str]
    threads: list[int]
    runs: list[int]
    generations: list[int]
    input_tokens: list[int]
    output_tokens: list[int]
    feedback: list[int]  # HUMAN scores (user feedback) per day
    totals: dict[str, int]


@dataclass(frozen=True)
class NamedCount:
    name: str
    count: int
    cost: float = 0.0
    tokens: int = 0
    ref: str | None = None  # an id to link to (participant, prompt version)


@dataclass(frozen=True)
class SeriesCard:
    days: list[str]
    series: dict[str, list[int]]  # name -> value per day


def _index(f: DashboardFilter) -> dict:
    return {d: i for i, d in enumerate(f.days)}


def volume(session: Session, actor: Actor, f: DashboardFilter) -> VolumeCard:
    """Threads, runs, generations, input/output tokens and feedback scores per UTC day."""
    require(actor, "observability:read")
    idx, n = _index(f), len(f.days)
    out = {k: [0] * n for k in ("threads", "runs", "generations", "input_tokens", "output_tokens", "feedback")}
    rows = step_rows(session, actor.project_id, f)
    for day, type_, steps, tin, tout in session.execute(
            select(rows.c.day, rows.c.type, func.sum(rows.c.steps), func.sum(rows.c.input_tokens),
                   func.sum(rows.c.output_tokens)).group_by(rows.c.day, rows.c.type)):
        i = idx.get(as_date(day))
        if i is None:
            continue
        if type_ == "run":
            out["runs"][i] += int(steps)
        elif type_ in GENERATION_TYPES:
            out["generations"][i] += int(steps)
        out["input_tokens"][i] += int(tin or 0)
        out["output_tokens"][i] += int(tout or 0)
    tday = day_of(session, Thread.created_at)
    for day, count in session.execute(select(tday, func.count()).where(
            *thread_conditions(session, actor.project_id, f)).group_by(tday)):
        out["threads"][idx[as_date(day)]] += count
    sr = score_rows(session, actor.project_id, f)
    sday = day_of(session, sr.c.created_at)
    for day, count in session.execute(select(sday, func.count()).where(sr.c.type == "HUMAN").group_by(sday)):
        out["feedback"][idx[as_date(day)]] += count
    return VolumeCard([d.isoformat() for d in f.days], **out, totals={k: sum(v) for k, v in out.items()})


def runs_by_name(session: Session, actor: Actor, f: DashboardFilter) -> SeriesCard:
    """Runs per day for the most frequent run names (the rest summed as "other")."""
    require(actor, "observability:read")
    rows = step_rows(session, actor.project_id, f)
    data = session.execute(select(rows.c.day, rows.c.name, func.sum(rows.c.steps))
                           .where(rows.c.type == "run").group_by(rows.c.day, rows.c.name)
                           .having(func.sum(rows.c.steps) != 0)).all()  # rollup keys whose steps all left
    totals: dict[str, int] = defaultdict(int)
    for _, name, count in data:
        totals[name or "(unnamed)"] += int(count)
    top = sorted(totals, key=lambda k: (-totals[k], k))[:TOP_NAMES]
    idx = _index(f)
    series: dict[str, list[int]] = {name: [0] * len(idx) for name in top}
    for day, name, count in data:
        key = name or "(unnamed)"
        if key not in series:
            key = "other"
            series.setdefault(key, [0] * len(idx))
        series[key][idx[as_date(day)]] += int(count)
    return SeriesCard([d.isoformat() for d in f.days], series)


def _distribution(session: Session, actor: Actor, f: DashboardFilter, where, column: str,
                  limit: int) -> list[tuple]:
    rows = step_rows(session, actor.project_id, f)
    col = rows.c[column]
    return session.execute(select(col, func.sum(rows.c.steps).label("n"), func.sum(rows.c.cost))
                           .where(where(rows)).group_by(col).having(func.sum(rows.c.steps) != 0).order_by(func.sum(rows.c.steps).desc(), col)
                           .limit(limit)).all()


def tool_calls(session: Session, actor: Actor, f: DashboardFilter, limit: int = 15) -> list[NamedCount]:
    """Tool steps per tool name, most called first."""
    require(actor, "observability:read")
    data = _distribution(session, actor, f, lambda r: r.c.type == "tool", "name", limit)
    return [NamedCount(name or "(unnamed)", int(n)) for name, n, _ in data]


def prompt_versions(session: Session, actor: Actor, f: DashboardFilter, limit: int = 15) -> list[NamedCount]:
    """Generations per prompt version ("lineage v3"), most used first."""
    require(actor, "observability:read")
    data = _distribution(session, actor, f, lambda r: (r.c.type.in_(GENERATION_TYPES)) & (r.c.prompt_version_id != ""),
                         "prompt_version_id", limit)
    ids = [pv for pv, _, _ in data]
    labels = dict(session.execute(
        select(PromptVersion.id, PromptLineage.name + " v" + func.cast(PromptVersion.version, PromptLineage.name.type))
        .join(PromptLineage, PromptLineage.id == PromptVersion.lineage_id)
        .where(PromptVersion.project_id == actor.project_id, PromptVersion.id.in_(ids or [""]))).all())
    return [NamedCount(labels.get(pv, f"deleted version {pv[:8]}"), int(n), float(c or 0), ref=pv)
            for pv, n, c in data]


def top_participants(session: Session, actor: Actor, f: DashboardFilter,
                     limit: int = 10) -> tuple[list[NamedCount], list[NamedCount]]:
    """In one pass over the range's threads: the top participants by thread count and by cost
    (ids in ``ref``; ``name_participants`` turns them into identifiers)."""
    require(actor, "observability:read")
    agg = (select(Thread.participant_id.label("pid"), func.count().label("n"), func.sum(Thread.cost).label("cost"),
                  func.sum(Thread.token_count).label("tokens"))
           .where(*thread_conditions(session, actor.project_id, f), Thread.participant_id.is_not(None))
           .group_by(Thread.participant_id).subquery())
    ranked = select(agg, func.row_number().over(order_by=(agg.c.n.desc(), agg.c.cost.desc(), agg.c.pid)).label("r1"),
                    func.row_number().over(order_by=(agg.c.cost.desc(), agg.c.n.desc(), agg.c.pid)).label("r2")
                    ).subquery()
    rows = session.execute(select(ranked).where((ranked.c.r1 <= limit) | (ranked.c.r2 <= limit))).all()
    item = lambda r: NamedCount(r.pid, int(r.n), float(r.cost or 0), int(r.tokens or 0), ref=r.pid)  # noqa: E731
    by_threads = [item(r) for r in sorted((r for r in rows if r.r1 <= limit), key=lambda r: r.r1)]
    by_cost = [item(r) for r in sorted((r for r in rows if r.r2 <= limit and (r.cost or 0) > 0), key=lambda r: r.r2)]
    return by_threads, by_cost


def name_participants(session: Session, actor: Actor, items: list[NamedCount]) -> list[NamedCount]:
    """Replace participant ids by their identifiers."""
    ids = [i.ref for i in items]
    names = dict(session.execute(select(Participant.id, Participant.identifier).where(
        Participant.project_id == actor.project_id, Participant.id.in_(ids or [""]))).all())
    return [NamedCount(names.get(i.ref, i.ref), i.count, i.cost, i.tokens, i.ref) for i in items]


def active_users(session: Session, actor: Actor, f: DashboardFilter, limit: int = 10) -> list[NamedCount]:
    """The participants with the most threads in the range."""
    return name_participants(session, actor, top_participants(session, actor, f, limit)[0])


def users(session: Session, actor: Actor, f: DashboardFilter) -> tuple[list[NamedCount], list[NamedCount]]:
    """Most active users and costliest users, named."""
    active, costly = top_participants(session, actor, f)
    named = {i.ref: i.name for i in name_participants(session, actor, active + costly)}
    rename = lambda i: NamedCount(named.get(i.ref, i.ref), i.count, i.cost, i.tokens, i.ref)  # noqa: E731
    return [rename(i) for i in active], [rename(i) for i in costly]
