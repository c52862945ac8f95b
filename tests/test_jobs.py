"""The job system for real: jobs enqueued through the app's own ``literal_app.queue.enqueue`` run in
``worker.py`` processes on Redis (scaled mode), with RQ's retry, or in-process (embedded mode)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from redis import Redis
from rq.job import Job
from sqlmodel import Session, create_engine

from literal_app import config, queue
from literal_app.jobs.system import ping
from literal_app.services.costs import model_costs, repricing
from tests.factories import make_actor

ROOT = Path(__file__).resolve().parent.parent
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
    env = {**os.environ, "REDIS_URL": REDIS_URL, "DATABASE_URL": database_url, "LITERAL_SKIP_MIGRATIONS": "1"}
    done = subprocess.run([sys.executable, "worker.py", "--burst"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]


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
