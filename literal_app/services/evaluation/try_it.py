"""The scorer page's "Try it": run a scorer on one logged step and show what it answered."""

from __future__ import annotations

from sqlmodel import Session

from literal_app.models.tracing import Step
from literal_app.services.evaluation.rule_execution import io_of, thread_of
from literal_app.services.evaluation.scoring import ScorerResult, run_scorer
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.scoping import owned


def try_on_step(session: Session, actor: Actor, scorer_id: str, step_id: str,
                expected_output: str | None = None) -> ScorerResult:
    """Score the step (its input, output, metadata and thread) without storing a score; a judge's
    call is logged as an evaluation generation like any other."""
    require(actor, "observability:write")
    step = owned(session, Step, (step_id or "").strip(), actor, "No logged step with this id in the project.")
    inp, out, meta = io_of(step)
    return run_scorer(session, actor, scorer_id, input=inp, output=out, metadata=meta,
                      expected_output=expected_output or None, thread=thread_of(session, step))
