"""RQ worker for scaled mode: ``REDIS_URL=redis://... DATABASE_URL=... python worker.py``.

Preloads the job modules and serves the literal queue. Extra arguments name other queues;
``--burst`` works until the queues are empty, then exits.

``--concurrency N`` (N > 1) runs N jobs at once: RQ's ``WorkerPool`` forks N ``SimpleWorker``
processes once, at start, and each runs its jobs in its own process without forking per job (RQ's
default worker forks a work-horse for every job, ~0.4 s per job on this stack: too slow for one
experiment item per job). A job that raises is recorded as failed and the process takes the next
one; a process that dies (a crash, an out-of-memory kill) is replaced by the pool, and the items it
held are re-queued by the experiment watchdog once their lease runs out. With N = 1 (the default)
it is RQ's forking ``Worker``: one job at a time, each in a fresh work-horse.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue, SimpleWorker, Worker
from rq.worker_pool import WorkerPool

from literal_app.config import get_settings
from literal_app.db import get_engine
from literal_app.queue import QUEUE_NAME
from literal_app.startup import prepare


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="worker.py", description="literal_app RQ worker (scaled mode)")
    parser.add_argument("queues", nargs="*", default=[QUEUE_NAME], help=f"queues to serve (default {QUEUE_NAME})")
    parser.add_argument("--burst", action="store_true", help="exit once the queues are empty")
    parser.add_argument("--concurrency", type=int, default=1, metavar="N",
                        help="jobs run at once, each in a non-forking worker process (default 1: RQ's "
                             "forking worker)")
    args = parser.parse_args(argv)
    if not 1 <= args.concurrency <= 64:
        parser.error("--concurrency must be between 1 and 64")
    return args


def _sweep_at_start() -> None:
    from literal_app.jobs import experiments
    from literal_app.jobs.online_evals import sweep

    try:  # online-eval runs left queued while Redis was down, or held by a dead worker
        sweep()
    except Exception:
        logging.getLogger("worker").exception("online-eval sweep at start failed")
    try:  # experiments whose items were held by a dead worker (or whose jobs were lost)
        experiments.sweep()
    except Exception:
        logging.getLogger("worker").exception("experiment sweep at start failed")


def _serve(queues: list[Queue], connection: Redis, burst: bool) -> None:
    """RQ's worker quits ("unhandled exception") when Redis goes away while it watches a job's
    work-horse; unless it was asked to stop (or works in burst mode), wait for Redis and serve
    again, so an outage never needs a worker restart (the sweeper then re-queues what was lost)."""
    while True:
        worker = Worker(queues, connection=connection)
        try:
            worker.work(burst=burst, with_scheduler=True)
        except RedisConnectionError:  # its teardown could not reach Redis either
            pass
        if burst or getattr(worker, "_stop_requested", False):
            return
        while True:
            try:
                connection.ping()
                break
            except RedisConnectionError:
                time.sleep(1)
        logging.getLogger("worker").warning("Redis is back: serving the queues again")


def main(argv: list[str]) -> None:
    args = parse(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    if not settings.redis_url:
        sys.exit("worker.py needs REDIS_URL (embedded mode runs jobs inside the app process).")
    prepare()
    import literal_app.jobs  # noqa: F401  (job functions importable before the first job)
    from literal_app.jobs import experiments
    from literal_app.jobs.online_evals import start_sweeper

    _sweep_at_start()
    # The sweeps opened connections in this process; work-horses and pool processes are forks of it
    # and must not share them (two processes on one PostgreSQL connection: "prepared statement
    # already exists").
    get_engine().dispose()
    if not args.burst:  # then every few seconds, whatever RQ's scheduler is doing
        threading.Thread(target=experiments.watch_forever, args=(settings.experiment_watch_seconds,),
                         daemon=True, name="experiment-watchdog").start()
        start_sweeper()  # online-eval backlog and stale runs, even while nothing is ingested

    connection = Redis.from_url(settings.redis_url)
    # The scheduler moves retries whose interval has passed back onto the queue (in burst mode once,
    # at start), so a failed job is retried by the next worker run.
    if args.concurrency == 1:
        queues = [Queue(name, connection=connection) for name in args.queues]
        _serve(queues, connection, args.burst)
        return
    pool = WorkerPool(args.queues, connection=connection, num_workers=args.concurrency,
                      worker_class=SimpleWorker)
    pool.start(burst=args.burst)


if __name__ == "__main__":
    main(sys.argv[1:])
