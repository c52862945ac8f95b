"""Time mark-reviewed -> next item rendered on the review page in chromium, on the 1M-step
PostgreSQL project of bench/seed.py and its 100,000-item "Bench review queue".

Serves the real app as bench/browser.py does, signs its bench admin in, opens the queue's review
page, and for 20 items (after 3 warm-ups) presses "r" (mark reviewed: one category of the first
schema picked with "1") and measures until the next item's name and the new progress text are on
screen. Target: 500 ms.

    python -m bench.annotation_browser --database-url postgresql://postgres@127.0.0.1:5432/literal_bench
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

from sqlalchemy import select
from sqlmodel import Session

from bench.browser import CHROMIUM_ARGS, sign_in_token, start_app, wait_ready
from bench.seed import QUEUE_NAME
from literal_app.db import make_engine
from literal_app.models.annotation import AnnotationQueue

WAIT_JS = """([before, name]) => {
  const p = document.querySelector('.review-progress');
  const n = document.querySelector('.review-item-name');
  return p && n && p.textContent !== before && n.dataset.item !== name;
}"""


def measure(url: str, token: str, project_id: str, queue_id: str, items: int = 20) -> list[float]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        ctx = browser.new_context(base_url=url, viewport={"width": 1440, "height": 900})
        ctx.add_cookies([{"name": "literal_session", "value": token, "url": url}])
        ctx.add_init_script(f"window.localStorage.setItem('literal_project', {project_id!r})")
        page = ctx.new_page()
        page.goto(f"{url}/annotation-queues/{queue_id}/review/")
        page.locator(".review-progress").wait_for(timeout=120_000)
        page.wait_for_function("window.__literalReviewKeys === true")
        for n in range(items + 3):
            page.locator(".review-item-name").wait_for()
            before = page.locator(".review-progress").text_content()
            name = page.locator(".review-item-name").get_attribute("data-item")
            page.keyboard.press("1")
            page.locator(".schema-control[data-focused=true] [aria-pressed=true]").wait_for()
            t = time.perf_counter()
            page.keyboard.press("r")
            page.wait_for_function(WAIT_JS, arg=[before, name], timeout=30_000)
            if n >= 3:
                out.append((time.perf_counter() - t) * 1000)
        browser.close()
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/literal_bench")
    p.add_argument("--port", type=int, default=3310)
    p.add_argument("--url", default=None, help="an app already serving the database (no start)")
    a = p.parse_args()
    db_url = a.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        q = s.execute(select(AnnotationQueue).where(AnnotationQueue.name == QUEUE_NAME)).scalars().first()
        if q is None:
            raise SystemExit(f"No {QUEUE_NAME!r}: run python -m bench.seed first.")
        token = sign_in_token(s, q.project_id)
    engine.dispose()
    proc, url = None, a.url or f"http://127.0.0.1:{a.port}"
    data_dir = Path(tempfile.mkdtemp(prefix="literal-review-bench-"))
    try:
        if a.url is None:
            proc = start_app(db_url, a.port, data_dir)
            wait_ready(url, proc)
        samples = measure(url, token, q.project_id, q.id)
        print(f"mark reviewed -> next item rendered (chromium, PostgreSQL, {len(samples)} items): "
              f"median {statistics.median(samples):.0f} ms, max {max(samples):.0f} ms (target <= 500)")
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
