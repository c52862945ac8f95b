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
