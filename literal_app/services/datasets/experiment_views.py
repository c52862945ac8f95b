"""What the experiments pages read: the list (global or per dataset, server-run and SDK-logged
alike, with failures and each score's average, filterable by dataset / prompt version / param) and
one experiment's items with their scores, reasons, latency, cost and trace, plus each score's
aggregate (mean, 95% CI, count) and distribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func
from sqlmodel import Session, select

from literal_app.models.datasets import Dataset, Experiment, ExperimentItem
from literal_app.models.tracing import Score
from literal_app.services.datasets.stats import Summary, histogram, summarize
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import NotFound
from literal_app.services.kernel.scoping import owned

MAX_LIST = 500


@dataclass(frozen=True)
class ExperimentSummary:
    id: str
    name: str
    dataset_id: str | None
    dataset_name: str
    prompt_version_id: str | None
    model: str
    params: Any
    status: str
    source: str
    items: int
    failures: int
    averages: dict[str, float]
    created_at: datetime


@dataclass(frozen=True)
class ItemScoreRead:
    name: str
    value: float
    reason: str


@dataclass(frozen=True)
class ItemResult:
    id: str
    position: int
    dataset_item_id: str | None
    input: Any
    expected_output: Any
    output: Any
    status: str
    error: str | None
    latency_ms: float | None
    cost: float | None
    step_id: str | None
    scores: list[ItemScoreRead] = field(default_factory=list)

    def score(self, name: str) -> float | None:
        return next((s.value for s in self.scores if s.name == name), None)


@dataclass(frozen=True)
class ExperimentDetail:
    summary: ExperimentSummary
    items: list[ItemResult]
    aggregates: dict[str, Summary]
    distributions: dict[str, list[tuple[float, float, int]]]


def _summaries(session: Session, actor: Actor, rows: list[Experiment]) -> list[ExperimentSummary]:
    ids = [e.id for e in rows]
    if not ids:
        return []
    counts: dict[str, dict[str, int]] = {}
    for exp_id, status, n in session.exec(select(ExperimentItem.experiment_id, ExperimentItem.status, func.count())
                                          .where(ExperimentItem.experiment_id.in_(ids))
                                          .group_by(ExperimentItem.experiment_id, ExperimentItem.status)).all():
        counts.setdefault(exp_id, {})[status] = n
    averages: dict[str, dict[str, float]] = {}
    for exp_id, name, avg in session.exec(
            select(ExperimentItem.experiment_id, Score.name, func.avg(Score.value))
            .join(Score, Score.experiment_item_id == ExperimentItem.id)
            .where(ExperimentItem.experiment_id.in_(ids), Score.project_id == actor.project_id)
            .group_by(ExperimentItem.experiment_id, Score.name)).all():
        averages.setdefault(exp_id, {})[name] = float(avg)
    names = dict(session.exec(select(Dataset.id, Dataset.name).where(
        Dataset.id.in_({e.dataset_id for e in rows if e.dataset_id}))).all())
    return [ExperimentSummary(e.id, e.name, e.dataset_id, names.get(e.dataset_id, ""), e.prompt_version_id,
                              e.model or _param(e.params, "model"), e.params, e.status, e.source,
                              sum(counts.get(e.id, {}).values()), counts.get(e.id, {}).get("failed", 0),
                              averages.get(e.id, {}), e.created_at) for e in rows]


def _param(params: Any, key: str) -> str:
    return str(params.get(key) or "") if isinstance(params, dict) else ""


def list_summaries(session: Session, actor: Actor, *, dataset_id: str | None = None,
                   prompt_version_id: str | None = None, param: str | None = None,
                   limit: int = 200) -> list[ExperimentSummary]:
    """Experiments newest first; ``param`` keeps those whose name or params contain the text."""
    require(actor, "datasets:read")
    q = select(Experiment).where(Experiment.project_id == actor.project_id)
    if dataset_id:
        q = q.where(Experiment.dataset_id == dataset_id)
    if prompt_version_id:
        q = q.where(Experiment.prompt_version_id == prompt_version_id)
    if param and param.strip():
        like = f"%{param.strip()}%"
        q = q.where(cast(Experiment.params, String).ilike(like) | Experiment.name.ilike(like))
    rows = session.exec(q.order_by(Experiment.created_at.desc(), Experiment.id.desc())
                        .limit(min(max(limit, 1), MAX_LIST))).all()
    return _summaries(session, actor, list(rows))


def operator_actor(session: Session, experiment_id: str) -> Actor:
    """An operator's actor (the command line, with database access) in the experiment's project."""
    exp = session.get(Experiment, experiment_id)
    if exp is None:
        raise NotFound(f"No experiment {experiment_id!r}.")
    return Actor(project_id=exp.project_id, role="ADMIN")


def get_summary(session: Session, actor: Actor, experiment_id: str) -> ExperimentSummary:
    require(actor, "datasets:read")
    return _summaries(session, actor, [owned(session, Experiment, experiment_id, actor, "Experiment not found.")])[0]


def item_results(session: Session, actor: Actor, experiment_id: str) -> list[ItemResult]:
    """Every item of an experiment in dataset order, with its scores."""
    require(actor, "datasets:read")
    exp = owned(session, Experiment, experiment_id, actor, "Experiment not found.")
    items = session.exec(select(ExperimentItem).where(ExperimentItem.experiment_id == exp.id)
                         .order_by(ExperimentItem.position, ExperimentItem.created_at, ExperimentItem.id)).all()
    scores: dict[str, list[ItemScoreRead]] = {}
    for item_id, name, value, comment in session.exec(
            select(Score.experiment_item_id, Score.name, Score.value, Score.comment)
            .join(ExperimentItem, ExperimentItem.id == Score.experiment_item_id)
            .where(ExperimentItem.experiment_id == exp.id, Score.project_id == actor.project_id)
            .order_by(Score.created_at)).all():
        scores.setdefault(item_id, []).append(ItemScoreRead(name, float(value), comment or ""))
    return [ItemResult(i.id, i.position, i.dataset_item_id, i.input, i.expected_output, i.output, i.status, i.error,
                       i.latency_ms, i.cost, i.run_step_id, scores.get(i.id, [])) for i in items]


def get_detail(session: Session, actor: Actor, experiment_id: str) -> ExperimentDetail:
    summary = get_summary(session, actor, experiment_id)
    items = item_results(session, actor, experiment_id)
    names = sorted({s.name for i in items for s in i.scores})
    values = {n: [v for i in items if (v := i.score(n)) is not None] for n in names}
    return ExperimentDetail(summary, items, {n: summarize(v) for n, v in values.items()},
                            {n: histogram(v) for n, v in values.items()})
