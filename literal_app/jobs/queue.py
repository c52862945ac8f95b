"""Pick where jobs run: RQ on Redis (scaled mode) or a thread pool in this process (embedded)."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from typing import Any, Callable

from literal_app.config import get_settings

log = logging.getLogger(__name__)
QUEUE_NAME = "literal"


@lru_cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="literal-job")


@lru_cache
def rq_queue(name: str = QUEUE_NAME):
    from redis import Redis
    from rq import Queue

    return Queue(name, connection=Redis.from_url(get_settings().redis_url))


def _run_logged(func: Callable, args: tuple, kwargs: dict) -> Any:
    try:
        return func(*args, **kwargs)
    except Exception:
        log.exception("job %s failed", getattr(func, "__name__", func))
        raise


def enqueue(func: Callable, *args: Any, retries: int = 3, **kwargs: Any) -> Any:
    """Run ``func(*args, **kwargs)`` in the background; returns an RQ Job or a Future."""
    if get_settings().jobs_mode == "rq":
        from rq import Retry

        return rq_queue().enqueue(func, *args, retry=Retry(max=retries, interval=[1, 5, 30]), **kwargs)
    fut: Future = _pool().submit(_run_logged, func, args, kwargs)
    return fut
