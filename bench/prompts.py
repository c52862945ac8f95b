"""Benchmark of the prompt library on the seeded project (bench/seed_prompts.py: 1,000 prompts × 20
versions, 1M generations of which 300k used a version).

1. Server-side time of the prompts page (``library.list_prompts``: first page, a search, a tag
   filter) and of a prompt page with its per-version results (``get_prompt_detail`` +
   ``get_prompt_results`` + the page's view shaping: versions table, results table, plotly figure),
   for the hot prompt (10% of the linked generations) and a typical one, on PostgreSQL and on a
   SQLite copy. Targets: prompts page <= 100 ms, prompt page <= 300 ms.
2. ``get_prompt`` by name with a 50/50 rollout over HTTP, the official SDK's GraphQL document, from
   4 concurrent client processes against the API served by granian (as in production), on
   PostgreSQL. Target: p95 <= 5 ms. Before it, the GraphQL handler's own time in process for the
   one-statement path and the ordinary path, and the health endpoint's round trip (the floor).

    python -m bench.seed --create-db --prompt-library --database-url postgresql://postgres@127.0.0.1:5432/literal_bench_prompts
    python -m bench.prompts --database-url postgresql://postgres@127.0.0.1:5432/literal_bench_prompts
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from sqlmodel import Session, select

from literal_app.db import make_engine
from literal_app.models.auth import ApiKey, Membership
from literal_app.models.prompts import PromptLineage
from literal_app.models.types import utcnow
from literal_app.services.kernel.actor import Actor
from literal_app.services.prompts import library, prompt_results
from literal_app.state.prompts import views

GET_PROMPT = """query GetPrompt($id: String, $name: String, $version: Int) {
    promptVersion(id: $id, name: $name, version: $version) {
        createdAt id label settings status tags templateMessages tools type updatedAt url variables
        variablesDefaultValues version lineage { name deletedAt }
    }
}"""


def _ms(samples: list[float]) -> str:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(len(s) * 0.95))]
    return f"median {statistics.median(s) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  (n={len(s)})"


def _timed(engine, fn, runs: int) -> list[float]:
    fn_warm = fn
    with Session(engine) as s:
        fn_warm(s)
    out = []
    for _ in range(runs):
        with Session(engine) as s:
            t0 = time.perf_counter()
            fn(s)
            out.append(time.perf_counter() - t0)
    return out


def _prompt_page(actor: Actor, lineage_id: str):
    def run(s: Session):
        detail = prompt_results.get_prompt_detail(s, actor, lineage_id)
        results = prompt_results.get_prompt_results(s, actor, lineage_id)
        views.version_rows(detail.versions, detail.authors, detail.rollout, results)
        views.result_rows(results)
        views.daily_figure(results, utcnow().date())
        return results
    return run


def server_side(url: str, label: str, runs: int) -> None:
    engine = make_engine(url)
    with Session(engine) as s:
        lineage = s.exec(select(PromptLineage).where(PromptLineage.name == "prompt-0000")).first()
        member = s.exec(select(Membership).where(Membership.project_id == lineage.project_id)).first()
        typical = s.exec(select(PromptLineage).where(PromptLineage.project_id == lineage.project_id,
                                                     PromptLineage.name == "prompt-0500")).first()
    actor = Actor(project_id=lineage.project_id, role="ADMIN", member_id=member.member_id)
    cases = [
        ("prompts page (first 50 of 1,000)", lambda s: library.list_prompts(s, actor)),
        ("prompts page, search 'prompt-04'", lambda s: library.list_prompts(s, actor, search="prompt-04")),
        ("prompts page, tag 'support'", lambda s: library.list_prompts(s, actor, tag="support")),
        ("prompt page, hot prompt (~30k generations)", _prompt_page(actor, lineage.id)),
        ("prompt page, typical prompt (~270 generations)", _prompt_page(actor, typical.id)),
    ]
    print(f"\n[{label}] server-side time per page load")
    for name, fn in cases:
        print(f"  {name:<48} {_ms(_timed(engine, fn, runs))}")
    with Session(engine) as s:
        hot = prompt_results.get_prompt_results(s, actor, lineage.id)
    print(f"  (hot prompt: {sum(v.generations for v in hot.versions):,} generations, "
          f"{len(hot.score_names)} score names)")
    engine.dispose()


def _client(args) -> list[float]:
    """One client's round trips: get_prompt by name, or the health endpoint (the machine's floor)."""
    url, key, name, calls, start_at, health = args
    out = []

    def call(c):
        if health:
            return c.get("/api/health")
        r = c.post("/api/graphql", json={"query": GET_PROMPT, "variables": {"name": name}})
        assert r.status_code == 200 and r.json()["data"]["promptVersion"]["version"] in (18, 19), r.text
        return r

    with httpx.Client(base_url=url, headers={"x-api-key": key}, timeout=10) as c:
        for _ in range(20):  # warm-up (connection, caches)
            call(c)
        while time.time() < start_at:
            time.sleep(0.001)
        for _ in range(calls):
            t0 = time.perf_counter()
            call(c)
            out.append(time.perf_counter() - t0)
    return out


def http_get_prompt(url: str, calls: int, clients: int, workers: int) -> None:
    from literal_app.services.accounts import api_keys
    from tests.live import start_live_server

    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        lineage = s.exec(select(PromptLineage).where(PromptLineage.name == "prompt-0000")).first()
        _, key = api_keys.create_api_key(s, None, project_id=lineage.project_id, name="bench-http", role="ADMIN")
        s.commit()
    engine.dispose()
    # The per-key rate limit (100/s, burst 1,000) is off: the clients together send more than that.
    server = start_live_server(url, Path(tempfile.mkdtemp(prefix="bench-prompts-")), workers=workers,
                               server="granian", extra_env={"LITERAL_RATE_LIMIT": "0"})
    try:
        print(f"\n[postgresql] get_prompt by name (50/50 rollout) over HTTP, {clients} concurrent clients, "
              f"granian {workers} worker(s)")
        for label, health in (("GET /api/health round trip (floor)", True), ("promptVersion(name) round trip", False)):
            start_at = time.time() + 3
            with mp.get_context("spawn").Pool(clients) as pool:
                parts = pool.map(_client, [(server.url, key, "prompt-0000", calls, start_at, health)] * clients)
            print(f"  {label:<48} {_ms([x for p in parts for x in p])}")
    finally:
        server.stop()


def in_process(url: str, calls: int) -> None:
    """The GraphQL handler's own time for get_prompt by name, without HTTP: the one-statement path
    against the ordinary one (the same request with the fast path switched off)."""
    import os

    from api.graphql import app
    from literal_app import config, db
    from literal_app.services.accounts import api_keys
    from literal_app.services.prompts import serving

    os.environ["DATABASE_URL"] = url
    for cached in (config.get_settings, db.get_engine, db.get_read_engine):
        cached.cache_clear()
    with Session(db.get_engine(), expire_on_commit=False) as s:
        lineage = s.exec(select(PromptLineage).where(PromptLineage.name == "prompt-0000")).first()
        _, key = api_keys.create_api_key(s, None, project_id=lineage.project_id, name="bench-inproc", role="ADMIN")
        s.commit()
    body = {"query": GET_PROMPT, "variables": {"name": "prompt-0000"}}
    print("\n[postgresql] get_prompt by name, GraphQL handler in process (no HTTP), one client")
    fast = serving.serve_by_name
    for label, fn in (("one statement (fast path)", fast), ("ordinary path", lambda *a, **k: None)):
        serving.serve_by_name = fn
        for _ in range(50):
            app.execute(body, key, None)
        out = []
        for _ in range(calls):
            t0 = time.perf_counter()
            app.execute(body, key, None)
            out.append(time.perf_counter() - t0)
        print(f"  {label:<48} {_ms(out)}")
    serving.serve_by_name = fast


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/literal_bench_prompts")
    p.add_argument("--sqlite", default="", help="a SQLite copy of the same database (bench.sqlite_copy)")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--calls", type=int, default=500, help="get_prompt calls per client")
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--only", choices=["pages", "http"], help="run only the page timings or only get_prompt")
    a = p.parse_args()
    pg = a.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    if a.only != "http":
        server_side(pg, "postgresql", a.runs)
        if a.sqlite:
            server_side(f"sqlite:///{a.sqlite}", "sqlite", a.runs)
    if a.only != "pages":
        in_process(pg, a.calls * 2)
        http_get_prompt(pg, a.calls, a.clients, a.workers)


if __name__ == "__main__":
    main()
