"""Where background jobs run: RQ on Redis (scaled mode) or a thread pool in this process (embedded).

Infrastructure beside ``db`` and ``storage``: services schedule work with ``enqueue_after_commit``
naming the job by its dotted path (``"literal_app.jobs.costs.reprice"``), so the service layer never
imports the jobs that call it, and a job never starts before the rows it reads are committed.
"""

from __future__ import annotations

import importlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import lru_cache
from typing import Any, Callable

from sqlalchemy import event
from sqlmodel import Session

from literal_app.config import get_settings

log = logging.getLogger(__name__)
QUEUE_NAME = "literal"
RETRY_INTERVALS = [1, 5, 30]
_PENDING = "literal_after_commit_jobs"
_HOOKED = "literal_after_commit_hooked"


# Embedded mode's thread pools: "default" for housekeeping jobs, "experiments" for experiment item
# jobs, which mostly wait on a provider and run up to an experiment's concurrency at once.
POOL_SIZES = {"default": 2, "experiments": 32}


@lru_cache
def _pool(name: str = "default") -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=POOL_SIZES.get(name, 2), thread_name_prefix=f"literal-{name}")


@lru_cache
def rq_queue(name: str = QUEUE_NAME):
    from redis import Redis
    from rq import Queue

    return Queue(name, connection=Redis.from_url(get_settings().redis_url))


def resolve(func: Callable | str) -> Callable:
    """A job function from itself or its dotted path."""
    if callable(func):
        return func
    module, _, name = func.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _run_logged(func: Callable | str, args: tuple, kwargs: dict) -> Any:
    try:
        return resolve(func)(*args, **kwargs)
    except Exception:
        log.exception("job %s failed", getattr(func, "__name__", func))
        raise


def enqueue(func: Callable | str, *args: Any, retries: int = 3, pool: str = "default", **kwargs: Any) -> Any:
    """Run ``func(*args, **kwargs)`` in the background; returns an RQ Job or a Future. ``pool``
    picks the embedded-mode thread pool (RQ mode has one queue for all)."""
    if get_settings().jobs_mode == "rq":
        from rq import Retry

        return rq_queue().enqueue(func, *args, retry=Retry(max=retries, interval=RETRY_INTERVALS), **kwargs)
    return _pool(pool).submit(_run_logged, func, args, kwargs)


def enqueue_in(seconds: float, func: Callable | str, *args: Any, pool: str = "default", **kwargs: Any) -> None:
    """Run the job after ``seconds`` (RQ's scheduler in scaled mode, a timer thread in embedded mode)."""
    if get_settings().jobs_mode == "rq":
        from rq import Retry

        rq_queue().enqueue_in(timedelta(seconds=seconds), func, *args,
                              retry=Retry(max=3, interval=RETRY_INTERVALS), **kwargs)
        return
    timer = threading.Timer(seconds, lambda: _pool(pool).submit(_run_logged, func, args, kwargs))
    timer.daemon = True
    timer.start()


def enqueue_after_commit(session: Session, func: Callable | str, *args: Any, **kwargs: Any) -> None:
    """Enqueue the job once ``session`` commits (dropped on rollback). A queue that cannot be reached
    is logged, never raised: the caller's data is already committed and the work can be restarted."""
    if not session.info.get(_HOOKED):  # listeners stay for the session's life: removing one while
        session.info[_HOOKED] = True  # SQLAlchemy dispatches after_commit breaks the commit
        event.listen(session, "after_commit", _flush_jobs)
        event.listen(session, "after_rollback", _drop_jobs)
    session.info.setdefault(_PENDING, []).append((func, args, kwargs))


def _flush_jobs(session: Session) -> None:
    if session.in_nested_transaction():  # SQLAlchemy fires after_commit when a SAVEPOINT is released
        return  # too: the outer transaction may still roll back, and other connections cannot see it
    jobs = session.info.pop(_PENDING, [])
    for func, args, kwargs in jobs:
        try:
            enqueue(func, *args, **kwargs)
        except Exception:
            log.exception("could not enqueue %s%r", func, args)


def _drop_jobs(session: Session) -> None:
    session.info.pop(_PENDING, None)
