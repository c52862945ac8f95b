"""Scoring one thing: the single entry point experiments, online rules and "Try it" call.

``run_scorer`` never raises for a failure of the scoring itself (an unreachable provider, a judge
answer outside the schema, an output that is not a number): it answers a ``ScorerResult`` whose
``error`` says why and whose ``retryable`` says whether trying again later may help (429, 5xx,
timeouts, invalid judge answers). It raises only for the caller's mistakes: ``Forbidden``,
``NotFound`` (no such scorer in the project).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from literal_app.models.evals import Scorer
from literal_app.services.evaluation import code_metrics, embeddings, judges
from literal_app.services.evaluation.scoring_types import ScorerResult
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.scoping import owned


def run_scorer(session: Session, actor: Actor, scorer_id: str, *, input: Any, output: Any,
               expected_output: Any = None, metadata: dict | None = None,
               thread: list[dict] | None = None) -> ScorerResult:
    """Score one output with the project's scorer ``scorer_id`` (see the package docstring)."""
    require(actor, "observability:write")
    scorer = owned(session, Scorer, scorer_id, actor, "Scorer not found.")
    return score_with(session, scorer, input=input, output=output, expected_output=expected_output,
                      metadata=metadata, thread=thread)


def score_with(session: Session, scorer: Scorer, *, input: Any, output: Any, expected_output: Any = None,
               metadata: dict | None = None, thread: list[dict] | None = None) -> ScorerResult:
    """``run_scorer`` for a loaded scorer (online rules load it once per batch)."""
    config = scorer.config or {}
    if scorer.kind == "code":
        return _code(scorer, config, output, expected_output)
    if scorer.kind == "embedding":
        return embeddings.score(scorer, config, output, expected_output)
    return judges.judge(session, scorer, input=input, output=output, expected_output=expected_output,
                        metadata=metadata or {}, thread=thread)


def _code(scorer: Scorer, config: dict, output: Any, expected_output: Any) -> ScorerResult:
    try:
        value, label, reason = code_metrics.score(config.get("metric", ""), config.get("params") or {},
                                                  output, expected_output)
    except (code_metrics.MetricError, KeyError) as exc:
        return ScorerResult(None, error=str(exc) or "The scorer's configuration is incomplete.", name=scorer.name)
    return ScorerResult(value, label, reason, name=scorer.name, type="CODE")
