"""Online evaluation on real RQ workers (``worker.py``) and real Redis: the official path end to
end, a worker killed mid-job (exactly one score per rule and step), and Redis stopped during
ingestion (ingestion answers; the backlog is scored once Redis is back)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from redis import Redis
from sqlalchemy import func, select
from sqlmodel import Session, create_engine

from literal_app.models.evals import EvalBacklog, RuleRun
from literal_app.models.tracing import Score
from literal_app.services.evaluation import builtins, online_rules, scorers
from literal_app.services.evaluation.online_rules import RuleInput
from literal_app.services.providers import credentials as creds
from tests import worker_procs
from tests.api.test_ingest import add_steps
from tests.factories import make_actor
from tests.fake_llm import start_fake_llm
from tests.live import free_port, start_live_server
from tests.test_jobs import REDIS_URL, rq_mode  # noqa: F401  (fixture)

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _worker(database_url: str, redis_url: str = REDIS_URL, **env) -> subprocess.Popen:
    """A long-running worker (killed with its group by ``worker_procs`` when the test ends)."""
    return worker_procs.start(database_url, redis_url, **env)


def _burst(database_url: str, redis_url: str = REDIS_URL, **env) -> None:
    worker_procs.burst(database_url, redis_url, **env)


def _steps(n: int, tag: str = "prod") -> list[dict]:
    return [{"id": str(uuid.uuid4()), "type": "run", "name": "answer", "startTime": T0.isoformat(),
             "endTime": (T0 + timedelta(seconds=1)).isoformat(), "input": {"content": "q"},
             "output": {"content": f"Paris {i}"}, "tags": [tag]} for i in range(n)]


def _send(url: str, key: str, steps: list[dict]) -> list[bool]:
    """The SDK's AddStep document (one aliased ingestStep per step); the ``ok`` of each."""
    query, variables = add_steps(steps)
    answer = httpx.post(f"{url}/api/graphql", headers={"x-api-key": key},
                        json={"query": query, "variables": variables}, timeout=60)
    assert answer.status_code == 200, answer.text
    return [v["ok"] for v in answer.json()["data"].values()]


def _count(engine, model, project_id) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model).where(model.project_id == project_id)).scalar_one()


def _code_rule(engine, project_id: str) -> None:
    from literal_app.services.kernel.actor import Actor
    with Session(engine, expire_on_commit=False) as s:
        actor = Actor(project_id=project_id, role="ADMIN")
        scorer = scorers.create_scorer(s, actor, scorers.ScorerInput(
            f"Paris-{uuid.uuid4().hex[:4]}", "code", {"metric": "contains", "params": {"value": "Paris"}}))
        online_rules.create_rule(s, actor, RuleInput(name="prod", scorer_id=scorer.id, filters={"tags": "prod"}))
        s.commit()


def test_a_worker_killed_mid_job_leaves_exactly_one_score_per_rule_and_step(rq_mode, pg_database_url, tmp_path):
    fake = start_fake_llm()
    engine = create_engine(pg_database_url)
    try:
        with Session(engine, expire_on_commit=False) as s:
            actor = make_actor(s)
            cred = creds.create_credential(s, actor, creds.CredentialInput(
                "openai", "judge", api_key="sk-test-key-0000", base_url=fake.base("openai"), models=["m"]))
            judge = builtins.copy_builtin(s, actor, "relevance", credential_id=cred.id, model="slow-ttft1500")
            online_rules.create_rule(s, actor, RuleInput(name="relevance", scorer_id=judge.id))
            s.commit()
        server = start_live_server(pg_database_url, tmp_path / "srv",
                                   {"REDIS_URL": REDIS_URL, "LITERAL_JOBS": "rq"})
        try:
            from literal_app.services.accounts import api_keys
            with Session(engine, expire_on_commit=False) as s:
                _, key = api_keys.create_api_key(s, None, project_id=actor.project_id, name="k", role="ADMIN")
                s.commit()
            steps = _steps(3)
            assert all(_send(server.url, key, steps))
        finally:
            server.stop()
        worker = _worker(pg_database_url)
        deadline = time.time() + 120
        while time.time() < deadline:  # kill it while a judge call is in flight
            with Session(engine) as s:
                if s.execute(select(func.count()).select_from(RuleRun).where(
                        RuleRun.project_id == actor.project_id, RuleRun.status == "running")).scalar_one():
                    break
            time.sleep(0.1)
        worker_procs.kill(worker)  # the worker and its work horse, mid-job
        assert _count(engine, Score, actor.project_id) < 3
        _burst(pg_database_url, LITERAL_EVAL_LEASE_SECONDS="0", LITERAL_EVAL_STALE_SECONDS="0")
        with Session(engine) as s:
            runs = s.execute(select(RuleRun).where(RuleRun.project_id == actor.project_id)).scalars().all()
            scores = s.execute(select(Score.step_id).where(Score.project_id == actor.project_id)).scalars().all()
        assert sorted(r.status for r in runs) == ["done"] * 3, [r.error for r in runs]
        assert sorted(scores) == sorted(st["id"] for st in steps)  # exactly one each
    finally:
        fake.stop()
        engine.dispose()


