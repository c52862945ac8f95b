"""Online evaluation jobs: score the queued runs of ingested steps, and sweep forgotten runs.

``drain_project`` expands the project's ingestion backlog into runs and claims them until none
is left; ``evaluate_steps`` claims given steps' queued runs in one commit, then scores code/embedding runs
in transactions of ``BATCH`` and each judge run in its own (a judge call is slow, and a SQLite
write lock must not wait on it). ``sweep`` re-enqueues runs whose job never reached Redis or
whose worker died; every worker runs it at start and then every ``LITERAL_EVAL_SWEEP_SECONDS``
in a thread (``start_sweeper``), as does the app in embedded mode, so a backlog left while Redis
was down is scored once it is back even if nothing is ingested and no worker restarts.
"""

from __future__ import annotations

import logging
import threading
import time

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


def sweep(engine=None) -> int:
    """Re-enqueue stale backlog and queued/running runs; returns how many jobs' worth it found."""
    with session_scope(engine) as session:
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


_sweeper_lock = threading.Lock()
_sweeper: list[threading.Thread] = []


def sweep_forever(interval: float) -> None:
    """``sweep`` every ``interval`` seconds on an engine of its own (an RQ worker forks work-horses
    from its process: they must not share this thread's connections). A failed pass (Redis or the
    database away) is logged and the next one tries again."""
    from literal_app.config import get_settings
    from literal_app.db import make_engine

    engine = make_engine(get_settings().database_url)
    while True:
        time.sleep(interval)
        try:
            sweep(engine)
        except Exception as exc:  # Redis down: a one-line warning every pass, not a traceback
            log.warning("online-eval sweep failed: %s", exc)


def start_sweeper() -> bool:
    """Start ``sweep_forever`` in a daemon thread, once per process; False when already running."""
    from literal_app.config import get_settings

    with _sweeper_lock:
        if _sweeper:
            return False
        thread = threading.Thread(target=sweep_forever, args=(get_settings().eval_sweep_seconds,),
                                  daemon=True, name="online-eval-sweeper")
        _sweeper.append(thread)
    thread.start()
    return True


async def embedded_sweeper() -> None:
    """The app's lifespan task: in embedded mode (jobs in this process) start the sweeper; with
    RQ the workers run it."""
    from literal_app.config import get_settings

    if get_settings().jobs_mode != "rq":
        start_sweeper()
