"""A live API server in a subprocess (uvicorn serving ``api.app:build_api``) against a test
database, for tests that talk HTTP: the official SDKs, Chainlit's data layer, our SDK.

Use the ``live`` fixture (runs on SQLite and PostgreSQL) or ``live_pg`` (PostgreSQL only).
``live.new_key(role)`` makes a fresh project and returns ``(project_id, api_key)``, so tests
are isolated by project and need no truncation.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

from literal_app.db import make_engine
from literal_app.services.accounts import api_keys
from tests.factories import make_project

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    database_url: str
    process: subprocess.Popen
    data_dir: Path
    engine: Engine = field(repr=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def new_key(self, role: str = "ADMIN") -> tuple[str, str]:
        """A fresh project with an API key of ``role``: returns (project_id, key)."""
        with Session(self.engine, expire_on_commit=False) as s:
            project, _ = make_project(s, name="live")
            _, key = api_keys.create_api_key(s, None, project_id=project.id, name="test", role=role)
            s.commit()
        return project.id, key

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            _kill_group(self.process)
        self.engine.dispose()


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill the server and its worker processes (granian's and uvicorn's workers outlive a killed
    supervisor: each server runs in a process group of its own)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def start_live_server(database_url: str, data_dir: Path, extra_env: dict | None = None,
                      workers: int = 1, server: str = "uvicorn") -> LiveServer:
    """Serve the API on a free port. ``server="granian"`` serves it as production does (Reflex's
    prod backend runs the ASGI app under granian); tests use uvicorn, which starts faster. With
    several workers uvicorn's supervisor leaves Nagle's algorithm on (uvicorn#3149: ~40 ms on each
    keep-alive request), so latency figures come from granian."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": database_url, "LITERAL_DATA_DIR": str(data_dir),
           "LITERAL_PUBLIC_URL": url, "LITERAL_SECRET_KEY": "test-secret", "PORT": str(port),
           **(extra_env or {})}
    env.pop("REDIS_URL", None) if "REDIS_URL" not in (extra_env or {}) else None
    log = open(data_dir / "server.log", "ab")
    if server == "granian":
        command = ["granian", "--interface", "asgi", "--factory", "--host", "127.0.0.1", "--port", str(port),
                   "--log-level", "warning", "--workers", str(workers), "api.app:build_api"]
    else:
        command = ["uvicorn", "api.app:build_api", "--factory", "--host", "127.0.0.1", "--port", str(port),
                   "--log-level", "warning", "--workers", str(workers)]
    proc = subprocess.Popen([sys.executable, "-m", *command], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"live server exited: see {data_dir / 'server.log'}")
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        _kill_group(proc)
        raise RuntimeError("live server did not start within 60 s")
    return LiveServer(url, database_url, proc, data_dir, make_engine(database_url))
