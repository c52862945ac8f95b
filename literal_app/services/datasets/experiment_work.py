"""The life of one server-run experiment item, as its job drives it (``literal_app.jobs.experiments``).

pending -> queued (dispatched: a job is on the queue) -> running (claimed, calling the model) ->
recording (answered: its slot handed to the next item while the answer is stored) -> done | failed,
or cancelled. Exactly-once is kept by the database, not the queue:

- ``claim`` moves a queued item to running and bumps its ``attempt``; a duplicate job finds it
  running (or done) and does nothing;
- ``finish``/``fail`` only apply while the item is still running under the claimer's attempt, in
  the same transaction as the logged generation and the scores, so a worker that comes back late
  (after the watchdog handed its item to another worker) writes nothing;
- the watchdog (``recover``) re-queues items whose lease ran out (their worker died), keeps the
  window of ``concurrency`` items in flight full, and closes the experiment when nothing is left.

The window is the queued and running items: at most ``concurrency`` model calls at once. An item
leaves it when the model has answered (``hand_over``, before the answer is stored, so storing it is
off the next item's path) or when it fails; each time, the window is topped up from the pending items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, delete, select

from literal_app.models.datasets import Experiment, ExperimentItem
from literal_app.models.tracing import Score
from literal_app.models.types import utcnow
from literal_app.queue import enqueue_after_commit

ACTIVE = ("pending", "queued", "running", "recording")
WINDOW = ("queued", "running")  # the items holding one of the experiment's ``concurrency`` slots
MAX_ATTEMPTS = 3  # provider 429/5xx: the item is retried this many times (each with transport retries)
MAX_RECOVERIES = 5  # a worker died under the item this many times: give up on it
ITEM_JOB = "literal_app.jobs.experiments.run_item"
WATCH_JOB = "literal_app.jobs.experiments.watch"


@dataclass(frozen=True)
class Claim:
    item_id: str
    experiment_id: str
    project_id: str
    attempt: int
    input: Any
    expected_output: Any
    config: dict
    experiment_name: str
    created_by_id: str | None
    dataset_item_id: str | None


def _lease(config: dict | None, extra: float = 0.0):
    return utcnow() + timedelta(seconds=float((config or {}).get("lease_seconds", 180)) + extra)


def dispatch(session: Session, experiment_id: str, n: int) -> int:
    """Queue up to ``n`` pending items (in dataset order) and schedule their jobs after commit."""
    if n <= 0:
        return 0
    exp = session.get(Experiment, experiment_id)
    q = (select(ExperimentItem.id).where(ExperimentItem.experiment_id == experiment_id,
                                         ExperimentItem.status == "pending")
         .order_by(ExperimentItem.position).limit(n).with_for_update(skip_locked=True))
    ids = list(session.exec(q).all())
    if not ids:
        return 0
    session.exec(update(ExperimentItem).where(ExperimentItem.id.in_(ids), ExperimentItem.status == "pending")
                 .values(status="queued", lease_until=_lease(exp.run_config)))
    for item_id in ids:
        enqueue_after_commit(session, ITEM_JOB, item_id, pool="experiments")
    return len(ids)


def _top_up(session: Session, experiment_id: str, concurrency: int) -> int:
    """Dispatch pending items until ``concurrency`` items hold a slot (queued or running)."""
    in_flight = session.exec(select(func.count()).select_from(ExperimentItem).where(
        ExperimentItem.experiment_id == experiment_id, ExperimentItem.status.in_(WINDOW))).one()
    return dispatch(session, experiment_id, concurrency - in_flight)


def _concurrency(config: dict | None) -> int:
    return int((config or {}).get("concurrency", 1))


def schedule_watchdog(session: Session, experiment_id: str) -> None:
    enqueue_after_commit(session, WATCH_JOB, experiment_id)


def claim(session: Session, item_id: str) -> Claim | None:
    """Take a queued item for this worker, or None when another worker has it / it has ended."""
    item = session.get(ExperimentItem, item_id)
    if item is None or item.status != "queued":
        return None
    exp = session.get(Experiment, item.experiment_id)
    if exp is None or exp.status not in ("queued", "running"):
        return None
    attempt = item.attempt + 1
    took = session.exec(update(ExperimentItem).where(
        ExperimentItem.id == item_id, ExperimentItem.status == "queued", ExperimentItem.attempt == item.attempt)
        .values(status="running", attempt=attempt, lease_until=_lease(exp.run_config))).rowcount
    if not took:
        return None
    if exp.status == "queued":
        session.exec(update(Experiment).where(Experiment.id == exp.id, Experiment.status == "queued")
                     .values(status="running", started_at=utcnow()))
    return Claim(item.id, exp.id, exp.project_id, attempt, item.input, item.expected_output, exp.run_config or {},
                 exp.name, exp.created_by_id, item.dataset_item_id)


def hand_over(session: Session, claim: Claim) -> bool:
    """The model has answered: the item moves to ``recording`` and its slot goes to the next pending
    item now, not after its answer is stored. False when the claim was lost."""
    if not session.exec(update(ExperimentItem).where(
            ExperimentItem.id == claim.item_id, ExperimentItem.status == "running",
            ExperimentItem.attempt == claim.attempt).values(status="recording")).rowcount:
        return False
    _top_up(session, claim.experiment_id, _concurrency(claim.config))
    return True


def _still_mine(session: Session, claim: Claim, **values: Any) -> bool:
    """Apply ``values`` to the item only if this claim still holds it (one row updated)."""
    return bool(session.exec(update(ExperimentItem).where(
        ExperimentItem.id == claim.item_id, ExperimentItem.status.in_(("running", "recording")),
        ExperimentItem.attempt == claim.attempt).values(lease_until=None, **values)).rowcount)


def finish(session: Session, claim: Claim, *, output: Any, step_id: str | None, latency_ms: float,
           cost: float | None, scores: list[dict], note: str | None = None) -> bool:
    """Record the item's answer and scores (``note``: scorers that could not score); False (write
    nothing) when the claim was lost."""
    if not _still_mine(session, claim, status="done", output=output, run_step_id=step_id, latency_ms=latency_ms,
                       cost=cost, error=note):
        return False
    session.exec(delete(Score).where(Score.experiment_item_id == claim.item_id))
    session.add_all([Score(project_id=claim.project_id, experiment_item_id=claim.item_id, step_id=step_id,
                           name=s["name"], type=s.get("type", "CODE"), value=s["value"], comment=s.get("reason"),
                           scorer=s.get("scorer"), created_by_id=claim.created_by_id) for s in scores])
    _after_item(session, claim.experiment_id)
    return True


def fail(session: Session, claim: Claim, error: str) -> bool:
    """The item failed for good (an error the provider will repeat, or retries exhausted)."""
    if not _still_mine(session, claim, status="failed", error=error[:4000]):
        return False
    _after_item(session, claim.experiment_id)
    return True


def retry_later(session: Session, claim: Claim, error: str, delay: float) -> bool:
    """Back to queued for another attempt in ``delay`` seconds (the job re-enqueues it); the
    lease covers the wait so the watchdog does not take it meanwhile."""
    return bool(session.exec(update(ExperimentItem).where(
        ExperimentItem.id == claim.item_id, ExperimentItem.status == "running",
        ExperimentItem.attempt == claim.attempt).values(
        status="queued", error=f"Retrying: {error}"[:4000], lease_until=_lease(claim.config, delay))).rowcount)


def _after_item(session: Session, experiment_id: str) -> None:
    """Keep the window full, and close the experiment once no item is left to run."""
    exp = session.get(Experiment, experiment_id)
    if exp is None:
        return
    if exp.status in ("queued", "running"):
        _requeue_stale(session, exp)  # finishing items heal the run between watchdog passes
        _top_up(session, experiment_id, _concurrency(exp.run_config))
    _close_if_done(session, exp)


def _close_if_done(session: Session, exp: Experiment) -> None:
    experiment_id = exp.id
    left = session.exec(select(func.count()).select_from(ExperimentItem).where(
        ExperimentItem.experiment_id == experiment_id, ExperimentItem.status.in_(ACTIVE))).one()
    if not left and exp.status in ("queued", "running"):
        session.exec(update(Experiment).where(Experiment.id == experiment_id, Experiment.status.in_(("queued", "running")))
                     .values(status="completed", finished_at=utcnow(), progress=1.0))


def _requeue_stale(session: Session, exp: Experiment) -> int:
    """Items whose lease ran out (their worker died, or their job was lost) go back to queued with
    a new job (or to pending when they had handed their slot on); the attempt fence keeps a late
    worker from finishing them too."""
    stale = session.exec(select(ExperimentItem).where(
        ExperimentItem.experiment_id == exp.id, ExperimentItem.status.in_(("queued", "running", "recording")),
        ExperimentItem.lease_until < utcnow())).all()
    for item in stale:
        if item.attempt >= MAX_RECOVERIES:
            item.status, item.error, item.lease_until = "failed", "The worker running this item stopped too often.", None
        elif item.status == "recording":  # its slot went to the next item: it waits for a free one
            item.status, item.lease_until = "pending", None
        else:
            item.status, item.lease_until = "queued", _lease(exp.run_config)
            enqueue_after_commit(session, ITEM_JOB, item.id, pool="experiments")
        session.add(item)
    session.flush()
    return len(stale)


def recover(session: Session, experiment_id: str) -> bool:
    """The watchdog's pass: re-queue stale items, fill the window, close a finished experiment.
    True while the experiment is active."""
    exp = session.get(Experiment, experiment_id)
    if exp is None or exp.status not in ("queued", "running"):
        return False
    _requeue_stale(session, exp)
    if not _top_up(session, experiment_id, _concurrency(exp.run_config)):
        _close_if_done(session, exp)
    session.refresh(exp)
    return exp.status in ("queued", "running")


def active_experiments(session: Session) -> list[str]:
    """Ids of every experiment still running (worker.py starts their watchdogs at start)."""
    return list(session.exec(select(Experiment.id).where(Experiment.status.in_(("queued", "running")),
                                                          Experiment.source == "server")).all())


def watch_interval(session: Session, experiment_id: str) -> float:
    exp = session.get(Experiment, experiment_id)
    lease = float(((exp.run_config if exp else None) or {}).get("lease_seconds", 180))
    return max(0.5, min(lease / 3, 30.0))
