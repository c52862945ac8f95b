"""Online evaluation benchmark (issue 16), on SQLite and PostgreSQL, one fresh database each.

1. Ingestion throughput with three active rules (two code scorers at 100 %, one judge at 10 %
   against the fake provider with a fixed 300 ms latency) vs a project with no rules: the same
   batches (20 complete run steps, as the SDK sends them), alternating between the two projects
   in one run, through ``ingest_steps`` + commit with jobs going to RQ (a private Redis database,
   no worker during this phase: what ingestion itself pays). Ratio target >= 90 %: of the total
   times, and the median of per-round ratios (robust to load bursts on a shared machine).
2. Code-scorer drain: ``evaluate_steps`` on the queued runs of a project with the two code rules,
   in this process (one worker): steps/s (each step has two runs). Target >= 500 steps/s.
3. Ingestion -> score visible: embedded mode (jobs in this process's pool), batches every 50 ms;
   for each score, its creation time minus the commit time of its step; p50/p95 reported for
   code and judge scores.

    python -m bench.online_evals [--batches 150] [--drain 5000] [--dialect sqlite]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone

import psycopg

PG_ADMIN = os.environ.get("LITERAL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("LITERAL_BENCH_REDIS", "redis://127.0.0.1:6379/12")
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _batch(n: int = 20) -> list[dict]:
    return [{"id": str(uuid.uuid4()), "type": "run", "name": "answer", "start_time": T0.isoformat(),
             "end_time": (T0 + timedelta(seconds=1)).isoformat(), "input": {"content": "Capital of France?"},
             "output": {"content": f"Paris is the capital ({i})"}, "tags": ["prod"], "metadata": {"user": "u1"}}
            for i in range(n)]


def _databases() -> list[tuple[str, str]]:
    sqlite = f"sqlite:///{tempfile.mkdtemp()}/bench_evals.db"
    name = f"literal_bench_evals_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    pg = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1) + f"/{name}"
    return [("sqlite", sqlite), ("postgresql", pg)]


def _setup(session, fake_url: str, judge: bool):
    from literal_app.services.evaluation import builtins, online_rules, scorers
    from literal_app.services.evaluation.online_rules import RuleInput
    from literal_app.services.providers import credentials as creds
    from tests.factories import make_actor

    actor = make_actor(session)
    for name, params in (("Says Paris", {"value": "Paris"}), ("No apology", {"value": "sorry"})):
        metric = "contains" if name == "Says Paris" else "not_contains"
        s = scorers.create_scorer(session, actor, scorers.ScorerInput(name, "code", {"metric": metric, "params": params}))
        online_rules.create_rule(session, actor, RuleInput(name=name, scorer_id=s.id, filters={"tags": "prod"}))
    if judge:
        cred = creds.create_credential(session, actor, creds.CredentialInput(
            "openai", "fake", api_key="sk-bench-0000", base_url=fake_url, models=["m"]))
        j = builtins.copy_builtin(session, actor, "relevance", credential_id=cred.id, model="bench-ttft300")
        online_rules.create_rule(session, actor, RuleInput(name="Relevance", scorer_id=j.id, sample_percent=10))
    return actor


def _ingest_phase(engine, fake_url: str, batches: int) -> tuple[float, float, float]:
    """Steps/s without and with rules (total time of each project's batches), and the median of
    the per-round ratios: each round times one batch of each project back to back, so a burst of
    load from the other processes of a shared machine hits both sides of a ratio, not one total."""
    from sqlmodel import Session

    from literal_app.services.ingestion import ingest_steps
    from tests.factories import make_actor

    with Session(engine, expire_on_commit=False) as s:
        plain, ruled = make_actor(s), _setup(s, fake_url, judge=True)
        s.commit()
    spent = {plain.project_id: 0.0, ruled.project_id: 0.0}
    ratios = []
    for i in range(-5, batches):  # five rounds of warm-up (first statements, caches) not counted
        took = {}
        for actor in ((plain, ruled) if i % 2 else (ruled, plain)):
            items = _batch()
            start = time.perf_counter()
            with Session(engine, expire_on_commit=False) as s:
                assert all(r.ok for r in ingest_steps(s, actor, items, alone=True))
                s.commit()
            took[actor.project_id] = time.perf_counter() - start
        if i >= 0:
            for project_id, seconds in took.items():
                spent[project_id] += seconds
            ratios.append(took[plain.project_id] / took[ruled.project_id])
    steps = batches * 20
    return steps / spent[plain.project_id], steps / spent[ruled.project_id], statistics.median(ratios)


def _drain_phase(engine, n: int) -> float:
    from sqlmodel import Session

    from literal_app.jobs.online_evals import drain_project
    from literal_app.services.ingestion import ingest_steps

    with Session(engine, expire_on_commit=False) as s:
        actor = _setup(s, "", judge=False)
        s.commit()
    ids = []
    for _ in range(n // 100):
        items = _batch(100)
        with Session(engine, expire_on_commit=False) as s:
            ingest_steps(s, actor, items, alone=True)
            s.commit()
        ids += [i["id"] for i in items]
    start = time.perf_counter()
    totals = drain_project(actor.project_id)
    elapsed = time.perf_counter() - start
    assert totals.get("done") == 2 * len(ids), totals
    return len(ids) / elapsed


def _latency_phase(engine, fake_url: str, batches: int) -> dict[str, list[float]]:
    from sqlalchemy import select
    from sqlmodel import Session

    from literal_app.models.tracing import Score
    from literal_app.services.ingestion import ingest_steps

    with Session(engine, expire_on_commit=False) as s:
        actor = _setup(s, fake_url, judge=True)
        s.commit()
    committed: dict[str, float] = {}
    for _ in range(batches):
        items = _batch()
        with Session(engine, expire_on_commit=False) as s:
            ingest_steps(s, actor, items, alone=True)
            s.commit()
        now = time.time()
        committed.update({i["id"]: now for i in items})
        time.sleep(0.05)
    expected = len(committed) * 2 + 1  # code scores, and at least one judge score
    deadline = time.time() + 300
    while time.time() < deadline:
        with Session(engine) as s:
            rows = s.execute(select(Score.step_id, Score.type, Score.created_at).where(
                Score.project_id == actor.project_id)).all()
        if len(rows) >= expected and sum(1 for r in rows if r.type == "AI") >= len(committed) // 20:
            break
        time.sleep(0.5)
    out: dict[str, list[float]] = {"CODE": [], "AI": []}
    for step_id, kind, created in rows:
        out[kind].append(max(0.0, created.timestamp() - committed[step_id]))
    return out


def _pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else (values or [float("nan")])[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=150)
    parser.add_argument("--drain", type=int, default=5000)
    parser.add_argument("--dialect", choices=("sqlite", "postgresql"), help="only this database")
    args = parser.parse_args()
    from tests.fake_llm import start_fake_llm

    fake = start_fake_llm()
    try:
        for dialect, url in _databases():
            if args.dialect in (None, dialect):
                _run(dialect, url, fake.base("openai"), args)
    finally:
        fake.stop()


def _run(dialect: str, url: str, fake_url: str, args) -> None:
    from literal_app import config, db, migrate, queue
    from literal_app.db import make_engine

    migrate.upgrade(url)
    os.environ.update(DATABASE_URL=url, REDIS_URL=REDIS, LITERAL_JOBS="rq")
    config.get_settings.cache_clear()
    queue.rq_queue.cache_clear()
    db.get_engine.cache_clear()  # jobs open sessions on the configured database
    engine = make_engine(url)
    plain, ruled, paired = _ingest_phase(engine, fake_url, args.batches)
    queue.rq_queue().connection.flushdb()
    print(f"[{dialect}] ingestion: {plain:,.0f} steps/s without rules, {ruled:,.0f} steps/s with 3 rules "
          f"-> {ruled / plain:.1%} of totals, {paired:.1%} median per round (target >= 90%)")
    drain = _drain_phase(engine, args.drain)
    print(f"[{dialect}] code-scorer drain (2 rules, 1 worker): {drain:,.0f} steps/s (target >= 500)")
    os.environ["LITERAL_JOBS"] = "thread"
    config.get_settings.cache_clear()
    lat = _latency_phase(engine, fake_url, 40)
    for kind, values in lat.items():
        if values:
            print(f"[{dialect}] ingestion -> {kind.lower()} score visible: p50 {_pct(values, 50) * 1000:,.0f} ms, "
                  f"p95 {_pct(values, 95) * 1000:,.0f} ms ({len(values)} scores)")
    engine.dispose()


if __name__ == "__main__":
    main()
