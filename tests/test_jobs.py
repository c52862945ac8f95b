"""The job system for real: jobs enqueued through the app's own ``literal_app.queue.enqueue`` run in
``worker.py`` processes on Redis (scaled mode), with RQ's retry, or in-process (embedded mode)."""

from __future__ import annotations

import time
import uuid

import pytest
from redis import Redis
from rq import Queue
from rq.job import Job
from sqlmodel import Session, create_engine

from literal_app import config, queue
from literal_app.jobs.system import ping
from literal_app.services.costs import model_costs, repricing
from tests import worker_procs
from tests.factories import make_actor

REDIS_URL = "redis://127.0.0.1:6379/9"  # a database of its own: the test empties it


@pytest.fixture
def rq_mode(monkeypatch):
    """Scaled mode for this process: ``enqueue`` sends jobs to RQ on a private Redis database."""
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.setenv("LITERAL_JOBS", "rq")
    config.get_settings.cache_clear()
    queue.rq_queue.cache_clear()
    yield redis
    config.get_settings.cache_clear()
    queue.rq_queue.cache_clear()
    redis.flushdb()


def _run_worker(database_url: str) -> None:
    """``python worker.py --burst``, as an operator runs it, against the test's database."""
    worker_procs.burst(database_url, REDIS_URL, timeout=120)


def test_a_failed_job_is_retried_by_the_next_worker_run(rq_mode, sqlite_database_url):
    key = f"attempts-{uuid.uuid4().hex}"
    job = queue.enqueue("tests.jobs_support.fail_once", key)
    _run_worker(sqlite_database_url)
    job = Job.fetch(job.id, connection=rq_mode)
    assert job.get_status() == "scheduled" and int(rq_mode.get(key)) == 1
    time.sleep(queue.RETRY_INTERVALS[0] + 0.5)  # the retry's interval must pass before it is due
    _run_worker(sqlite_database_url)
    job = Job.fetch(job.id, connection=rq_mode)
    assert job.get_status() == "finished" and job.return_value() == 2


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.time() + timeout
    while not predicate():
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_a_crashing_job_does_not_take_a_worker_pool_down(rq_mode, sqlite_database_url):
    """``worker.py --concurrency 2``: jobs that kill their process (three, more than the pool has)
    and one that raises are each lost alone; the pool replaces the dead processes and runs the jobs
    queued after them."""
    key = f"crashes-{uuid.uuid4().hex}"
    worker = worker_procs.start(sqlite_database_url, REDIS_URL, "--concurrency", "2")
    rq = Queue(queue.QUEUE_NAME, connection=rq_mode)  # no RQ retry: each crash happens once
    for _ in range(3):
        rq.enqueue("tests.jobs_support.crash", key)
    failing = rq.enqueue("tests.jobs_support.fail_once", f"{key}-raise")
    marks = [rq.enqueue("tests.jobs_support.mark", f"{key}-mark-{i}") for i in range(4)]
    _wait(lambda: all(rq_mode.get(f"{key}-mark-{i}") for i in range(4)), 90, "the jobs after the crashes")
    assert int(rq_mode.get(key)) == 3 and worker.poll() is None  # the pool itself is still serving
    assert Job.fetch(failing.id, connection=rq_mode).get_status() == "failed"
    assert all(Job.fetch(m.id, connection=rq_mode).get_status() == "finished" for m in marks)
    pids = {int(rq_mode.get(f"{key}-mark-{i}")) for i in range(4)}
    assert worker.pid not in pids  # jobs ran in the pool's processes, not in the supervisor


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_service_schedules_its_job_and_worker_py_runs_it(rq_mode, request, dialect):
    """Editing a cost rule commits a re-pricing and its job; a worker process finishes it."""
    url = request.getfixturevalue("pg_database_url" if dialect == "postgresql" else "sqlite_database_url")
    engine = create_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        actor = make_actor(s)
        change = model_costs.create_cost_rule(s, actor, pattern="rq-test-model", input_per_million=1,
                                              output_per_million=2)
        assert rq_mode.llen("rq:queue:literal") == 0  # nothing is sent before the edit commits
        s.commit()
    assert rq_mode.llen("rq:queue:literal") == 1
    _run_worker(url)
    with Session(engine) as s:
        assert repricing.get_repricing(s, actor, change.repricing_id).status == "done"
    engine.dispose()


def test_a_job_scheduled_inside_a_savepoint_waits_for_the_outer_commit(rq_mode, session):
    """Releasing a SAVEPOINT fires SQLAlchemy's after_commit too: the job must still wait (a worker
    would otherwise read rows not yet committed, or run for a transaction later rolled back)."""
    session.connection()
    with session.begin_nested():
        queue.enqueue_after_commit(session, "literal_app.jobs.system.ping", "inner")
    assert rq_mode.llen("rq:queue:literal") == 0
    session.commit()
    assert rq_mode.llen("rq:queue:literal") == 1


def test_a_rolled_back_edit_sends_no_job(rq_mode, session):
    actor = make_actor(session)
    model_costs.create_cost_rule(session, actor, pattern="never-committed", input_per_million=1)
    session.rollback()
    assert rq_mode.llen("rq:queue:literal") == 0


def test_embedded_mode_runs_jobs_in_process(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("LITERAL_JOBS", raising=False)
    config.get_settings.cache_clear()
    try:
        assert queue.enqueue(ping, "xyz").result(timeout=10)["token"] == "xyz"
        assert queue.enqueue("literal_app.jobs.system.ping", "by-path").result(timeout=10)["token"] == "by-path"
    finally:
        config.get_settings.cache_clear()
