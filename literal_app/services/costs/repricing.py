"""Re-pricing generations after a cost rule changed, in batches a background job runs.

A ``CostRepricing`` row names the patterns that changed (old and new). The first batch lists the
project's model names those patterns match and counts their generations (``total``); each batch
then re-prices the next generations in (model, created_at, id) order, stores the cursor and the
progress the UI polls, and moves thread and participant cost aggregates by exactly the change of
each step, so the aggregates stay sums of their steps (the daily rollups follow by trigger).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, tuple_, update
from sqlmodel import Session, select

from literal_app.models.settings import CostRepricing
from literal_app.models.tracing import Participant, Step, Thread
from literal_app.models.types import utcnow
from literal_app.services.costs.model_costs import match_rule, price, pricing_time, rules_for_project
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.scoping import owned

BATCH_SIZE = 2000


@dataclass(frozen=True)
class RepricingRead:
    id: str
    status: str
    patterns: list[str]
    total: int
    done: int
    changed: int
    error: str | None
    created_at: datetime
    finished_at: datetime | None

    @property
    def percent(self) -> int:
        return 100 if self.status == "done" or not self.total else min(100, int(100 * self.done / self.total))


def _read(r: CostRepricing) -> RepricingRead:
    return RepricingRead(r.id, r.status, list(r.patterns or []), r.total, r.done, r.changed, r.error,
                         r.created_at, r.finished_at)


def get_repricing(session: Session, actor: Actor, repricing_id: str) -> RepricingRead:
    require(actor, "secrets:read")
    row = owned(session, CostRepricing, repricing_id, actor, "This re-pricing does not exist.")
    return _read(row)


def recent_repricings(session: Session, actor: Actor, limit: int = 5) -> list[RepricingRead]:
    """The latest re-pricings, newest first (the Costs page shows their progress)."""
    require(actor, "secrets:read")
    rows = session.exec(select(CostRepricing).where(CostRepricing.project_id == actor.project_id)
                        .order_by(CostRepricing.created_at.desc()).limit(limit)).all()
    return [_read(r) for r in rows]


def _matching_models(session: Session, project_id: str, patterns: list[str]) -> list[str]:
    compiled = []
    for p in patterns:
        try:
            compiled.append(re.compile(p, re.IGNORECASE))
        except re.error:
            continue
    models = session.exec(select(Step.model).where(Step.project_id == project_id, Step.model.is_not(None))
                          .distinct()).all()
    return sorted(m for m in models if any(rx.fullmatch(m) for rx in compiled))


def _start(session: Session, job: CostRepricing) -> None:
    models = _matching_models(session, job.project_id, job.patterns or [])
    job.total = session.exec(select(func.count()).select_from(Step).where(
        Step.project_id == job.project_id, Step.model.in_(models))).one() if models else 0
    job.cursor = {"models": models, "after": None}
    job.status = "running"


def _apply_deltas(session: Session, project_id: str, deltas: dict[str, float]) -> None:
    """Move thread and participant cost aggregates by the per-thread cost change."""
    if not deltas:
        return
    owners = dict(session.exec(select(Thread.id, Thread.participant_id).where(
        Thread.project_id == project_id, Thread.id.in_(list(deltas)))).all())
    by_participant: dict[str, float] = defaultdict(float)
    for tid, d in deltas.items():
        if tid in owners:
            session.execute(update(Thread).where(Thread.project_id == project_id, Thread.id == tid)
                            .values(cost=Thread.cost + d))
            if owners[tid]:
                by_participant[owners[tid]] += d
    for pid, d in by_participant.items():
        session.execute(update(Participant).where(Participant.project_id == project_id, Participant.id == pid)
                        .values(cost=Participant.cost + d))


def run_repricing_batch(session: Session, repricing_id: str, batch_size: int = BATCH_SIZE) -> bool:
    """Re-price the next batch (job-internal: the repricing id was created by an authorised edit).

    Returns True when the re-pricing is finished."""
    # Locked (PostgreSQL) so two runners of one re-pricing, say a retried job beside a slow
    # one, take batches in turn instead of applying the same deltas twice.
    job = session.get(CostRepricing, repricing_id, with_for_update=True)
    if job is None or job.status == "done":
        return True
    if job.status == "queued" or job.cursor is None:  # a failed start restarts; a failed batch resumes
        _start(session, job)
    job.status, job.error = "running", None
    models, after = job.cursor["models"], job.cursor["after"]
    q = select(Step.id, Step.model, Step.thread_id, Step.start_time, Step.created_at,
               Step.input_token_count, Step.output_token_count, Step.cost).where(
        Step.project_id == job.project_id, Step.model.in_(models or [""]))
    if after:
        q = q.where(tuple_(Step.model, Step.created_at, Step.id) >
                    (after[0], datetime.fromisoformat(after[1]), after[2]))
    rows = session.exec(q.order_by(Step.model, Step.created_at, Step.id).limit(batch_size)).all() if models else []
    rules = rules_for_project(session, job.project_id)
    updates, deltas = [], defaultdict(float)
    for r in rows:
        new = price(match_rule(rules, r.model, pricing_time(r.start_time, r.created_at)),
                    r.input_token_count, r.output_token_count)
        if (new is None) != (r.cost is None) or (new is not None and abs(new - r.cost) > 1e-15):
            updates.append({"id": r.id, "cost": new})
            change = (new or 0.0) - (r.cost or 0.0)
            if r.thread_id:
                deltas[r.thread_id] += change
    if updates:
        session.execute(update(Step), updates)
    _apply_deltas(session, job.project_id, deltas)
    job.done += len(rows)
    job.changed += len(updates)
    if len(rows) < batch_size:
        job.status, job.finished_at, job.cursor = "done", utcnow(), None
    else:
        last = rows[-1]
        job.cursor = {"models": models, "after": [last.model, last.created_at.isoformat(), last.id]}
    session.add(job)
    session.flush()
    return job.status == "done"


def fail_repricing(session: Session, repricing_id: str, message: str) -> None:
    job = session.get(CostRepricing, repricing_id)
    if job is not None:
        job.status, job.error, job.finished_at = "failed", message[:2000], utcnow()
        session.add(job)
