"""The real app in production mode for browser tests, started once per test session.

``start_ui_app`` runs ``reflex run --env prod --single-port`` in a subprocess on a free port with
a fresh ``LITERAL_DATA_DIR`` (embedded mode: SQLite, jobs in-process) and the environment of
``scripts/env.sh``, then waits for ``/api/health`` and the first page. The frontend is built once
by that start; every browser test of the session reuses the server.

Tests stay independent by working in their own project: ``ui_app.make_user(role)`` creates a member
with a password and a fresh project (or joins ``project_id``), and ``ui_app.sign_in(context, user)``
gives a browser context that member's session cookie without going through the login form.
``ui_app.reset()`` empties the database (for tests of the first-run setup page).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

from literal_app.db import make_engine
from literal_app.models.auth import Membership
from literal_app.services.accounts import members, projects
from tests.conftest import truncate_all
from tests.live import ROOT, free_port

PASSWORD = "correct-horse-battery"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class UiUser:
    email: str
    name: str
    password: str
    project_id: str
    project_name: str
    role: str


def script_env() -> dict[str, str]:
    """The environment ``scripts/env.sh`` sets up (PATH with .venv and bun, Reflex switches)."""
    out = subprocess.run(["bash", "-c", "source scripts/env.sh && env -0"], cwd=ROOT, check=True,
                         capture_output=True).stdout
    return dict(item.split("=", 1) for item in out.decode().split("\0") if "=" in item)


@dataclass
class UiApp:
    url: str
    data_dir: Path
    process: subprocess.Popen
    engine: Engine = field(repr=False)

    def reset(self) -> None:
        """Empty every table: the next visit shows the setup page."""
        truncate_all(self.engine)

    def make_user(self, role: str = "ADMIN", *, project_id: str | None = None,
                  project_name: str = "E2E project", name: str = "Test User") -> UiUser:
        """A member who can sign in, with ``role`` in a new project (or in ``project_id``)."""
        email = f"{uuid.uuid4().hex[:10]}@example.com"
        with Session(self.engine, expire_on_commit=False) as s:
            m = members.create_member(s, email=email, name=name, password=PASSWORD)
            owner_id = None
            if project_id is None:
                owner = m if role == "ADMIN" else members.create_member(
                    s, email=f"owner-{uuid.uuid4().hex[:8]}@example.com", name="Owner", password=PASSWORD)
                p = projects.create_project(s, name=project_name, owner_id=owner.id)
                project_id, project_name, owner_id = p.id, p.name, owner.id
            if owner_id != m.id:
                s.add(Membership(project_id=project_id, member_id=m.id, role=role))
            s.commit()
        return UiUser(email, name, PASSWORD, project_id, project_name, role)

    def sign_in(self, context, user: UiUser) -> None:
        """Put a fresh session cookie for ``user`` into a playwright browser context."""
        with Session(self.engine, expire_on_commit=False) as s:
            token = members.create_session(s, member_id=members.find_member_by_email(s, user.email).id)
            s.commit()
        context.add_cookies([{"name": "literal_session", "value": token, "url": self.url, "httpOnly": True,
                              "sameSite": "Lax"}])

    def restart(self) -> None:
        """Stop the server and start it again on the same port and data (in-memory UI state is lost)."""
        self.stop()
        fresh = start_ui_app(self.data_dir, port=int(self.url.rsplit(":", 1)[1]))
        self.process, self.engine = fresh.process, fresh.engine

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.engine.dispose()


# The tests' own frontend build: never the checkout's .web, which ./scripts/run serves (a build for
# the tests' random port there made every later run's pages connect to that port).
TEST_WEB_DIR = ROOT / ".web-test"


def ui_app_env(data_dir: Path, port: int) -> dict[str, str]:
    """The environment of the app under test: a fresh data dir, this port, a build dir of its own."""
    url = f"http://127.0.0.1:{port}"
    env = {**script_env(), "LITERAL_DATA_DIR": str(data_dir), "PORT": str(port), "LITERAL_PUBLIC_URL": url,
           "LITERAL_SECRET_KEY": "e2e-secret", "REFLEX_WEB_WORKDIR": str(TEST_WEB_DIR),
           "REFLEX_STATES_WORKDIR": str(data_dir / "states")}
    for name in ("DATABASE_URL", "REDIS_URL", "LITERAL_JOBS"):
        env.pop(name, None)
    return env


def start_ui_app(data_dir: Path, timeout: float = 600, port: int | None = None) -> UiApp:
    """Start the app (building the frontend in TEST_WEB_DIR) and wait until it serves the login page."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = ui_app_env(data_dir, port)
    log = open(data_dir / "app.log", "ab")
    proc = subprocess.Popen(
        ["reflex", "run", "--env", "prod", "--single-port", "--frontend-port", str(port),
         "--backend-port", str(port), "--loglevel", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    app = UiApp(url, data_dir, proc, make_engine(f"sqlite:///{(data_dir / 'literal.db').resolve()}"))
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited while starting: see {data_dir / 'app.log'}")
        try:
            if (httpx.get(f"{url}/api/health", timeout=2).status_code == 200
                    and httpx.get(f"{url}/login/", timeout=2).status_code == 200):
                return app
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    app.stop()
    raise RuntimeError(f"the app did not start within {timeout:.0f} s: see {data_dir / 'app.log'}")
