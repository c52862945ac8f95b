"""Online evaluation runs queued inside the ingestion transaction.

For each active rule of the project, the batch's complete steps (an end time, or a generation
with its output) of the rule's type, step name and environment are sampled — deterministically,
by a hash of rule and step, so a step re-sent by the SDK is sampled the same way — and a
``queued`` RuleRun row is inserted, ignoring duplicates (unique on rule + step): a step is
evaluated once per rule however often it is sent. Rows are committed with the steps, so a queue
that cannot be reached loses nothing: the sweeper job re-enqueues queued runs later. Filters of
the Logs engine (tags, metadata, scores…) are matched by the job, where a non-matching run is
dropped. Judge generations (environment ``evaluation``) are never evaluated.
"""

from __future__ import annotations

import hashlib
import time
from typing import Iterable

from sqlalchemy import select
from sqlmodel import Session

from literal_app.models.evals import OnlineEvalRule, RuleRun
from literal_app.models.tracing import Step
from literal_app.models.types import utcnow
from literal_app.services.ingestion import bulk

EVALUATION_ENVIRONMENT = "evaluation"
_TYPES = {"run": "run", "generation": "llm"}
RULES_TTL = 1.0
_rules_cache: dict[str, tuple[float, list]] = {}


def _run_id(rule_id: str, step_id: str) -> str:
    """A run's id from its rule and step (cheaper than a random UUID on the ingest path)."""
    return hashlib.blake2b(f"run:{rule_id}:{step_id}".encode(), digest_size=16).hexdigest()


def sampled(rule_id: str, step_id: str, rate: float) -> bool:
    """Whether ``step_id`` falls in the rule's sample (same answer every time it is asked)."""
    if rate >= 1:
        return True
    digest = hashlib.blake2b(f"{rule_id}:{step_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < rate


def _active_rules(session: Session, project_id: str) -> list:
    """The project's active rules, read at most once per ``RULES_TTL`` seconds per process (a rule
    created or paused applies to ingestions from a second later)."""
    now = time.monotonic()
    cached = _rules_cache.get(project_id)
    if cached and now - cached[0] < RULES_TTL:
        return cached[1]
    rules = session.execute(select(OnlineEvalRule.id, OnlineEvalRule.log_type, OnlineEvalRule.step_name,
                                   OnlineEvalRule.environment, OnlineEvalRule.sample_rate)
                            .where(OnlineEvalRule.project_id == project_id, OnlineEvalRule.active)).all()
    _rules_cache[project_id] = (now, rules)
    return rules


def _complete_steps(session: Session, project_id: str, step_ids: list[str], types: set[str]) -> list:
    """By primary key only (a type or project condition can lead SQLite to a project-wide index)."""
    has_output = Step.output.is_not(None)
    rows = session.execute(select(Step.id, Step.type, Step.name, Step.environment, Step.project_id,
                                  Step.end_time.is_not(None), has_output).where(Step.id.in_(step_ids))).all()
    return [r for r in rows if r[4] == project_id and r[1] in types and (r[5] or (r[1] == "llm" and r[6]))]


def queue_runs(session: Session, project_id: str, step_ids: Iterable[str]) -> list[str]:
    """Insert queued runs for the batch; returns the ids of the steps that got one (or had one)."""
    step_ids = list(dict.fromkeys(step_ids))
    rules = _active_rules(session, project_id) if step_ids else []
    if not rules:
        return []
    steps = _complete_steps(session, project_id, step_ids, {_TYPES.get(r.log_type, "run") for r in rules})
    now, rows = utcnow(), []
    for step in steps:
        if step.environment == EVALUATION_ENVIRONMENT:
            continue
        for r in rules:
            if (step.type == _TYPES.get(r.log_type, "run") and (not r.step_name or r.step_name == step.name)
                    and (not r.environment or r.environment == step.environment)
                    and sampled(r.id, step.id, r.sample_rate)):
                rows.append({"id": _run_id(r.id, step.id), "project_id": project_id, "rule_id": r.id, "step_id": step.id,
                             "status": "queued", "attempts": 0, "created_at": now, "updated_at": now})
    bulk.insert_ignore(session, RuleRun.__table__, rows, ["rule_id", "step_id"])
    return list(dict.fromkeys(r["step_id"] for r in rows))
