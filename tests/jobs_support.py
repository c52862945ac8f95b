"""Job functions for the job-system tests, importable by a ``worker.py`` subprocess (it runs from
the repository root, so ``tests`` is on its path)."""

from __future__ import annotations

import os

from redis import Redis


def fail_once(key: str) -> int:
    """Fail on the first attempt, succeed on the next: counts attempts in Redis under ``key``."""
    attempts = Redis.from_url(os.environ["REDIS_URL"]).incr(key)
    if attempts == 1:
        raise RuntimeError("first attempt fails on purpose")
    return int(attempts)


def crash(key: str) -> None:
    """Die mid-job the way a segfault or an out-of-memory kill does: no exception, no cleanup."""
    Redis.from_url(os.environ["REDIS_URL"]).incr(key)
    os._exit(1)


def mark(key: str) -> int:
    """Record which process ran this job under ``key``."""
    Redis.from_url(os.environ["REDIS_URL"]).set(key, os.getpid())
    return os.getpid()
