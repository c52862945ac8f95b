"""One prompt's page: its versions (author, changelog, rollout share, deprecation), the rollout
history, and the per-version results an A/B test is read from: generations per day, latency, cost,
tokens and every score's mean with a 95% confidence interval, all aggregated in the database."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Date, cast, func
from sqlmodel import Session, select

from literal_app.models.auth import Member
from literal_app.models.prompts import PromptLineage, PromptRollout, PromptRolloutChange, PromptVersion
from literal_app.models.tracing import Score, Step
from literal_app.models.types import utcnow
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.scoping import owned
from literal_app.services.prompts.library import percents
from literal_app.services.prompts.prompts import PromptVersionRead, _version_read

CHART_DAYS = 30
# Two-sided 95% Student t quantiles for 1..30 degrees of freedom; 1.96 beyond.
_T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
        2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042]


@dataclass(frozen=True)
class Estimate:
    """A mean with its 95% confidence interval (Student t; none below two observations)."""

    n: int
    mean: float | None
    low: float | None = None
    high: float | None = None


def estimate(n: int, total: float | None, squares: float | None) -> Estimate:
    if not n or total is None:
        return Estimate(0, None)
    mean = total / n
    if n < 2 or squares is None:
        return Estimate(n, mean)
    variance = max(0.0, (squares - n * mean * mean) / (n - 1))
    half = (_T95[n - 2] if n - 1 <= len(_T95) else 1.96) * math.sqrt(variance / n)
    return Estimate(n, mean, mean - half, mean + half)


@dataclass(frozen=True)
class VersionStats:
    version_id: str
    version: int
    generations: int
    latency: Estimate  # seconds
    total_cost: float
    avg_cost: float | None
    avg_input_tokens: float | None
    avg_output_tokens: float | None
    avg_tokens: float | None
    scores: dict[str, Estimate] = field(default_factory=dict)


@dataclass(frozen=True)
class RolloutChangeRead:
    changed_at: datetime
    changed_by: str
    before: list[tuple[int, float]]
    after: list[tuple[int, float]]


@dataclass(frozen=True)
class PromptDetail:
    id: str
    name: str
    tags: list[str]
    deleted_via_api: bool
    versions: list[PromptVersionRead]  # newest first
    authors: dict[str, str]  # member id -> name
    rollout: list[tuple[int, float]]  # (version, percent)
    history: list[RolloutChangeRead]  # newest first


def get_prompt_detail(session: Session, actor: Actor, lineage_id: str) -> PromptDetail:
    """The prompt, its versions, its current rollout (as percentages) and its rollout history."""
    require(actor, "prompts:view")
    lineage = owned(session, PromptLineage, lineage_id, actor, "Prompt not found.")
    versions = session.exec(select(PromptVersion).where(PromptVersion.lineage_id == lineage.id)
                            .order_by(PromptVersion.version.desc())).all()
    rollout = session.exec(select(PromptRollout.version, PromptRollout.rollout)
                           .where(PromptRollout.lineage_id == lineage.id).order_by(PromptRollout.version)).all()
    changes = session.exec(select(PromptRolloutChange).where(PromptRolloutChange.lineage_id == lineage.id)
                           .order_by(PromptRolloutChange.changed_at.desc()).limit(50)).all()
    people = {v.created_by_id for v in versions} | {c.changed_by_id for c in changes}
    names = dict(session.exec(select(Member.id, Member.name).where(Member.id.in_(people - {None}))).all())
    pairs = lambda rows: percents([(r["version"], r["rollout"]) for r in rows or []])  # noqa: E731
    history = [RolloutChangeRead(c.changed_at, names.get(c.changed_by_id, "SDK" if not c.changed_by_id else
                                                         "former member"), pairs(c.before), pairs(c.after))
               for c in changes]
    return PromptDetail(lineage.id, lineage.name, list(lineage.tags or []), lineage.deleted_at is not None,
                        [_version_read(v, lineage) for v in versions], names, percents(list(rollout)), history)


@dataclass(frozen=True)
class PromptResults:
    versions: list[VersionStats]  # newest first, every version (zero when unused)
    score_names: list[str]
    daily: list[tuple[date, int, int]]  # (day, version, generations) over the last CHART_DAYS days


def _step_stats(session: Session, actor: Actor, ids: list[str]) -> dict[str, tuple]:
    d = Step.duration
    rows = session.exec(
        select(Step.prompt_version_id, func.count(), func.count(d), func.sum(d), func.sum(d * d),
               func.sum(Step.cost), func.count(Step.cost), func.avg(Step.input_token_count),
               func.avg(Step.output_token_count), func.avg(Step.token_count))
        .where(Step.project_id == actor.project_id, Step.prompt_version_id.in_(ids))
        .group_by(Step.prompt_version_id)).all()
    return {r[0]: r[1:] for r in rows}


def _score_stats(session: Session, actor: Actor, ids: list[str]) -> dict[str, dict[str, Estimate]]:
    rows = session.exec(
        select(Step.prompt_version_id, Score.name, func.count(), func.sum(Score.value),
               func.sum(Score.value * Score.value))
        .join(Score, Score.step_id == Step.id)
        # Driven from the version's steps (the step index, then scores by step id): a filter on the
        # score's project would let SQLite scan every score of the project instead.
        .where(Step.project_id == actor.project_id, Step.prompt_version_id.in_(ids))
        .group_by(Step.prompt_version_id, Score.name)).all()
    out: dict[str, dict[str, Estimate]] = {}
    for vid, name, n, total, squares in rows:
        out.setdefault(vid, {})[name] = estimate(n, total, squares)
    return out


def _daily(session: Session, actor: Actor, ids: list[str]) -> list[tuple[str, str, int]]:
    since = utcnow() - timedelta(days=CHART_DAYS)
    dialect = session.get_bind().dialect.name
    day = func.date(Step.created_at) if dialect == "sqlite" else cast(func.timezone("UTC", Step.created_at), Date)
    return session.exec(select(day, Step.prompt_version_id, func.count())
                        .where(Step.project_id == actor.project_id, Step.prompt_version_id.in_(ids),
                               Step.created_at >= since)
                        .group_by(day, Step.prompt_version_id).order_by(day)).all()


def get_prompt_results(session: Session, actor: Actor, lineage_id: str) -> PromptResults:
    """Per-version aggregates over every generation that used a version of this prompt."""
    require(actor, "prompts:view")
    lineage = owned(session, PromptLineage, lineage_id, actor, "Prompt not found.")
    numbers = dict(session.exec(select(PromptVersion.id, PromptVersion.version)
                                .where(PromptVersion.lineage_id == lineage.id)).all())
    ids = list(numbers)
    steps, scores = _step_stats(session, actor, ids), _score_stats(session, actor, ids)
    stats = []
    for vid, number in sorted(numbers.items(), key=lambda kv: -kv[1]):
        n, n_d, sum_d, sq_d, cost, n_cost, in_tok, out_tok, tok = steps.get(vid, (0, 0, None, None, None, 0, None,
                                                                                  None, None))
        stats.append(VersionStats(vid, number, n, estimate(n_d, sum_d, sq_d), float(cost or 0),
                                  float(cost) / n_cost if n_cost else None, _f(in_tok), _f(out_tok), _f(tok),
                                  scores.get(vid, {})))
    names = sorted({name for per in scores.values() for name in per})
    daily = [(_as_date(d), numbers[vid], n) for d, vid, n in _daily(session, actor, ids)]
    return PromptResults(stats, names, daily)


def _f(value) -> float | None:
    return None if value is None else float(value)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
