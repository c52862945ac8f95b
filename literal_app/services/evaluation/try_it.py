"""The scorer page's "Try it": pick a recent logged step (a searchable list from the project's
Logs), run a scorer on it and show what it answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from literal_app.models.tracing import Step
from literal_app.services.evaluation.rule_execution import io_of, thread_of
from literal_app.services.evaluation.scoring import ScorerResult, run_scorer
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned
from literal_app.services.logs import log_lists
from literal_app.services.logs.log_filters import LogFilters

PICK_TABLES = {"runs": "Runs", "generations": "Generations", "steps": "All steps"}


@dataclass(frozen=True)
class StepChoice:
    """A logged step offered to "Try it": enough to recognise it."""

    id: str
    name: str
    kind: str
    created_at: datetime | None
    input: str
    output: str


def recent_steps(session: Session, actor: Actor, table: str = "runs", search: str = "",
                 limit: int = 20) -> list[StepChoice]:
    """The newest steps of ``table`` whose input or output contains ``search`` (the Logs search and
    its default environment filter: judge calls are not offered)."""
    require(actor, "observability:read")
    if table not in PICK_TABLES:
        raise Invalid("Pick from runs, generations or all steps.")
    page = log_lists.list_rows(session, actor, table, LogFilters(search=(search or "").strip()[:200]),
                               limit=max(1, min(limit, 50)))
    return [StepChoice(r.id, r.name or "(unnamed)", r.step_type or r.kind, r.created_at, r.input, r.output)
            for r in page.rows]


def try_on_step(session: Session, actor: Actor, scorer_id: str, step_id: str,
                expected_output: str | None = None) -> ScorerResult:
    """Score the step (its input, output, metadata and thread) without storing a score; a judge's
    call is logged as an evaluation generation like any other."""
    require(actor, "observability:write")
    step = owned(session, Step, (step_id or "").strip(), actor, "No logged step with this id in the project.")
    inp, out, meta = io_of(step)
    return run_scorer(session, actor, scorer_id, input=inp, output=out, metadata=meta,
                      expected_output=expected_output or None, thread=thread_of(session, step))
