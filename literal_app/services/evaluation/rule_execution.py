"""Executing online-eval runs: claim, match filters, score, store — exactly once per rule and step.

A job claims queued runs (``queued → running``, ``attempts + 1``, in one committed UPDATE) and
then scores them; the score and the run's ``done`` are written in one transaction, fenced by
the attempt number (rows locked), so a worker that died mid-job, or one overtaken after its lease,
never writes a second score. The sweeper puts runs back on the queue: queued ones older than
``STALE_QUEUED`` (their job was never enqueued: Redis was down) and running ones older than
``LEASE`` (their worker died). Judge calls are retried with backoff on provider errors and
invalid answers, ``MAX_TRIES`` times, then the run fails with the reason; a judge whose
credential is gone pauses its rule and says why.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from literal_app.models.evals import OnlineEvalRule, RuleRun, Scorer
from literal_app.models.tracing import Score, Step
from literal_app.models.types import new_id, utcnow
from literal_app.services.evaluation import backlog, scoring
from literal_app.services.evaluation.scoring_types import ScorerResult
from literal_app.services.kernel.actor import Actor
from literal_app.services.logs.log_filters import LogFilters, engine_filters
from literal_app.services.logs.log_lists import matching_ids
from literal_app.services.logs.querying import Filter

RUNS = RuleRun.__table__
LEASE = timedelta(seconds=float(os.environ.get("LITERAL_EVAL_LEASE_SECONDS", "300")))
STALE_QUEUED = timedelta(seconds=float(os.environ.get("LITERAL_EVAL_STALE_SECONDS", "30")))
WAIT_FOR_OUTPUT = timedelta(minutes=10)
MAX_TRIES = 3
BACKOFF = (1.0, 4.0)
_TABLES = {"run": "runs", "generation": "generations"}


def _judge_rules(project_id: str):
    return (select(OnlineEvalRule.id).join(Scorer, Scorer.id == OnlineEvalRule.scorer_id)
            .where(OnlineEvalRule.project_id == project_id, Scorer.kind == "llm_judge"))


def claim(session: Session, project_id: str, step_ids: list[str] | None = None, limit: int = 500,
          slow: bool | None = None) -> list[tuple[str, int, bool]]:
    """Take queued runs — of these steps, or the project's oldest ``limit`` (only judges' runs
    when ``slow``, only the others when ``slow is False``) — as ``(run id, attempt, slow)``; slow
    = a judge's. The status condition makes each run claimed once."""
    where = [RUNS.c.project_id == project_id, RUNS.c.status == "queued"]
    if slow is not None:
        judged = RUNS.c.rule_id.in_(_judge_rules(project_id))
        where.append(judged if slow else ~judged)
    if step_ids is not None:
        where.append(RUNS.c.step_id.in_(step_ids))
    else:  # runs waiting for their step's output (queued with a note) are left to the sweeper
        where.append(RUNS.c.error.is_(None))
        where.append(RUNS.c.id.in_(select(RUNS.c.id).where(*where).order_by(RUNS.c.updated_at).limit(limit)
                                   .scalar_subquery()))
    rows = session.execute(update(RUNS).where(*where)
                           .values(status="running", attempts=RUNS.c.attempts + 1, updated_at=utcnow())
                           .returning(RUNS.c.id, RUNS.c.attempts, RUNS.c.rule_id)).all()
    kinds = dict(session.execute(select(OnlineEvalRule.id, Scorer.kind).join(Scorer, Scorer.id == OnlineEvalRule.scorer_id)
                                 .where(OnlineEvalRule.id.in_({r.rule_id for r in rows}))).all()) if rows else {}
    return [(r.id, r.attempts, kinds.get(r.rule_id) == "llm_judge") for r in rows]


def _messages_of(value: Any) -> list:
    return value if isinstance(value, list) else []


def io_of(step: Step) -> tuple[Any, Any, dict]:
    """(input, output, metadata) of a step; a generation's messages and completion stand in."""
    g = step.generation or {}
    inp = step.input if step.input is not None else (_messages_of(g.get("messages"))[-1:] or [g.get("prompt")])[0]
    out = step.output if step.output is not None else (g.get("messageCompletion") or g.get("completion"))
    meta = dict(step.meta or {})
    meta.setdefault("variables", g.get("variables") or {})
    return inp, out, meta


