"""Time the Logs pages in a real browser against the large PostgreSQL project of bench/seed.py.

Serves the real app the way ``./scripts/run`` does (migrations, then ``scripts/serve.py``: prod
mode, one port) on ``--port`` with ``DATABASE_URL`` pointing at the seeded database, signs a bench
admin in (created once, added to the seeded project as Admin), and with playwright + Debian
chromium opens each page with a fresh load: Threads, Runs, Generations, Steps, Scores, Users, the
thread nearest 5,000 steps and a generation. Each figure is the time from navigation until the
first table row (or tree node / step panel) is visible, median of 3 after a warm-up. Target: 2 s.

    python -m bench.browser --database-url postgresql://postgres@127.0.0.1:5432/literal_bench --port 3300
    python -m bench.browser --url http://127.0.0.1:3300      # an app already serving that database
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlmodel import Session

from literal_app.db import make_engine
from literal_app.models.tracing import Step, Thread
from literal_app.services.accounts import members, projects, team
from literal_app.services.kernel.actor import Actor

ROOT = Path(__file__).resolve().parent.parent
EMAIL = "browser-bench@example.com"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TABLES = [("Threads", "/logs/threads/"), ("Runs", "/logs/runs/"), ("Generations", "/logs/generations/"),
          ("Steps", "/logs/steps/"), ("Scores", "/logs/scores/"), ("Users", "/users/")]


def _targets(session: Session, project_id: str) -> list[tuple[str, str, str]]:
    """(label, path, selector of what must be visible) for every page to time."""
    big = session.execute(select(Thread.id, Thread.step_count).where(Thread.project_id == project_id)
                          .order_by(func.abs(Thread.step_count - 5000)).limit(1)).one()
    gen = session.execute(select(Step.id).where(Step.project_id == project_id, Step.type == "llm")
                          .order_by(Step.created_at.desc()).limit(1)).scalar_one()
    return [*[(label, path, ".log-row") for label, path in TABLES],
            (f"Thread detail ({big.step_count:,} steps)", f"/logs/threads/{big.id}/", ".tree-node"),
            ("Generation detail", f"/logs/steps/{gen}/", ".step-panel .generation")]


def _project_of(session: Session) -> str:
    return session.execute(select(Thread.project_id).group_by(Thread.project_id)
                           .order_by(func.count().desc()).limit(1)).scalar_one()


def sign_in_token(session: Session, project_id: str) -> str:
    """A session token of the bench admin, a member (Admin) of ``project_id``; created when missing."""
    member = members.find_member_by_email(session, EMAIL)
    if member is None:
        member = members.create_member(session, email=EMAIL, name="Browser Bench", password=None)
    if project_id not in {p.id for p in projects.projects_of_member(session, member.id)}:
        team.add_member(session, Actor(project_id=project_id, role="ADMIN"), email=EMAIL, role="ADMIN")
    token = members.create_session(session, member_id=member.id)
    session.commit()
    return token


def start_app(database_url: str, port: int, data_dir: Path) -> subprocess.Popen:
    """Migrate, then serve the app in prod mode on ``port`` (as ./scripts/run does)."""
    env = {**os.environ, "DATABASE_URL": database_url, "PORT": str(port), "LITERAL_DATA_DIR": str(data_dir),
           "LITERAL_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    env.pop("REDIS_URL", None)
    subprocess.run(["python", "-m", "literal_app.cli", "migrate"], cwd=ROOT, env=env, check=True)
    log = open(data_dir / "app.log", "ab")
    return subprocess.Popen(["python", "scripts/serve.py", "--loglevel", "warning"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(url: str, proc: subprocess.Popen | None, timeout: float = 900) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("the app exited while starting (see app.log in its data dir)")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200 and \
                    httpx.get(f"{url}/login/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError(f"the app did not answer within {timeout:.0f} s")


def time_page(ctx, url: str, selector: str) -> tuple[float, int]:
    """Milliseconds from navigation start until ``selector`` is visible, in a new tab (a fresh
    Reflex state, as when a link is opened: a reloaded tab would first show its previous rows),
    and how many such elements there are then."""
    page = ctx.new_page()
    try:
        t = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.locator(selector).first.wait_for(state="visible", timeout=60_000)
        return (time.perf_counter() - t) * 1000, page.locator(selector).count()
    finally:
        page.close()


def measure(url: str, token: str, project_id: str, targets, runs: int = 3) -> list[tuple[str, float, int]]:
    """(label, median ms, elements visible) per target, after one warm-up load each."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        ctx = browser.new_context(base_url=url, viewport={"width": 1440, "height": 900})
        ctx.add_cookies([{"name": "literal_session", "value": token, "url": url}])
        ctx.add_init_script(f"window.localStorage.setItem('literal_project', {project_id!r})")  # the project
        for label, path, selector in targets:
            time_page(ctx, url + path, selector)  # warm-up
            samples = [time_page(ctx, url + path, selector) for _ in range(runs)]
            out.append((label, statistics.median(ms for ms, _ in samples), samples[-1][1]))
        browser.close()
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/literal_bench")
    p.add_argument("--port", type=int, default=3300)
    p.add_argument("--url", default=None, help="time an app already serving the database (no start)")
    a = p.parse_args()
    db_url = a.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        project_id = _project_of(s)
        targets = _targets(s, project_id)
        token = sign_in_token(s, project_id)
    engine.dispose()
    proc, url = None, a.url or f"http://127.0.0.1:{a.port}"
    data_dir = Path(tempfile.mkdtemp(prefix="literal-browser-bench-"))
    try:
        if a.url is None:
            t = time.perf_counter()
            proc = start_app(db_url, a.port, data_dir)
            wait_ready(url, proc)
            print(f"app up on {url} in {time.perf_counter() - t:.0f} s (log: {data_dir / 'app.log'})")
        print(f"project {project_id}; full page loads in chromium, median of 3 after a warm-up\n")
        for label, ms, n in measure(url, token, project_id, targets):
            print(f"{label:<40} {ms:8.0f} ms  {'ok' if ms <= 2000 else 'SLOW'} (target 2000)  [{n} visible]")
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
