"""``worker.py`` processes for the tests, always stopped.

Each worker starts in a process group of its own, so killing the group takes its RQ work-horses,
pool processes and scheduler with it. Every group started here is killed after each test by the
``_stop_test_workers`` autouse fixture in ``conftest.py``, whether the test passed, failed or timed
out half-way, so no worker is left serving a test's Redis database after the run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_started: list[subprocess.Popen] = []


def start(database_url: str, redis_url: str, *args: str, capture: bool = False, **env: str) -> subprocess.Popen:
    """``python worker.py *args`` against the test's database and Redis (``capture``: its output
    in ``proc.stdout`` as text, else discarded)."""
    env = {**os.environ, "REDIS_URL": redis_url, "DATABASE_URL": database_url, "LITERAL_SKIP_MIGRATIONS": "1",
           **env}
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    proc = subprocess.Popen([sys.executable, "worker.py", *args], cwd=ROOT, env=env, stdout=out,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    _started.append(proc)
    return proc


def burst(database_url: str, redis_url: str, *args: str, timeout: float = 180, **env: str) -> str:
    """``worker.py --burst``: works until the queues are empty; asserts it exited cleanly and
    returns its output."""
    proc = start(database_url, redis_url, "--burst", *args, capture=True, **env)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill(proc)
        raise AssertionError(f"worker.py --burst did not finish in {timeout} s") from None
    assert proc.returncode == 0, out[-3000:]
    return out


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL the worker's whole process group (a worker dying mid-job, or the cleanup)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        proc.communicate(timeout=10)
    except (subprocess.TimeoutExpired, ValueError):
        pass


def stop_all() -> None:
    """Kill every worker group started since the last call (the process may have exited while its
    children live on: the group is killed regardless)."""
    while _started:
        kill(_started.pop())