def thread_of(session: Session, step: Step) -> list[dict]:
    if not step.thread_id:
        return []
    rows = session.execute(select(Step.type, Step.output, Step.input).where(
        Step.project_id == step.project_id, Step.thread_id == step.thread_id,
        Step.type.in_(("user_message", "assistant_message"))).order_by(Step.start_time).limit(50)).all()
    return [{"role": "user" if t == "user_message" else "assistant", "content": o if o is not None else i}
            for t, o, i in rows]


def _matching(session: Session, rule: OnlineEvalRule, step_ids: list[str]) -> set[str]:
    if not rule.filters:
        return set(step_ids)
    actor = Actor(project_id=rule.project_id, role="ADMIN")
    filters = engine_filters(LogFilters.from_params(rule.filters), "steps") + [Filter("id", "in", step_ids)]
    return set(matching_ids(session, actor, "steps", filters, cap=len(step_ids)))


def _judge_with_retries(session: Session, scorer: Scorer, kwargs: dict) -> ScorerResult:
    for attempt in range(MAX_TRIES):
        result = scoring.score_with(session, scorer, **kwargs)
        if result.ok or not result.retryable or attempt == MAX_TRIES - 1:
            return result
        time.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
    return result


def _score(session: Session, rule: OnlineEvalRule, scorer: Scorer, step: Step) -> ScorerResult:
    inp, out, meta = io_of(step)
    uses_thread = "thread" in str((scorer.config or {}).get("messages"))
    kwargs = dict(input=inp, output=out, expected_output=None, metadata=meta,
                  thread=thread_of(session, step) if uses_thread else None)
    if scorer.kind == "llm_judge":
        return _judge_with_retries(session, scorer, kwargs)
    return scoring.score_with(session, scorer, **kwargs)


def evaluate(session: Session, project_id: str, claimed: list[tuple[str, int, bool]]) -> dict[str, int]:
    """Score claimed runs and store the outcome; returns counts per final status."""
    attempt_of = {run_id: attempt for run_id, attempt, _ in claimed}
    runs = session.execute(select(RuleRun).where(RuleRun.id.in_(attempt_of), RuleRun.project_id == project_id,
                                                 RuleRun.status == "running")).scalars().all()
    runs = [r for r in runs if r.attempts == attempt_of[r.id]]
    rules = {r.id: r for r in session.execute(select(OnlineEvalRule).where(
        OnlineEvalRule.id.in_({r.rule_id for r in runs}))).scalars()}
    scorers = {s.id: s for s in session.execute(select(Scorer).where(
        Scorer.id.in_({r.scorer_id for r in rules.values()}))).scalars()}
    steps = {s.id: s for s in session.execute(select(Step).where(
        Step.project_id == project_id, Step.id.in_({r.step_id for r in runs}))).scalars()}
    outcomes: dict[str, tuple[str, ScorerResult | None, str | None]] = {}
    for rule_id in {r.rule_id for r in runs}:
        rule_runs = [r for r in runs if r.rule_id == rule_id]
        rule, scorer = rules.get(rule_id), scorers.get(rules[rule_id].scorer_id) if rule_id in rules else None
        matching = _matching(session, rule, [r.step_id for r in rule_runs if r.step_id in steps])
        for run in rule_runs:
            outcomes[run.id] = _outcome(session, rule, scorer, steps.get(run.step_id), run, matching)
    return _store(session, runs, outcomes, attempt_of)


