"""One prompt's page: its versions (author, changelog, rollout share, deprecation), the rollout
history, and the per-version results an A/B test is read from: generations per day, latency, cost,
tokens and every score's mean with a 95% confidence interval (kept within the range its score
schema allows), read from the per-version daily rollup the database keeps exact (``prompt_rollups``)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from literal_app.models.auth import Member
from literal_app.models.evals import ScoreSchema
from literal_app.models.prompts import PromptLineage, PromptRollout, PromptRolloutChange, PromptVersion
from literal_app.models.types import utcnow
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.scoping import owned
from literal_app.services.prompts import prompt_rollups
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


def estimate(n: int, total: float | None, squares: float | None, *, floor: float | None = None,
             ceiling: float | None = None) -> Estimate:
    """The mean of ``n`` values from their sum and sum of squares. ``floor`` and ``ceiling`` bound
    the interval of a quantity that cannot leave them (a latency, a score with a schema): two
    spread-out values give a t interval wider than the range, and "-0.96 s" or "[-5.85, 6.85]"
    for a 0/1 score would read as measurements."""
    if not n or total is None:
        return Estimate(0, None)
    mean = total / n
    if n < 2 or squares is None:
        return Estimate(n, mean)
    variance = max(0.0, (squares - n * mean * mean) / (n - 1))
    half = (_T95[n - 2] if n - 1 <= len(_T95) else 1.96) * math.sqrt(variance / n)
    low = mean - half if floor is None else max(floor, mean - half)
    high = mean + half if ceiling is None else min(ceiling, mean + half)
    return Estimate(n, mean, low, high)


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
    daily: list[tuple[date, int, int]]  # (UTC day, version, generations) over the chart's CHART_DAYS days


def get_prompt_results(session: Session, actor: Actor, lineage_id: str) -> PromptResults:
    """Per-version aggregates over every generation that used a version of this prompt, read from
    the per-version daily rollup (``prompt_rollups``: exact, a few rows per version and day)."""
    require(actor, "prompts:view")
    lineage = owned(session, PromptLineage, lineage_id, actor, "Prompt not found.")
    numbers = dict(session.exec(select(PromptVersion.id, PromptVersion.version)
                                .where(PromptVersion.lineage_id == lineage.id)).all())
    sums = prompt_rollups.totals(session, actor.project_id, [lineage.id])
    bounds = _score_bounds(session, actor.project_id, {name for _, name in sums if name})
    scores: dict[str, dict[str, Estimate]] = {}
    for (vid, name), t in sums.items():
        if name:
            low, high = bounds.get(name, (None, None))
            scores.setdefault(vid, {})[name] = estimate(t.n, t.score_sum, t.score_sq, floor=low, ceiling=high)
    stats = []
    for vid, number in sorted(numbers.items(), key=lambda kv: -kv[1]):
        g = sums.get((vid, ""))
        if g is None:
            stats.append(VersionStats(vid, number, 0, Estimate(0, None), 0.0, None, None, None, None, scores.get(vid, {})))
            continue
        latency = estimate(g.duration_n, g.duration_sum, g.duration_sq, floor=0.0)
        stats.append(VersionStats(vid, number, g.n, latency, g.cost_sum, _mean(g.cost_sum, g.cost_n),
                                  _mean(g.input_sum, g.input_n), _mean(g.output_sum, g.output_n),
                                  _mean(g.tokens_sum, g.tokens_n), scores.get(vid, {})))
    names = sorted({name for per in scores.values() for name in per})
    since = utcnow().date() - timedelta(days=CHART_DAYS - 1)
    daily = [(d, numbers[vid], n) for d, vid, n in prompt_rollups.daily(session, actor.project_id, [lineage.id], since)
             if vid in numbers]
    return PromptResults(stats, names, daily)


def _score_bounds(session: Session, project_id: str, names: set[str]) -> dict[str, tuple[float | None, float | None]]:
    """The range each score name's schema allows (Settings → Score schemas): a continuous schema's
    min and max, a categorical one's lowest and highest category value; names without a schema
    are unbounded."""
    if not names:
        return {}
    out = {}
    for schema in session.exec(select(ScoreSchema).where(ScoreSchema.project_id == project_id,
                                                         ScoreSchema.name.in_(sorted(names)))).all():
        if schema.type == "continuous":
            out[schema.name] = (schema.min_value, schema.max_value)
        else:
            values = [c["value"] for c in schema.categories or []
                      if isinstance(c, dict) and isinstance(c.get("value"), (int, float))]
            out[schema.name] = (min(values), max(values)) if values else (None, None)
    return out


def _mean(total: float, n: int) -> float | None:
    return total / n if n else None
