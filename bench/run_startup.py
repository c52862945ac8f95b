"""Time ``./scripts/run`` on a fresh clone (first run: installs everything, builds the frontend)
and on a second start (warm), and the peak memory (RSS summed over the whole process tree) of the
running app in embedded mode while a browser walks through the pages.

    python bench/run_startup.py [--repo /work/main] [--keep]

Prints figures; asserts nothing. Uses its own free port and a temporary clone and data dir.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss(root: int) -> int:
    """Bytes of resident memory of ``root`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop_flag = pid, 0, False

    def run(self) -> None:
        while not self.stop_flag:
            self.peak = max(self.peak, tree_rss(self.pid))
            time.sleep(0.2)


def start(clone: Path, port: int, data: Path) -> tuple[subprocess.Popen, float, Sampler]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "VIRTUAL_ENV")}
    env.update(PORT=str(port), LITERAL_DATA_DIR=str(data))
    env["PATH"] = ":".join(p for p in env["PATH"].split(":") if ".venv" not in p and ".tools" not in p)
    t0 = time.monotonic()
    proc = subprocess.Popen(["./scripts/run"], cwd=clone, env=env, start_new_session=True,
                            stdout=open(clone / "run.log", "ab"), stderr=subprocess.STDOUT)
    sampler = Sampler(proc.pid)
    sampler.start()
    while True:
        if proc.poll() is not None:
            sys.exit(f"scripts/run exited: see {clone / 'run.log'}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login/", timeout=2).status_code == 200:
                return proc, time.monotonic() - t0, sampler
        except httpx.HTTPError:
            pass
        time.sleep(0.25)


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def browse(port: int, seconds: float = 20) -> None:
    """Set the app up and walk its pages in chromium, so the memory figure covers real use."""
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = b.new_page(base_url=base)
        page.goto("/setup")
        page.get_by_label("Your name").fill("Bench")
        page.get_by_label("Email").fill("bench@example.com")
        page.get_by_label("Password").fill("bench-password")
        page.get_by_label("First project").fill("Bench")
        page.get_by_role("button", name="Create account and project").click()
        page.locator(".one-time-secret").wait_for()
        end = time.monotonic() + seconds
        routes = ["/settings", "/settings/api-keys", "/settings/tags", "/settings/team", "/"]
        while time.monotonic() < end:
            for r in routes:
                page.goto(r)
                page.wait_for_load_state("networkidle")
        b.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", default="/work/main")
    ap.add_argument("--keep", action="store_true", help="keep the temporary clone")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="literal-bench-"))
    clone, data, port = tmp / "clone", tmp / "data", free_port()
    subprocess.run(["git", "clone", "-q", args.repo, str(clone)], check=True)
    try:
        proc, first, s1 = start(clone, port, data)
        s1.stop_flag = True
        print(f"first ./scripts/run (fresh clone: venv, bun, build): {first:6.1f} s  peak tree RSS while starting "
              f"{s1.peak / 2**20:6.0f} MB")
        stop(proc)
        proc, warm, s2 = start(clone, port, data)
        ready_peak = s2.peak
        s2.peak = 0
        browse(port)
        s2.stop_flag = True
        time.sleep(0.3)
        print(f"warm ./scripts/run (second start):                  {warm:6.1f} s  peak tree RSS while starting "
              f"{ready_peak / 2**20:6.0f} MB")
        print(f"running app, embedded mode, browsing for 20 s:      peak tree RSS {s2.peak / 2**20:6.0f} MB, "
              f"now {tree_rss(proc.pid) / 2**20:6.0f} MB")
        stop(proc)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
