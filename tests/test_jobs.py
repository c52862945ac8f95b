"""Jobs run through a real RQ worker on Redis (scaled mode) and in-process (embedded mode)."""

import uuid

from redis import Redis
from rq import Queue, SimpleWorker

from literal_app.jobs import queue as jobs_queue
from literal_app.jobs.system import ping


def test_rq_worker_runs_enqueued_job(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    name = f"test-{uuid.uuid4().hex[:8]}"
    redis = Redis.from_url("redis://127.0.0.1:6379/0")
    q = Queue(name, connection=redis)
    job = q.enqueue(ping, "abc")
    SimpleWorker([q], connection=redis).work(burst=True)
    job.refresh()
    assert job.get_status() == "finished"
    assert job.return_value() == {"token": "abc", "database": True}
    q.delete(delete_jobs=True)


def test_embedded_mode_runs_jobs_in_process(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("LITERAL_JOBS", raising=False)
    jobs_queue.get_settings.cache_clear()
    try:
        fut = jobs_queue.enqueue(ping, "xyz")
        assert fut.result(timeout=10)["token"] == "xyz"
    finally:
        jobs_queue.get_settings.cache_clear()
