"""Experiment jobs: one job per item (``run_item``) and a watchdog per experiment (``watch``).

Jobs take ids and are idempotent: ``run_item`` on an item another worker holds, or that has ended,
does nothing (see ``services.datasets.experiment_work`` for how the database keeps each item
finishing exactly once, even when a worker is killed mid-item).
"""

from __future__ import annotations

import logging
import random
import time

from literal_app.db import session_scope
from literal_app.queue import enqueue_in
from literal_app.services.datasets import experiment_execute, experiment_work
from literal_app.services.kernel.errors import DomainError
from literal_app.services.providers.types import ProviderError

log = logging.getLogger(__name__)
BACKOFF = (2.0, 8.0, 30.0)


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Seconds before retry ``attempt`` (1-based): the provider's Retry-After, or exponential with jitter."""
    if retry_after is not None:
        return min(max(retry_after, 0.5), 60.0)
    base = BACKOFF[min(attempt - 1, len(BACKOFF) - 1)]
    return base * (0.75 + random.random() / 2)


def run_item(item_id: str) -> str:
    """Claim, answer, score and record one experiment item; returns what happened."""
    with session_scope() as session:
        claim = experiment_work.claim(session, item_id)
    if claim is None:
        return "skipped"
    try:
        with session_scope() as session:
            ans = experiment_execute.answer(session, claim)
    except ProviderError as exc:
        return _provider_failed(claim, exc)
    except DomainError as exc:
        with session_scope() as session:
            experiment_work.fail(session, claim, exc.message)
        return "failed"
    with session_scope() as session:  # the next item starts now, while this answer is stored
        if not experiment_work.hand_over(session, claim):
            return "lost"
    with session_scope() as session:
        return "done" if experiment_execute.record(session, claim, ans) else "lost"


def _provider_failed(claim: experiment_work.Claim, exc: ProviderError) -> str:
    if exc.retryable and claim.attempt < experiment_work.MAX_ATTEMPTS:
        delay = backoff(claim.attempt, exc.retry_after)
        with session_scope() as session:
            kept = experiment_work.retry_later(session, claim, exc.message, delay)
        if kept:
            enqueue_in(delay, run_item, claim.item_id, pool="experiments")
        return "retrying"
    with session_scope() as session:
        experiment_work.fail(session, claim, exc.message)
    return "failed"


def watch(experiment_id: str) -> str:
    """Re-queue items whose worker died, keep the window full; runs again until the experiment ends."""
    with session_scope() as session:
        active = experiment_work.recover(session, experiment_id)
        interval = experiment_work.watch_interval(session, experiment_id)
    if active:
        enqueue_in(interval, watch, experiment_id)
    return "watching" if active else "ended"


def sweep(engine=None, reschedule: bool = True) -> int:
    """One watchdog pass over every running experiment. ``worker.py`` runs it at start and then
    every few seconds in a thread of its own (``engine``: a connection pool of that thread), so
    recovery from a dead worker never waits for RQ's scheduler, whose lock a killed worker holds
    for a minute. ``reschedule`` also starts each experiment's own watchdog job."""
    with session_scope(engine) as session:
        ids = experiment_work.active_experiments(session)
    for experiment_id in ids:
        if reschedule:
            watch(experiment_id)
            continue
        with session_scope(engine) as session:
            experiment_work.recover(session, experiment_id)
    return len(ids)


def watch_forever(interval: float = 5.0) -> None:
    """``sweep`` every ``interval`` seconds, on an engine of its own (work-horses fork from the
    worker: they must not share this thread's connections)."""
    from literal_app.config import get_settings
    from literal_app.db import make_engine

    engine = make_engine(get_settings().database_url)
    while True:
        time.sleep(interval)
        try:
            sweep(engine, reschedule=False)
        except Exception:
            log.exception("experiment watchdog pass failed")
