"""Background work that follows a committed ingestion, scheduled after commit and never awaited.

Dashboard rollups: every step write appends deltas (database triggers); the compaction job folds
them into ``step_rollup`` so dashboard reads stay small. It is scheduled here, at most once per
``COMPACT_EVERY`` seconds per project and process, instead of by whoever opens the dashboard.
A queue that cannot be reached never fails ingestion (``enqueue_after_commit`` logs it); the next
ingestion after the interval schedules it again, and figures are exact with or without compaction.
"""

from __future__ import annotations

import threading
import time

from sqlmodel import Session

from literal_app.queue import enqueue_after_commit

COMPACT_JOB = "literal_app.jobs.rollups.compact"
COMPACT_EVERY = 60.0
_last_compaction: dict[str, float] = {}
_lock = threading.Lock()


def after_ingest(session: Session, project_id: str) -> None:
    """Schedule the follow-up jobs of an ingestion into ``project_id`` (run after commit)."""
    now = time.monotonic()
    with _lock:
        due = now - _last_compaction.get(project_id, -COMPACT_EVERY) >= COMPACT_EVERY
        if due:
            _last_compaction[project_id] = now
    if due:
        enqueue_after_commit(session, COMPACT_JOB, project_id)
