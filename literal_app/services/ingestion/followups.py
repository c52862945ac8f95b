"""Background work that follows a committed ingestion, scheduled after commit and never awaited.

Dashboard rollups: every step write appends deltas (database triggers); the compaction job folds
them into ``step_rollup`` so dashboard reads stay small. It is scheduled here, at most once per
``COMPACT_EVERY`` seconds per project and process, instead of by whoever opens the dashboard.
A queue that cannot be reached never fails ingestion (``enqueue_after_commit`` logs it); the next
ingestion after the interval schedules it again, and figures are exact with or without compaction.

Online evaluation: the written steps are recorded in the ingest transaction (``eval_queue``: one
backlog row) and a drain job
for the project is enqueued after commit (at most every ``DRAIN_EVERY`` seconds; it loops until
no backlog or queued run is left, so what is committed meanwhile is taken too); the sweeper (scheduled here at most every ``SWEEP_EVERY`` seconds, and by
each worker at start) re-enqueues backlog and runs left while Redis was down or held by a dead worker.
"""

from __future__ import annotations

import threading
import time

from sqlmodel import Session

from literal_app.queue import enqueue_after_commit
from literal_app.services.ingestion import eval_queue

COMPACT_JOB = "literal_app.jobs.rollups.compact"
DRAIN_JOB = "literal_app.jobs.online_evals.drain_project"
SWEEP_JOB = "literal_app.jobs.online_evals.sweep"
COMPACT_EVERY = 60.0
SWEEP_EVERY = 60.0
DRAIN_EVERY = 0.25  # one drain job per project per interval (an enqueue costs more than a small ingest)
_last_run: dict[tuple[str, str], float] = {}
_lock = threading.Lock()


def _due(kind: str, key: str, every: float) -> bool:
    now = time.monotonic()
    with _lock:
        due = now - _last_run.get((kind, key), -every) >= every
        if due:
            _last_run[(kind, key)] = now
    return due


def after_ingest(session: Session, project_id: str, step_ids: list[str] | None = None) -> None:
    """Queue online-eval runs for the written steps and schedule the follow-up jobs of an
    ingestion into ``project_id`` (enqueued after commit)."""
    if eval_queue.record(session, project_id, step_ids or []):
        if _due("drain", project_id, DRAIN_EVERY):
            enqueue_after_commit(session, DRAIN_JOB, project_id)
        if _due("sweep", "", SWEEP_EVERY):
            enqueue_after_commit(session, SWEEP_JOB)
    if _due("compact", project_id, COMPACT_EVERY):
        enqueue_after_commit(session, COMPACT_JOB, project_id)
