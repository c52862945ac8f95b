"""Experiments: runs of an application (or a prompt variant) over a dataset, one item per
dataset row with its input, output, run step and scores.

Experiments may have no dataset and no params (``params`` then stays ``None``). The run step
named by ``experiment_run_id`` is usually ingested after the item, so it is not checked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from literal_app.models.datasets import Experiment, ExperimentItem
from literal_app.models.prompts import PromptVariant
from literal_app.models.tracing import Score, ScoreType
from literal_app.services.datasets.datasets import owned_dataset
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned
from literal_app.services.kernel.validation import clean_name


@dataclass(frozen=True)
class ExperimentRead:
    id: str
    name: str
    dataset_id: str | None
    prompt_variant_id: str | None
    params: Any
    status: str
    created_at: datetime
    item_count: int = 0

    @property
    def prompt_experiment_id(self) -> str | None:  # the protocol's name for the prompt variant
        return self.prompt_variant_id


@dataclass(frozen=True)
class ExperimentScoreRead:
    id: str
    name: str
    type: str
    value: float
    label: str | None
    comment: str | None


@dataclass(frozen=True)
class ExperimentItemRead:
    id: str
    experiment_id: str
    dataset_item_id: str | None
    experiment_run_id: str | None
    input: Any
    output: Any
    created_at: datetime
    scores: list[ExperimentScoreRead] = field(default_factory=list)

    @property
    def dataset_experiment_id(self) -> str:
        return self.experiment_id


def _read(e: Experiment, count: int = 0) -> ExperimentRead:
    return ExperimentRead(e.id, e.name, e.dataset_id, e.prompt_variant_id, e.params, e.status, e.created_at,
                          count)


def _item_read(i: ExperimentItem, scores: list[Score] = ()) -> ExperimentItemRead:
    return ExperimentItemRead(i.id, i.experiment_id, i.dataset_item_id, i.run_step_id, i.input, i.output,
                              i.created_at, [ExperimentScoreRead(s.id, s.name, s.type, s.value, s.label, s.comment)
                                             for s in scores])


def _experiment(session: Session, actor: Actor, experiment_id: str) -> Experiment:
    row = owned(session, Experiment, experiment_id, actor, "Experiment not found.")
    return row


def create_experiment(session: Session, actor: Actor, *, name: str, dataset_id: str | None = None,
                      prompt_variant_id: str | None = None, params: Any = None) -> ExperimentRead:
    require(actor, "datasets:write")
    name = clean_name(name, "Experiment name", 256)
    if dataset_id:
        dataset_id = owned_dataset(session, actor, dataset_id).id
    if prompt_variant_id:
        variant = owned(session, PromptVariant, prompt_variant_id, actor, "Prompt variant not found.")
    row = Experiment(project_id=actor.project_id, name=name, dataset_id=dataset_id or None,
                     prompt_variant_id=prompt_variant_id or None, params=params,
                     created_by_id=actor.member_id)
    session.add(row)
    session.flush()
    return _read(row)


def _check_scores(scores: list[dict] | None) -> list[dict]:
    """Scores as given to ``log_item``; each needs a name, a known type and a finite value."""
    out = []
    for s in scores or []:
        value, type_ = s.get("value"), s.get("type") or ScoreType.AI.value
        if not s.get("name"):
            raise Invalid("Each score needs a name.")
        if type_ not in {t.value for t in ScoreType}:
            raise Invalid(f"Unknown score type {type_!r}: use HUMAN, AI or CODE.")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            raise Invalid(f"The score {s['name']!r} needs a finite numeric value.")
        out.append({**s, "type": type_, "value": float(value)})
    return out


def create_item(session: Session, actor: Actor, *, experiment_id: str, dataset_item_id: str | None = None,
                experiment_run_id: str | None = None, input: Any = None, output: Any = None,
                scores: list[dict] | None = None) -> ExperimentItemRead:
    """Log one experiment item (``createDatasetExperimentItem``), with optional scores."""
    require(actor, "datasets:write")
    experiment = _experiment(session, actor, experiment_id)
    checked = _check_scores(scores)
    row = ExperimentItem(project_id=actor.project_id, experiment_id=experiment.id,
                         dataset_item_id=dataset_item_id or None, run_step_id=experiment_run_id or None,
                         input=input, output=output)
    session.add(row)
    session.flush()
    added = [Score(project_id=actor.project_id, experiment_item_id=row.id, name=s["name"], type=s["type"],
                   value=s["value"], label=s.get("label"), comment=s.get("comment"), scorer=s.get("scorer"),
                   tags=s.get("tags"), created_by_id=actor.member_id) for s in checked]
    session.add_all(added)
    session.flush()
    return _item_read(row, added)


def list_experiments(session: Session, actor: Actor, *, dataset_id: str | None = None) -> list[ExperimentRead]:
    """The project's experiments (or one dataset's), newest first, with their item counts."""
    require(actor, "datasets:read")
    counts = (select(ExperimentItem.experiment_id, func.count().label("n"))
              .group_by(ExperimentItem.experiment_id).subquery())
    q = (select(Experiment, counts.c.n).join(counts, counts.c.experiment_id == Experiment.id, isouter=True)
         .where(Experiment.project_id == actor.project_id))
    if dataset_id:
        q = q.where(Experiment.dataset_id == dataset_id)
    rows = session.exec(q.order_by(Experiment.created_at.desc())).all()
    return [_read(e, n or 0) for e, n in rows]


def get_experiment(session: Session, actor: Actor, experiment_id: str) -> ExperimentRead:
    require(actor, "datasets:read")
    row = _experiment(session, actor, experiment_id)
    count = session.exec(select(func.count()).select_from(ExperimentItem)
                         .where(ExperimentItem.experiment_id == row.id)).one()
    return _read(row, count)


def list_items(session: Session, actor: Actor, experiment_id: str) -> list[ExperimentItemRead]:
    """An experiment's items in logging order, each with its scores (by creation)."""
    require(actor, "datasets:read")
    experiment = _experiment(session, actor, experiment_id)
    items = session.exec(select(ExperimentItem).where(ExperimentItem.experiment_id == experiment.id)
                         .order_by(ExperimentItem.created_at, ExperimentItem.id)).all()
    scores: dict[str, list[Score]] = {}
    if items:
        rows = session.exec(select(Score).where(Score.project_id == actor.project_id,
                                                Score.experiment_item_id.in_([i.id for i in items]))
                            .order_by(Score.created_at)).all()
        for s in rows:
            scores.setdefault(s.experiment_item_id, []).append(s)
    return [_item_read(i, scores.get(i.id, [])) for i in items]


def score_averages(session: Session, actor: Actor, experiment_id: str) -> dict[str, float]:
    """Mean value of each score name over the experiment's items (for comparing experiments)."""
    require(actor, "datasets:read")
    experiment = _experiment(session, actor, experiment_id)
    item_ids = select(ExperimentItem.id).where(ExperimentItem.experiment_id == experiment.id)
    rows = session.exec(select(Score.name, func.avg(Score.value)).where(
        Score.project_id == actor.project_id, Score.experiment_item_id.in_(item_ids)).group_by(Score.name)).all()
    return {name: float(avg) for name, avg in rows}


def delete_experiment(session: Session, actor: Actor, experiment_id: str) -> ExperimentRead:
    """Delete an experiment with its items and their scores."""
    require(actor, "datasets:write")
    row = _experiment(session, actor, experiment_id)
    read = _read(row)
    items = session.exec(select(ExperimentItem).where(ExperimentItem.experiment_id == row.id)).all()
    for s in session.exec(select(Score).where(Score.project_id == actor.project_id,
                                              Score.experiment_item_id.in_([i.id for i in items]))).all():
        session.delete(s)
    for i in items:
        session.delete(i)
    session.delete(row)
    session.flush()
    return read
