"""A server-run experiment through real ``worker.py`` RQ workers on real Redis and PostgreSQL: the
worker is killed mid-run (with the work-horse running its job, or with all the processes of its
``--concurrency`` pool); another worker finishes the run and every item ends exactly once: one
answer, one set of scores, one logged generation."""

import time

import pytest
from redis import Redis
from sqlalchemy import func
from sqlmodel import Session, select

from literal_app import config, db, queue
from literal_app.models.datasets import ExperimentItem
from literal_app.models.tracing import Score, Step
from literal_app.services.datasets import experiment_runs
from tests import worker_procs
from tests.datasets import support
from tests.fake_llm import start_fake_llm

REDIS_URL = "redis://127.0.0.1:6379/12"  # a database of its own: the test empties it


@pytest.fixture
def scaled(monkeypatch, pg_database_url):
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    support.point_app_at(monkeypatch, pg_database_url)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.setenv("LITERAL_JOBS", "rq")
    config.get_settings.cache_clear()
    queue.rq_queue.cache_clear()
    yield db.get_engine(), pg_database_url
    support.reset_app_db()
    queue.rq_queue.cache_clear()
    redis.flushdb()


def _worker(url: str, args: tuple[str, ...]):
    return worker_procs.start(url, REDIS_URL, *args)


def _count(engine, model, *where) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("args", [(), ("--concurrency", "3")], ids=["forking", "pool"])
def test_a_killed_worker_never_duplicates_an_item(scaled, args):
    engine, url = scaled
    fake = start_fake_llm()
    try:
        with Session(engine) as s:
            actor, cred, ds = support.seed(s, fake, [f"q{i}" for i in range(24)])
            exp = experiment_runs.start_experiment(s, actor, ds, support.spec(
                cred, model="fake-ttft300", concurrency=4, lease_seconds=3))
            s.commit()
        first = _worker(url, args)
        done = lambda: _count(engine, ExperimentItem, ExperimentItem.experiment_id == exp.id,  # noqa: E731
                              ExperimentItem.status == "done")
        _wait(lambda: done() >= 3, 60, "the first items")
        worker_procs.kill(first)  # the worker and its work-horse (or its pool), mid-item
        assert done() < 24
        _worker(url, args)
        progress = support.wait_until_ended(engine, actor, exp.id, timeout=150)
        with Session(engine) as s:
            errors = s.exec(select(ExperimentItem.error, ExperimentItem.attempt).where(
                ExperimentItem.experiment_id == exp.id, ExperimentItem.status != "done")).all()
        assert (progress.status, progress.done, progress.failed) == ("completed", 24, 0), errors
        items = select(ExperimentItem.id).where(ExperimentItem.experiment_id == exp.id)
        assert _count(engine, Score, Score.experiment_item_id.in_(items)) == 24 * 2  # two scorers, once each
        assert _count(engine, Step, Step.project_id == actor.project_id) == 24  # one logged generation each
        with Session(engine) as s:
            attempts = s.exec(select(ExperimentItem.attempt).where(ExperimentItem.experiment_id == exp.id)).all()
        assert max(attempts) >= 1 and all(a >= 1 for a in attempts)
    finally:
        worker_procs.stop_all()  # the second worker, with its group (before Redis is emptied)
        fake.stop()
