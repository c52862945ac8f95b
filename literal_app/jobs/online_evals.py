"""Online evaluation jobs: score the queued runs of ingested steps, and sweep forgotten runs.

``drain_project`` expands the project's ingestion backlog into runs and claims them until none
is left; ``evaluate_steps`` claims given steps' queued runs in one commit, then scores code/embedding runs
in transactions of ``BATCH`` and each judge run in its own (a judge call is slow, and a SQLite
write lock must not wait on it). ``sweep`` re-enqueues runs whose job never reached Redis or
whose worker died; ingestion schedules it every minute and every worker runs it at start.
"""

from __future__ import annotations

import logging

from literal_app.db import session_scope
from literal_app.queue import enqueue
from literal_app.services.evaluation import backlog, rule_execution

log = logging.getLogger(__name__)
BATCH = 500


def evaluate_steps(project_id: str, step_ids: list[str]) -> dict[str, int]:
    """Score every queued run of ``step_ids``; returns counts per outcome."""
    with session_scope() as session:
        claimed = rule_execution.claim(session, project_id, step_ids)
    return _evaluate(project_id, claimed)


def drain_project(project_id: str) -> dict[str, int]:
    """Expand the project's backlog and score its code/embedding runs until none is left (what is
    committed meanwhile included); judge runs go to ``drain_judges``, so a slow judge never holds
    fast scores back. Ingestion enqueues this at most every few hundred milliseconds per project."""
    totals: dict[str, int] = {}
    judges_started = False
    while True:
        with session_scope() as session:
            expanded = backlog.expand(session, project_id)
        with session_scope() as session:
            claimed = rule_execution.claim(session, project_id, None, BATCH, slow=False)
            if not judges_started and rule_execution.has_queued_judge_runs(session, project_id):
                judges_started = True
                enqueue(drain_judges, project_id)
        if not claimed and not expanded:
            return totals
        _add(totals, _evaluate(project_id, claimed))


def drain_judges(project_id: str) -> dict[str, int]:
    """Score the project's queued judge runs one at a time until none is left."""
    totals: dict[str, int] = {}
    while True:
        with session_scope() as session:
            claimed = rule_execution.claim(session, project_id, None, 1, slow=True)
        if not claimed:
            return totals
        _add(totals, _evaluate(project_id, claimed))


def _add(totals: dict[str, int], more: dict[str, int]) -> None:
    for status, n in more.items():
        totals[status] = totals.get(status, 0) + n


def _evaluate(project_id: str, claimed: list) -> dict[str, int]:
    totals: dict[str, int] = {}
    fast = [c for c in claimed if not c[2]]
    chunks = [fast[i:i + BATCH] for i in range(0, len(fast), BATCH)] + [[c] for c in claimed if c[2]]
    for chunk in chunks:
        with session_scope() as session:
            for status, n in rule_execution.evaluate(session, project_id, chunk).items():
                totals[status] = totals.get(status, 0) + n
    return totals


def sweep() -> int:
    """Re-enqueue stale backlog and queued/running runs; returns how many jobs' worth it found."""
    with session_scope() as session:
        stale, projects = rule_execution.stale_runs(session)
    for project_id in projects:
        enqueue(drain_project, project_id)
    n = len(projects)
    for project_id, step_ids in stale.items():
        for i in range(0, len(step_ids), BATCH):
            enqueue(evaluate_steps, project_id, step_ids[i:i + BATCH])
            n += len(step_ids[i:i + BATCH])
    if n:
        log.info("online evals: re-enqueued %d stale runs", n)
    return n
