"""Expanding the ingestion backlog into online-evaluation runs (done by the drain job).

Backlog rows (``ingestion.eval_queue``) are taken and deleted in the same transaction that
queues their runs. For each active rule of the project, the recorded complete steps (an end time, or a generation
with its output) of the rule's type, step name and environment are sampled — deterministically,
by a hash of rule and step, so a step re-sent by the SDK is sampled the same way — and a
``queued`` RuleRun row is inserted, ignoring duplicates (unique on rule + step): a step is
evaluated once per rule however often it is sent. Filters of
the Logs engine (tags, metadata, scores…) are matched by the job, where a non-matching run is
dropped. Judge generations (environment ``evaluation``) are never evaluated.
"""

from __future__ import annotations

import hashlib
from typing import Iterable

from sqlalchemy import select
from sqlmodel import Session

from literal_app.models.evals import EvalBacklog, OnlineEvalRule, RuleRun
from literal_app.models.tracing import Step
from literal_app.models.types import utcnow
from literal_app.services.ingestion import bulk

EVALUATION_ENVIRONMENT = "evaluation"
_TYPES = {"run": "run", "generation": "llm"}


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
    return session.execute(select(OnlineEvalRule.id, OnlineEvalRule.log_type, OnlineEvalRule.step_name,
                                  OnlineEvalRule.environment, OnlineEvalRule.sample_rate)
                           .where(OnlineEvalRule.project_id == project_id, OnlineEvalRule.active)).all()


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


def expand(session: Session, project_id: str, limit: int = 200) -> int:
    """Turn up to ``limit`` backlog rows of the project into queued runs; returns rows taken."""
    q = (select(EvalBacklog.id, EvalBacklog.step_ids).where(EvalBacklog.project_id == project_id)
         .order_by(EvalBacklog.created_at).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)  # two drains never take the same rows
    rows = session.execute(q).all()
    if not rows:
        return 0
    session.execute(EvalBacklog.__table__.delete().where(EvalBacklog.id.in_([r.id for r in rows])))
    step_ids = [s for r in rows for s in (r.step_ids or [])]
    for i in range(0, len(step_ids), 1000):
        queue_runs(session, project_id, step_ids[i:i + 1000])
    return len(rows)


def stale_projects(session: Session, older_than) -> list[str]:
    """Projects with backlog rows older than ``older_than`` (their drain job never ran)."""
    return list(session.execute(select(EvalBacklog.project_id).where(EvalBacklog.created_at <= older_than)
                                .distinct().limit(10_000)).scalars())