class PrivateRedis:
    """A redis-server of the test's own on a free port, to stop and start again (empty)."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        (tmp_path / "redis").mkdir(exist_ok=True)
        self.cmd = [shutil.which("redis-server"), "--port", str(self.port), "--save", "", "--appendonly", "no",
                    "--dir", str(tmp_path / "redis")]
        self.proc: subprocess.Popen | None = None

    def start(self) -> "PrivateRedis":
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                if Redis.from_url(self.url).ping():
                    return self
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("private redis did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


def _wait_for(engine, model, project_id: str, n: int, seconds: float = 90) -> int:
    """Poll until the project has ``n`` rows of ``model`` (or the deadline passes); the count."""
    deadline = time.time() + seconds
    while (found := _count(engine, model, project_id)) < n and time.time() < deadline:
        time.sleep(0.2)
    return found


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_redis_down_during_ingestion_then_the_backlog_is_scored(request, dialect, tmp_path):
    url = request.getfixturevalue("pg_database_url" if dialect == "postgresql" else "sqlite_database_url")
    redis = PrivateRedis(tmp_path).start()
    engine = create_engine(url)
    server = start_live_server(url, tmp_path / "srv", {"REDIS_URL": redis.url, "LITERAL_JOBS": "rq"})
    try:
        project_id, key = server.new_key()
        _code_rule(engine, project_id)
        first = _steps(5)
        assert all(_send(server.url, key, first))
        redis.stop()
        backlog = _steps(7)
        assert all(_send(server.url, key, backlog))  # Redis is down: ingestion still answers
        assert _count(engine, EvalBacklog, project_id) == 2  # both requests recorded, nothing evaluated
        redis.start()  # an empty Redis: the first jobs were lost with it too
        _burst(url, redis.url, LITERAL_EVAL_STALE_SECONDS="0")
        assert _count(engine, Score, project_id) == 12
        with Session(engine) as s:
            assert set(s.execute(select(RuleRun.status).where(RuleRun.project_id == project_id)).scalars()) == {"done"}
    finally:
        server.stop()
        redis.stop()
        engine.dispose()


def test_rules_run_on_a_real_worker(rq_mode, sqlite_database_url, tmp_path):  # noqa: F811
    engine = create_engine(sqlite_database_url)
    server = start_live_server(sqlite_database_url, tmp_path / "srv", {"REDIS_URL": REDIS_URL, "LITERAL_JOBS": "rq"})
    try:
        project_id, key = server.new_key()
        _code_rule(engine, project_id)
        steps = _steps(4) + _steps(2, tag="dev")
        assert all(_send(server.url, key, steps))
        assert all(_send(server.url, key, steps[:2]))  # re-sent by the SDK
        _burst(sqlite_database_url)
        assert _count(engine, Score, project_id) == 4 and _count(engine, RuleRun, project_id) == 4
    finally:
        server.stop()
        engine.dispose()


def test_an_idle_worker_scores_the_backlog_once_redis_is_back(pg_database_url, tmp_path):
    """No ingestion and no worker restart after Redis returns: the running worker's periodic
    sweep finds the backlog recorded while Redis was down and scores it."""
    redis = PrivateRedis(tmp_path).start()
    engine = create_engine(pg_database_url)
    server = start_live_server(pg_database_url, tmp_path / "srv", {"REDIS_URL": redis.url, "LITERAL_JOBS": "rq"})
    worker = worker_procs.start(pg_database_url, redis.url, capture=True, LITERAL_EVAL_SWEEP_SECONDS="0.5",
                                LITERAL_EVAL_STALE_SECONDS="0")
    try:
        project_id, key = server.new_key()
        _code_rule(engine, project_id)
        assert all(_send(server.url, key, _steps(3)))
        assert _wait_for(engine, Score, project_id, 3) == 3  # the worker is serving the queue
        redis.stop()
        assert all(_send(server.url, key, _steps(4)))  # Redis is down: ingestion still answers
        assert _count(engine, EvalBacklog, project_id) == 1 and _count(engine, Score, project_id) == 3
        redis.start()  # empty: the drain job of that ingestion was never sent; nothing is ingested now
        scored = _wait_for(engine, Score, project_id, 7)
        alive = worker.poll() is None  # the same worker, never restarted
        if scored != 7 or not alive:
            if alive:
                os.killpg(worker.pid, signal.SIGKILL)
            out = worker.communicate(timeout=10)[0]
            raise AssertionError(f"{scored} scores, worker alive: {alive}\n{out[-6000:]}")
        assert _count(engine, EvalBacklog, project_id) == 0
    finally:  # the worker is killed with its group by worker_procs
        server.stop()
        redis.stop()
        engine.dispose()


def test_the_embedded_runner_sweeps_while_idle(sqlite_database_url, tmp_path):
    """Embedded mode (jobs in the app process): a backlog whose drain job was lost (here: written
    directly, as a crash between commit and enqueue leaves it) is scored by the periodic sweep."""
    from literal_app.services.ingestion import eval_queue

    engine = create_engine(sqlite_database_url)
    server = start_live_server(sqlite_database_url, tmp_path / "srv", {
        "LITERAL_JOBS": "thread", "LITERAL_EVAL_SWEEP_SECONDS": "0.5", "LITERAL_EVAL_STALE_SECONDS": "0"})
    try:
        project_id, key = server.new_key()
        _code_rule(engine, project_id)
        steps = _steps(3)
        assert all(_send(server.url, key, steps))
        assert _wait_for(engine, Score, project_id, 3) == 3
        lost = _steps(2)
        assert all(_send(server.url, key, lost))
        assert _wait_for(engine, Score, project_id, 5) == 5
        with Session(engine) as s:  # a backlog row nobody enqueued a drain for
            s.execute(RuleRun.__table__.delete().where(RuleRun.project_id == project_id,
                                                       RuleRun.step_id.in_([x["id"] for x in lost])))
            s.execute(Score.__table__.delete().where(Score.step_id.in_([x["id"] for x in lost])))
            eval_queue._rules_cache.clear()
            assert eval_queue.record(s, project_id, [x["id"] for x in lost])
            s.commit()
        assert _wait_for(engine, Score, project_id, 5) == 5
        assert _count(engine, EvalBacklog, project_id) == 0
    finally:
        server.stop()
        engine.dispose()