def _outcome(session: Session, rule: OnlineEvalRule, scorer: Scorer | None, step: Step | None, run: RuleRun,
             matching: set[str]) -> tuple[str, ScorerResult | None, str | None]:
    if step is None:
        return "skipped", None, "The step was deleted."
    if run.step_id not in matching:
        return "drop", None, None
    if scorer is None or (scorer.kind == "llm_judge" and not scorer.credential_id):
        reason = "The judge's LLM credential was deleted: choose another in the scorer, then resume the rule."
        rule.active, rule.paused_reason, rule.updated_at = False, reason, utcnow()
        return "failed", None, reason
    if io_of(step)[1] is None:
        if utcnow() - run.created_at < WAIT_FOR_OUTPUT:
            return "queued", None, "Waiting for the step's output."
        return "skipped", None, "The step has no output."
    result = _score(session, rule, scorer, step)
    return ("done" if result.ok else "failed"), result, result.error


def _store(session: Session, runs: list[RuleRun], outcomes: dict, attempt_of: dict) -> dict[str, int]:
    """Write outcomes with two bulk statements (runs updated, scores inserted), skipping runs
    another worker took over after our lease."""
    ids = [r.id for r in runs]
    fresh = dict(session.execute(select(RUNS.c.id, RUNS.c.attempts).where(RUNS.c.id.in_(ids), RUNS.c.status == "running")
                                 .with_for_update()).all()) if ids else {}
    counts: dict[str, int] = {}
    now = utcnow()
    updates, scores, drops = [], [], []
    for run in runs:
        status, result, error = outcomes[run.id]
        if fresh.get(run.id) != attempt_of[run.id]:
            continue  # overtaken by another worker after our lease: its outcome stands
        counts[status] = counts.get(status, 0) + 1
        if status == "drop":
            drops.append(run.id)
            continue
        row = {"rid": run.id, "status": status, "error": error, "updated_at": now, "score_id": None,
               "finished_at": now if status in ("done", "failed", "skipped") else None, "value": None, "label": None,
               "reason": None, "tokens": None, "cost": None, "judge_step_id": None}
        if result is not None:
            row.update(value=result.value, label=result.label, reason=result.reason, tokens=result.tokens or None,
                       cost=result.cost, judge_step_id=result.judge_step_id)
        if status == "done":
            row["score_id"] = new_id()
            scores.append({"id": row["score_id"], "project_id": run.project_id, "step_id": run.step_id,
                           "experiment_item_id": None, "name": result.name, "type": result.type, "value": result.value,
                           "label": result.label, "comment": result.reason or None, "scorer": result.name,
                           "tags": ["online-eval"], "score_schema_id": result.score_schema_id, "created_by_id": None,
                           "created_at": now, "updated_at": now})
        updates.append(row)
    session.flush()  # a rule paused above; runs and scores are written below in bulk
    if drops:
        session.execute(RUNS.delete().where(RUNS.c.id.in_(drops)))
    if updates:
        session.execute(update(RUNS).where(RUNS.c.id == bindparam("rid")).values(
            {k: bindparam(k) for k in updates[0] if k != "rid"}), updates)
    if scores:
        session.execute(insert(Score.__table__), scores)
    session.expire_all()  # loaded runs are stale after the bulk writes
    return counts


def stale_runs(session: Session) -> tuple[dict[str, list[str]], list[str]]:
    """Runs to put back on the queue, as project id → step ids (running ones become queued), and
    the projects whose backlog was never drained."""
    now = utcnow()
    projects = backlog.stale_projects(session, now - STALE_QUEUED)
    session.execute(update(RUNS).where(RUNS.c.status == "running", RUNS.c.updated_at < now - LEASE)
                    .values(status="queued", updated_at=now - STALE_QUEUED))
    rows = session.execute(select(RUNS.c.project_id, RUNS.c.step_id).where(
        RUNS.c.status == "queued", RUNS.c.updated_at <= now - STALE_QUEUED).limit(50_000)).all()
    out: dict[str, list[str]] = {}
    for project_id, step_id in rows:
        out.setdefault(project_id, []).append(step_id)
    return out, projects


def has_queued_judge_runs(session: Session, project_id: str) -> bool:
    return session.execute(select(RUNS.c.id).where(RUNS.c.project_id == project_id, RUNS.c.status == "queued",
                                                   RUNS.c.error.is_(None),
                                                   RUNS.c.rule_id.in_(_judge_rules(project_id))).limit(1)).first() is not None
