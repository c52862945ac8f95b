"""Benchmark of the prompt library on the seeded project (bench/seed_prompts.py: 1,000 prompts × 20
versions, 1M generations of which 300k used a version).

1. Server-side time of the prompts page (``library.list_prompts``: first page, a search, a tag
   filter) and of a prompt page with its per-version results (``get_prompt_detail`` +
   ``get_prompt_results`` + the page's view shaping: versions table, results table, plotly figure),
   for the hot prompt (10% of the linked generations) and a typical one, on PostgreSQL and on a
   SQLite copy. Targets: prompts page <= 100 ms, prompt page <= 300 ms.
2. ``get_prompt`` by name with a 50/50 rollout over HTTP, the official SDK's GraphQL document, from
   4 concurrent client processes against the API served by granian (as in production), on
   PostgreSQL. Target: p95 <= 5 ms. Measured with a lean HTTP client (http.client: what remains is
   the server's latency) and with httpx, the official SDK's client, whose own cost is shown against
   a server that does nothing (``bench.null_server``); the health endpoint for comparison. Before
   it, the API's own time in process (the ASGI app called directly) for the fast path and the
   ordinary path.

    python -m bench.seed --create-db --prompt-library --database-url postgresql://postgres@127.0.0.1:5432/literal_bench_prompts
    python -m bench.prompts --database-url postgresql://postgres@127.0.0.1:5432/literal_bench_prompts
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import orjson
from literalai.api.helpers.gql import GET_PROMPT_VERSION as GET_PROMPT  # the official SDK's document
from sqlmodel import Session, select

from literal_app.db import make_engine
from literal_app.models.auth import ApiKey, Membership
from literal_app.models.prompts import PromptLineage
from literal_app.models.types import utcnow
from literal_app.services.kernel.actor import Actor
from literal_app.services.prompts import library, prompt_results
from literal_app.startup import freeze_startup_objects
from literal_app.state.prompts import views

NULL_PORT = 3998


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
    """One client process's round trips on one keep-alive connection: ``kind`` = "get_prompt" or
    "health"; ``lib`` = "stdlib" (http.client: the server's latency, little client CPU) or "httpx"
    (the HTTP library of the official Python SDK)."""
    url, key, name, calls, start_at, kind, lib = args
    body = orjson.dumps({"query": GET_PROMPT, "variables": {"name": name}})
    headers = {"x-api-key": key, "content-type": "application/json"}

    def check(status: int, payload: bytes) -> None:
        assert status == 200, payload
        if kind == "get_prompt":
            assert orjson.loads(payload)["data"]["promptVersion"]["version"] in (18, 19), payload

    if lib == "httpx":
        c = httpx.Client(base_url=url, headers=headers, timeout=10)

        def call():
            r = c.get("/api/health") if kind == "health" else c.post("/api/graphql", content=body)
            check(r.status_code, r.content)
    else:
        parsed = urlsplit(url)
        c = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)

        def call():
            if kind == "health":
                c.request("GET", "/api/health", headers=headers)
            else:
                c.request("POST", "/api/graphql", body=body, headers=headers)
            r = c.getresponse()
            check(r.status, r.read())

    out = []
    for _ in range(20):  # warm-up (connection, caches)
        call()
    while time.time() < start_at:
        time.sleep(0.001)
    for _ in range(calls):
        t0 = time.perf_counter()
        call()
        out.append(time.perf_counter() - t0)
    c.close()
    return out


def _round_trips(url: str, key: str, calls: int, clients: int, kind: str, lib: str) -> list[float]:
    start_at = time.time() + 3
    with mp.get_context("spawn").Pool(clients) as pool:
        parts = pool.map(_client, [(url, key, "prompt-0000", calls, start_at, kind, lib)] * clients)
    return [x for p in parts for x in p]


def http_get_prompt(url: str, calls: int, clients: int, workers: int) -> None:
    """get_prompt over HTTP from ``clients`` processes at once, against granian (as in production)."""
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
    null = subprocess.Popen([str(Path(sys.executable).with_name("granian")), "--interface", "asgi", "--host", "127.0.0.1",
                             "--port", str(NULL_PORT), "--workers", str(workers), "--log-level", "warning",
                             "bench.null_server:app"])
    try:
        print(f"\n[postgresql] get_prompt by name (50/50 rollout) over HTTP, {clients} concurrent client processes, "
              f"granian {workers} worker(s); one keep-alive connection per client")
        cases = [("promptVersion(name), stdlib client  <- target", server.url, "get_prompt", "stdlib"),
                 ("GET /api/health (a database ping), stdlib client", server.url, "health", "stdlib"),
                 ("promptVersion(name), httpx client (the SDK's)", server.url, "get_prompt", "httpx"),
                 ("null server, httpx client (the client's own cost)", f"http://127.0.0.1:{NULL_PORT}", "none",
                  "httpx")]
        for label, base, kind, lib in cases:
            print(f"  {label:<52} {_ms(_round_trips(base, key, calls, clients, kind, lib))}")
    finally:
        null.terminate()
        null.wait()
        server.stop()


def in_process(url: str, calls: int) -> None:
    """The API's own time for get_prompt by name without the network: the ASGI app called in
    process (middlewares, routing, the handler), the fast path against the ordinary one (the same
    request with the fast path switched off)."""
    import asyncio
    import os

    from api.app import build_api
    from api.graphql import fast_prompt
    from literal_app import config, db, db_async
    from literal_app.services.accounts import api_keys

    os.environ["DATABASE_URL"] = url
    os.environ["LITERAL_RATE_LIMIT"] = "0"
    for cached in (config.get_settings, db.get_engine, db.get_read_engine, db_async.available, db_async._dsn):
        cached.cache_clear()
    with Session(db.get_engine(), expire_on_commit=False) as s:
        lineage = s.exec(select(PromptLineage).where(PromptLineage.name == "prompt-0000")).first()
        _, key = api_keys.create_api_key(s, None, project_id=lineage.project_id, name="bench-inproc", role="ADMIN")
        s.commit()
    app = build_api()
    body = orjson.dumps({"query": GET_PROMPT, "variables": {"name": "prompt-0000"}})
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/graphql", "raw_path": b"/api/graphql", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"127.0.0.1"), (b"x-api-key", key.encode()),
                         (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}

    async def one() -> None:
        sent = []

        async def receive():
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            sent.append(message)

        await app(scope, receive, send)
        assert sent[0]["status"] == 200, sent

    async def run() -> None:
        print("\n[postgresql] get_prompt by name, the API's ASGI app in process (no network), one client")
        real = fast_prompt.requested
        for label, fn in (("fast path", real), ("ordinary path (fast path off)", lambda *a: None)):
            fast_prompt.requested = fn
            for _ in range(50):
                await one()
            out, cpu = [], time.process_time()
            for _ in range(calls):
                t0 = time.perf_counter()
                await one()
                out.append(time.perf_counter() - t0)
            cpu = (time.process_time() - cpu) / calls
            print(f"  {label:<48} {_ms(out)}  CPU {cpu * 1000:.2f} ms/request")
        fast_prompt.requested = real

    asyncio.run(run())
    db_async.close_idle()


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
    freeze_startup_objects()  # as every app process does once built (literal_app.startup)
    if a.only != "http":
        server_side(pg, "postgresql", a.runs)
        if a.sqlite:
            server_side(f"sqlite:///{a.sqlite}", "sqlite", a.runs)
    if a.only != "pages":
        in_process(pg, a.calls * 2)
        http_get_prompt(pg, a.calls, a.clients, a.workers)


if __name__ == "__main__":
    main()
