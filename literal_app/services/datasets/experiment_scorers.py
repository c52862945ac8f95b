"""Scoring one experiment item: the evaluation area's parameterless code metrics (exact match,
contains, valid JSON, string similarity) by key, and any project scorer (code, LLM-as-a-judge, embedding) by id through the
evaluation area's ``run_scorer``.

A scorer answers ``ItemScore(name, value, reason)``; a scorer that cannot score (its judge failed,
no expected output, ...) gives no score and an ``ItemScore`` with ``value=None`` whose reason says
why: the output is still worth keeping and the other scorers still ran.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from literal_app.services.evaluation import code_metrics
from literal_app.services.evaluation import scorers as project_scorers
from literal_app.services.evaluation.scoring import run_scorer
from literal_app.services.kernel.actor import Actor
from literal_app.services.kernel.errors import DomainError, Invalid


@dataclass(frozen=True)
class ItemScore:
    name: str
    value: float | None  # None: the scorer could not score (``reason`` says why)
    reason: str
    type: str = "CODE"


# The evaluation area's code metrics that need no parameters, offered without creating a scorer.
BUILT_IN = ("exact_match", "contains", "valid_json", "similarity")


def plain_expected(expected: Any) -> Any:
    """An expected output of one text field (``{"answer": "..."}``, as a CSV column gives it) as
    that text, so code metrics compare the answer and not its JSON."""
    if isinstance(expected, dict) and len(expected) == 1:
        only = next(iter(expected.values()))
        if isinstance(only, str):
            return only
    return expected


def _label(key: str) -> str:
    return code_metrics.METRICS[key].label


def scorer_choices(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(id, label) of the scorers an experiment can use: the built-ins, then the project's."""
    try:
        own = [(s.id, s.name) for s in project_scorers.list_scorers(session, actor)]
    except DomainError:  # a role that cannot see the project's scorers still gets the built-ins
        own = []
    return [(key, _label(key)) for key in BUILT_IN] + own


def check_scorers(session: Session, actor: Actor, scorer_ids: list[str]) -> list[str]:
    """The scorer ids, each a built-in key or one of the project's scorers."""
    for scorer_id in scorer_ids:
        if scorer_id not in BUILT_IN:
            try:
                project_scorers.get_scorer(session, actor, scorer_id)
            except DomainError:
                raise Invalid(f"Unknown scorer {scorer_id!r}: pick a built-in ({', '.join(BUILT_IN)}) or a "
                              "scorer of this project.")
    return list(dict.fromkeys(scorer_ids))


def score_item(session: Session, actor: Actor, scorer_ids: list[str], *, input: Any, output: str,
               expected_output: Any) -> list[ItemScore]:
    """Run each scorer on one item's output; never raises for a scorer's own failure."""
    out: list[ItemScore] = []
    for scorer_id in scorer_ids:
        try:
            out.append(_one(session, actor, scorer_id, input, output, expected_output))
        except Exception as exc:  # a broken scorer is reported on the item, it does not sink it
            out.append(ItemScore(_label(scorer_id) if scorer_id in BUILT_IN else scorer_id, None,
                                 f"Scorer failed: {exc}"))
    return out


def _one(session: Session, actor: Actor, scorer_id: str, input: Any, output: str, expected: Any) -> ItemScore:
    if scorer_id in BUILT_IN:
        try:
            value, _label_, reason = code_metrics.score(scorer_id, {}, output, plain_expected(expected))
        except code_metrics.MetricError as exc:
            return ItemScore(_label(scorer_id), None, f"Not scored: {exc}")
        return ItemScore(_label(scorer_id), float(value), reason)
    r = run_scorer(session, actor, scorer_id, input=input, output=output, expected_output=expected)
    if r.value is None:
        return ItemScore(r.name or scorer_id, None, f"Not scored: {r.error}", r.type)
    return ItemScore(r.name or scorer_id, float(r.value), r.reason or (r.label or ""), r.type)
