"""Datasets and experiments benchmark (issue 15), on a fresh PostgreSQL database:

- a 1,000-item dataset, the fake OpenAI server with a fixed 200 ms latency (model ``fake-ttft200``),
  two code scorers: the experiment's wall time in embedded mode (in-process job runner) at
  concurrency 8, and in scaled mode with 2 ``worker.py --concurrency 5`` RQ workers (10 non-forking
  worker processes) at concurrency 8, each as a ratio of the ideal ``items x latency / concurrency``
  (target <= 1.3x), with the queue overhead per item (wall time x concurrency / items - latency);
- CSV import of 100,000 rows (parse + plan + batched insert + statistics refresh, as the dataset page
  does): target <= 10 s;
- JSONL export of the same dataset through the streaming service: target >= 20,000 rows/s, with the
  peak memory growth while streaming (flat memory: it must not grow with the row count).

    python -m bench.experiments [--items 1000] [--rows 100000] [--skip-scaled] [--io-only]
                                [--scaled-only] [--concurrency 8] [--workers 2] [--worker-concurrency 5]
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import signal
import subprocess
import sys
import time
import tracemalloc
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
from redis import Redis
from sqlmodel import Session

from literal_app import config, db, migrate, queue
from literal_app.services.datasets import experiment_runs, exports, imports
from tests.datasets import support
from tests.fake_llm import start_fake_llm

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/11"
LATENCY = 0.2


def fresh_database() -> str:
    name = f"literal_bench_exp_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    migrate.upgrade(url)
    return url


def drop_database(url: str) -> None:
    db.get_engine().dispose()
    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def use(url: str, redis: str | None = None) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("LITERAL_JOBS", None)
    if redis:
        os.environ["REDIS_URL"], os.environ["LITERAL_JOBS"] = redis, "rq"
    config.get_settings.cache_clear()
    db.get_engine.cache_clear()
    queue.rq_queue.cache_clear()


def wait_for_workers(count: int, timeout: float = 60) -> None:
    """Until ``count`` RQ workers have registered in Redis (the clock starts after that)."""
    from rq import Worker

    connection = Redis.from_url(REDIS_URL)
    deadline = time.time() + timeout
    while len(Worker.all(connection=connection)) < count:
        if time.time() > deadline:
            raise RuntimeError(f"fewer than {count} RQ workers registered after {timeout} s")
        time.sleep(0.2)


def stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM (a warm shutdown), then SIGKILL to the whole group if it has not exited in 10 s."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


def run_experiment(engine, fake, items: int, concurrency: int, workers: int = 0,
                   per_worker: int = 1) -> float:
    with Session(engine) as s:
        actor, cred, ds = support.seed(s, fake, [f"question {i}" for i in range(items)])
    procs = []
    try:
        if workers:  # each worker.py in a process group of its own: its pool processes stop with it
            env = {**os.environ, "LITERAL_SKIP_MIGRATIONS": "1"}
            command = [sys.executable, "worker.py", "--concurrency", str(per_worker)]
            log = open(os.environ.get("BENCH_WORKER_LOG", os.devnull), "ab")
            procs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log,
                                      start_new_session=True) for _ in range(workers)]
            wait_for_workers(workers * per_worker)
        start = time.perf_counter()
        with Session(engine) as s:
            exp = experiment_runs.start_experiment(s, actor, ds, support.spec(cred, model="fake-ttft200",
                                                                              concurrency=concurrency))
            s.commit()
        p = support.wait_until_ended(engine, actor, exp.id, timeout=items * LATENCY * 3 + 60)
        wall = time.perf_counter() - start
    finally:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        for proc in procs:
            stop_group(proc)
    if workers:  # the worker processes' CPU time (a worker.py's rusage includes its pool processes)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        print(f"  worker CPU time: {cpu:.1f} s = {cpu / items * 1000:.0f} ms per item (all worker processes)")
    assert (p.done, p.failed) == (items, 0), p
    return wall


def report(label: str, wall: float, items: int, concurrency: int) -> None:
    ideal = items * LATENCY / concurrency
    overhead = (wall * concurrency / items - LATENCY) * 1000
    print(f"{label}: {items} items, concurrency {concurrency}: {wall:.1f} s (ideal {ideal:.1f} s) = "
          f"{wall / ideal:.2f}x ideal (target <= 1.3x); overhead per item {overhead:.0f} ms")


def csv_bytes(rows: int) -> bytes:
    out = io.StringIO()
    out.write("question,answer,topic\n")
    for i in range(rows):
        out.write(f'"What is {i} plus {i}? (""quoted"")",{2 * i},"{{""level"": {i % 5}}}"\n')
    return out.getvalue().encode()


def bench_import_export(engine, rows: int) -> None:
    data = csv_bytes(rows)
    with Session(engine) as s:
        actor = support.make_actor(s)
        from literal_app.services.datasets import datasets
        ds = datasets.create_dataset(s, actor, name="import-bench").id
        s.commit()
    start = time.perf_counter()
    plan = imports.plan_csv(data, {"question": "input", "answer": "expected_output", "topic": "metadata"})
    parsed = time.perf_counter() - start
    for i in range(0, len(plan.rows), 5000):
        with Session(engine) as s:
            imports.import_rows(s, actor, ds, plan.rows[i:i + 5000])
            s.commit()
    with Session(engine) as s:  # as the import dialog does after its last batch
        imports.finish_import(s, actor, ds)
        s.commit()
    took = time.perf_counter() - start
    print(f"CSV import: {len(plan.rows):,} rows ({len(data) / 1e6:.1f} MB) in {took:.2f} s "
          f"(parse+plan {parsed:.2f} s) on PostgreSQL (target <= 10 s)")

    @contextmanager
    def open_session():
        with Session(engine) as s:
            yield s

    tracemalloc.start()
    start, lines, size = time.perf_counter(), 0, 0
    for chunk in exports.stream_items(open_session, actor, ds):
        lines += chunk.count(b"\n")
        size += len(chunk)
    took = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"JSONL export: {lines:,} rows ({size / 1e6:.1f} MB) in {took:.2f} s = {lines / took:,.0f} rows/s "
          f"(target >= 20,000); peak Python memory while streaming {peak / 1e6:.1f} MB "
          f"(pages of {exports.BATCH} rows; compare --rows N runs to see how it grows)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-scaled", action="store_true")
    parser.add_argument("--scaled-only", action="store_true", help="only the scaled-mode experiment")
    parser.add_argument("--io-only", action="store_true", help="only the CSV import and JSONL export")
    parser.add_argument("--concurrency", type=int, default=8, help="the experiment's concurrency")
    parser.add_argument("--workers", type=int, default=2, help="worker.py processes in scaled mode")
    parser.add_argument("--worker-concurrency", type=int, default=5,
                        help="--concurrency of each worker.py (worker processes; a few more than the "
                             "experiment's concurrency: an item stores its answer after handing its slot on)")
    args = parser.parse_args()
    fake = start_fake_llm()
    url = fresh_database()
    try:
        use(url)
        if not args.scaled_only:
            bench_import_export(db.get_engine(), args.rows)
            if args.io_only:
                return
            wall = run_experiment(db.get_engine(), fake, args.items, args.concurrency)
            report("Embedded mode (in-process runner)", wall, args.items, args.concurrency)
        if not args.skip_scaled:
            Redis.from_url(REDIS_URL).flushdb()
            use(url, REDIS_URL)
            wall = run_experiment(db.get_engine(), fake, args.items, args.concurrency, workers=args.workers,
                                  per_worker=args.worker_concurrency)
            report(f"Scaled mode ({args.workers} x worker.py --concurrency {args.worker_concurrency})",
                   wall, args.items, args.concurrency)
            Redis.from_url(REDIS_URL).flushdb()
    finally:
        drop_database(url)
        fake.stop()


if __name__ == "__main__":
    main()
