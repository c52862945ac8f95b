"""RQ worker for scaled mode: ``REDIS_URL=redis://... DATABASE_URL=... python worker.py``.

Preloads the job modules and serves the literal queue. Extra arguments name other queues;
``--burst`` works until the queues are empty, then exits.
"""

from __future__ import annotations

import logging
import sys
import threading

from redis import Redis
from rq import Queue, Worker

from literal_app.config import get_settings
from literal_app.db import get_engine
from literal_app.queue import QUEUE_NAME
from literal_app.startup import prepare


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    if not settings.redis_url:
        sys.exit("worker.py needs REDIS_URL (embedded mode runs jobs inside the app process).")
    prepare()
    import literal_app.jobs  # noqa: F401  (job functions importable before the first job)
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
    # The sweeps opened connections in this process; each job's work-horse is a fork of it and must
    # not share them (two processes on one PostgreSQL connection: "prepared statement already exists").
    get_engine().dispose()
    if "--burst" not in argv:  # then every few seconds, whatever RQ's scheduler is doing
        threading.Thread(target=experiments.watch_forever, args=(settings.experiment_watch_seconds,),
                         daemon=True, name="experiment-watchdog").start()

    connection = Redis.from_url(settings.redis_url)
    burst = "--burst" in argv
    names = [a for a in argv if not a.startswith("--")] or [QUEUE_NAME]
    queues = [Queue(name, connection=connection) for name in names]
    # The scheduler moves retries whose interval has passed back onto the queue (in burst mode once,
    # at start), so a failed job is retried by the next worker run.
    Worker(queues, connection=connection).work(burst=burst, with_scheduler=True)

if __name__ == "__main__":
    main(sys.argv[1:])
