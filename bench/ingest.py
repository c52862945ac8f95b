"""Ingestion benchmark: how fast logged steps become queryable, on SQLite and PostgreSQL.

A deterministic workload (threads of a user message, a run with tool, retrieval and LLM children,
and an assistant message; ~500-character inputs, ~300-character outputs, token counts, tags,
metadata) is loaded into a fresh server (granian, as Reflex's prod backend runs it: one worker process
on SQLite as in embedded mode, 2 x CPUs + 1 on PostgreSQL as in scaled mode) by:

  (a) the official ``literalai`` SDK with its default batch size (5) from 4 concurrent client
      processes (decorators/context managers, then ``flush()``);
  (b) raw GraphQL ``AddStep`` requests of 100 steps (4 concurrent senders);
  (c) raw GraphQL requests of 5 steps from 4 concurrent senders, for request latency at load;
  (e) our drop-in ``literal_sdk`` (same API, same workload, 4 client processes).

Reported: steps/s until everything is queryable (a ``steps { totalCount }`` check), p50/p95 request
latency, the server's peak memory (VmHWM, all worker processes), and the raw database insert rate
of the same rows (PostgreSQL ``COPY`` / SQLite ``executemany`` into a copy of the step table, with
the same indexes) with our ratio. The SDK phase is also run against ``bench.null_server``, which
stores nothing: the official client opens a new HTTP client (and TLS context) per request, so its
own CPU cost bounds what any server can receive from it on this machine. The requests the clients
sent there are recorded and (d) replayed against the real server by 4 light senders: how fast the
server stores the SDK's own traffic when the clients are not the limit.

    python -m bench.ingest                       # both dialects, default sizes
    python -m bench.ingest --dialects postgresql --sdk-threads 200 --raw-threads 500
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from literal_app import migrate  # noqa: E402
from literal_app.db import make_engine  # noqa: E402
from tests.live import start_live_server  # noqa: E402

PG_ADMIN = os.environ.get("LITERAL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
WORDS = "the of and to in is for on with as by at from this that model answer context user data".split()
STEPS_PER_THREAD = 6
ARGS = {"id": "String!", "threadId": "String", "parentId": "String", "type": "StepType", "name": "String",
        "input": "Json", "output": "Json", "metadata": "Json", "tags": "[String!]", "startTime": "DateTime",
        "endTime": "DateTime", "generation": "GenerationPayloadInput"}


def text(rng: random.Random, chars: int) -> str:
    out, size = [], 0
    while size < chars:
        word = rng.choice(WORDS)
        out.append(word)
        size += len(word) + 1
    return " ".join(out)[:chars]


def thread_steps(seed: int) -> list[dict]:
    """One thread's six steps as ingestStep variables (deterministic in ``seed``)."""
    rng = random.Random(seed)
    tid, run = f"bench-t-{seed}-{uuid.UUID(int=rng.getrandbits(128))}", str(uuid.UUID(int=rng.getrandbits(128)))
    t0 = datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=seed)
    iso = lambda s: (t0 + timedelta(milliseconds=s)).isoformat()  # noqa: E731
    meta, tags = {"release": "v1", "customer": f"c{seed % 50}"}, ["bench", f"tier-{seed % 3}"]
    question = text(rng, 500)

    def step(name, type_, start, end, parent=None, **kw):
        return {"id": str(uuid.UUID(int=rng.getrandbits(128))), "threadId": tid, "parentId": parent, "type": type_,
                "name": name, "startTime": iso(start), "endTime": iso(end), "metadata": meta, "tags": tags, **kw}

    gen = {"type": "CHAT", "provider": "openai", "model": "gpt-4o-mini", "inputTokenCount": 180,
           "outputTokenCount": 75, "tokenCount": 255, "duration": 1.2, "settings": {"temperature": 0},
           "messages": [{"role": "user", "content": question}],
           "messageCompletion": {"role": "assistant", "content": text(rng, 300)}}
    return [
        step("user", "user_message", 0, 0, output={"content": question}),
        {**step("agent", "run", 1, 900, input={"content": question}, output={"content": text(rng, 300)}), "id": run},
        step("search", "retrieval", 10, 60, run, input={"query": text(rng, 500)}, output={"docs": text(rng, 300)}),
        step("calculator", "tool", 70, 90, run, input={"expr": text(rng, 500)}, output={"content": text(rng, 300)}),
        step("gpt-4o-mini", "llm", 100, 880, run, input={"content": question}, output={"content": text(rng, 300)},
             generation=gen),
        step("assistant", "assistant_message", 900, 900, output={"content": text(rng, 300)}),
    ]


def add_step_body(steps: list[dict]) -> bytes:
    decls, fields, variables = [], [], {}
    for i, s in enumerate(steps):
        present = [k for k in ARGS if s.get(k) is not None]
        decls += [f"${k}_{i}: {ARGS[k]}" for k in present]
        fields.append(f"step{i}: ingestStep(" + ", ".join(f"{k}: ${k}_{i}" for k in present) + ") { ok message }")
        variables.update({f"{k}_{i}": s[k] for k in present})
    return json.dumps({"query": f"mutation AddStep({', '.join(decls)}) {{ {' '.join(fields)} }}",
                       "variables": variables}).encode()


# ---------------------------------------------------------------- senders
def _post(client: httpx.Client, url: str, key: str, body: bytes) -> float:
    t = time.perf_counter()
    r = client.post(f"{url}/api/graphql", content=body, headers={"x-api-key": key,
                                                                 "content-type": "application/json"})
    elapsed = time.perf_counter() - t
    data = r.json()
    if r.status_code != 200 or data.get("errors") or not all(v.get("ok", True) for v in data["data"].values()):
        raise RuntimeError(f"ingestion failed: {r.text[:300]}")
    return elapsed


def raw_phase(url: str, key: str, bodies: list[bytes], senders: int = 4) -> list[float]:
    """Send ``bodies`` from ``senders`` threads; return each request's latency (seconds)."""
    def work(part: list[bytes]) -> list[float]:
        with httpx.Client(timeout=120) as c:
            return [_post(c, url, key, b) for b in part]

    with ThreadPoolExecutor(senders) as pool:
        return [x for xs in pool.map(work, [bodies[i::senders] for i in range(senders)]) for x in xs]


def _sdk_client(args: tuple) -> None:
    """One SDK client process: log its threads through context managers, then flush. ``sdk`` is
    the official ``literalai`` or our drop-in ``literal_sdk`` (same API)."""
    url, key, seeds, sdk = args
    import importlib

    LiteralClient = importlib.import_module(sdk).LiteralClient
    ChatGeneration = importlib.import_module(sdk).ChatGeneration if sdk == "literal_sdk" else \
        importlib.import_module("literalai.observability.generation").ChatGeneration
    client = LiteralClient(api_key=key, url=url)
    for seed in seeds:
        user, run, search, tool, llm, answer = thread_steps(seed)
        with client.thread(name=user["output"]["content"][:40], thread_id=user["threadId"]):
            client.message(content=user["output"]["content"], type="user_message", metadata=user["metadata"],
                           tags=user["tags"])
            with client.run(name="agent") as r:
                r.input, r.metadata, r.tags = run["input"], run["metadata"], run["tags"]
                for child in (search, tool):
                    with client.step(name=child["name"], type=child["type"]) as s:
                        s.input, s.output, s.metadata, s.tags = child["input"], child["output"], child["metadata"], child["tags"]
                with client.step(name="gpt-4o-mini", type="llm") as s:
                    g = llm["generation"]
                    s.input, s.output, s.tags = llm["input"], llm["output"], llm["tags"]
                    s.generation = ChatGeneration(provider="openai", model=g["model"], messages=g["messages"],
                                                  message_completion=g["messageCompletion"],
                                                  input_token_count=180, output_token_count=75, token_count=255)
                r.output = run["output"]
            client.message(content=answer["output"]["content"], type="assistant_message")
    client.flush_and_stop()


def sdk_phase(url: str, key: str, threads: int, clients: int = 4, sdk: str = "literalai", first_seed: int = 1_000_000) -> None:
    seeds = list(range(first_seed, first_seed + threads))
    with mp.get_context("spawn").Pool(clients) as pool:
        pool.map(_sdk_client, [(url, key, seeds[i::clients], sdk) for i in range(clients)])


# ---------------------------------------------------------------- measurements
def count_steps(url: str, key: str) -> int:
    r = httpx.post(f"{url}/api/graphql", json={"query": "{ steps(first: 1) { totalCount } }"},
                   headers={"x-api-key": key}, timeout=60)
    return r.json()["data"]["steps"]["totalCount"]


def wait_queryable(url: str, key: str, expected: int, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while count_steps(url, key) < expected:
        if time.time() > deadline:
            raise RuntimeError(f"only {count_steps(url, key)} of {expected} steps queryable")
        time.sleep(0.05)


def peak_memory_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children (the server's workers), summed."""
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            total += int(line.split()[1]) / 1024
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in (children.read_text().split() if children.exists() else []):
        total += peak_memory_mb(int(child))
    return total


def sdk_ceiling(threads: int, record: Path) -> float:
    """Steps/s of the same SDK phase against ``bench.null_server`` (stores nothing, answers at
    once): what the official clients themselves can send on this machine. The requests they sent
    are recorded in ``record`` (one body per line) for the replay phase."""
    from tests.live import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bench.null_server", "--port", str(port), "--record", str(record)],
                            cwd=Path(__file__).resolve().parent.parent)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.post(f"{url}/api/graphql", json={"query": "{ x }"}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        record.write_bytes(b"")  # the readiness probe is not part of the SDK's traffic
        t = time.perf_counter()
        sdk_phase(url, "unused", threads)
        return threads * STEPS_PER_THREAD / (time.perf_counter() - t)
    finally:
        proc.terminate()
        proc.wait(10)


def replay_bodies(record: Path) -> tuple[list[bytes], int]:
    """The recorded SDK requests with their thread ids renamed (the SDK phase stores the originals
    in the same database) and the number of steps they carry."""
    bodies = [line.replace(b"bench-t-", b"bench-r-") for line in record.read_bytes().splitlines() if line]
    steps = sum(len(json.loads(b)["query"].split("ingestStep(")) - 1 for b in bodies)
    return bodies, steps


def raw_rows(steps: list[dict], project_id: str) -> list[tuple]:
    now = datetime.now(timezone.utc)
    rows = []
    for s in steps:
        g = s.get("generation") or {}
        rows.append((s["id"] + "-raw", project_id, s["threadId"], s.get("parentId"), s["type"], s["name"],
                     s["startTime"], s["endTime"], now, json.dumps(s.get("input")), json.dumps(s.get("output")),
                     json.dumps(s["metadata"]), json.dumps(s["tags"]), json.dumps(g) if g else None,
                     g.get("model"), g.get("tokenCount")))
    return rows


RAW_COLS = ("id", "project_id", "thread_id", "parent_id", "type", "name", "start_time", "end_time", "created_at",
            "input", "output", "metadata", "tags", "generation", "model", "token_count")


def raw_insert_rate(database_url: str, steps: list[dict], project_id: str, indexes: bool = True) -> float:
    """Rows/s of the same rows written by COPY (PostgreSQL) or executemany (SQLite) into a copy of
    the step table: with the step table's indexes (what our writes also maintain) or bare."""
    rows = raw_rows(steps, project_id)
    cols = ", ".join(RAW_COLS)
    if database_url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(database_url.split("///", 1)[1])
        conn.execute("DROP TABLE IF EXISTS raw_step")
        conn.execute("CREATE TABLE raw_step AS SELECT * FROM step WHERE 0")
        if indexes:
            for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'step' "
                                       "AND sql IS NOT NULL").fetchall():
                conn.execute(sql.replace(" ON step ", " ON raw_step ").replace("INDEX ", "INDEX raw_", 1))
        t = time.perf_counter()
        conn.executemany(f"INSERT INTO raw_step ({cols}) VALUES ({', '.join('?' * len(RAW_COLS))})", rows)
        conn.commit()
        elapsed = time.perf_counter() - t
        conn.close()
        return len(rows) / elapsed
    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        conn.execute("DROP TABLE IF EXISTS raw_step")
        conn.execute(f"CREATE TABLE raw_step (LIKE step INCLUDING DEFAULTS{' INCLUDING INDEXES' if indexes else ''})")
        conn.commit()
        t = time.perf_counter()
        with conn.cursor().copy(f"COPY raw_step ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        return len(rows) / (time.perf_counter() - t)


def fresh_database(dialect: str, workdir: Path) -> str:
    if dialect == "sqlite":
        url = f"sqlite:///{workdir / 'bench.db'}"
    else:
        name = f"literal_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    migrate.upgrade(url)
    return url


def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def run_dialect(dialect: str, sdk_threads: int, raw_threads: int, small_threads: int, workers: int,
                replay: tuple[list[bytes], int] | None = None) -> dict:
    from sqlmodel import Session

    from literal_app.services.accounts import api_keys
    from tests.factories import make_project

    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{dialect}-"))
    url = fresh_database(dialect, workdir)
    server = start_live_server(url, workdir / "server", workers=workers, server="granian",
                               extra_env={"LITERAL_RATE_LIMIT": "0"})  # measure the server, not the limiter
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as s:
            project, _ = make_project(s, name="bench")
            _, key = api_keys.create_api_key(s, None, project_id=project.id, name="bench", role="ADMIN")
            s.commit()
        out = {"dialect": dialect, "workers": workers}
        raw_steps = [st for seed in range(raw_threads) for st in thread_steps(seed)]
        bodies = [add_step_body(raw_steps[i:i + 100]) for i in range(0, len(raw_steps), 100)]
        t = time.perf_counter()
        lat = raw_phase(server.url, key, bodies)
        wait_queryable(server.url, key, len(raw_steps))
        out["raw100"] = {"steps": len(raw_steps), "rate": len(raw_steps) / (time.perf_counter() - t),
                         "p50_ms": pct(lat, 50), "p95_ms": pct(lat, 95)}
        before = len(raw_steps)
        t = time.perf_counter()
        sdk_phase(server.url, key, sdk_threads)
        expected = before + sdk_threads * STEPS_PER_THREAD
        wait_queryable(server.url, key, expected)
        out["sdk"] = {"steps": sdk_threads * STEPS_PER_THREAD,
                      "rate": sdk_threads * STEPS_PER_THREAD / (time.perf_counter() - t)}
        if replay:
            bodies, steps = replay
            before = expected
            t = time.perf_counter()
            raw_phase(server.url, key, bodies)
            wait_queryable(server.url, key, before + steps)
            out["replay"] = {"steps": steps, "requests": len(bodies), "rate": steps / (time.perf_counter() - t)}
            expected = before + steps
        t = time.perf_counter()
        sdk_phase(server.url, key, sdk_threads, sdk="literal_sdk", first_seed=3_000_000)
        expected += sdk_threads * STEPS_PER_THREAD
        wait_queryable(server.url, key, expected)
        out["our_sdk"] = {"steps": sdk_threads * STEPS_PER_THREAD,
                          "rate": sdk_threads * STEPS_PER_THREAD / (time.perf_counter() - t)}
        small = [st for seed in range(2_000_000, 2_000_000 + small_threads) for st in thread_steps(seed)]
        small_bodies = [add_step_body(small[i:i + 5]) for i in range(0, len(small), 5)]
        t = time.perf_counter()
        lat = raw_phase(server.url, key, small_bodies)
        out["raw5"] = {"steps": len(small), "rate": len(small) / (time.perf_counter() - t),
                       "p50_ms": pct(lat, 50), "p95_ms": pct(lat, 95)}
        out["server_peak_mb"] = peak_memory_mb(server.process.pid)
        out["raw_insert_rate"] = raw_insert_rate(url, raw_steps, project.id)
        out["raw_bare_rate"] = raw_insert_rate(url, raw_steps, project.id, indexes=False)
        return out
    finally:
        server.stop()
        engine.dispose()
        drop_database(url)


def report(r: dict) -> None:
    raw = r["raw_insert_rate"]
    name = "COPY" if r["dialect"] == "postgresql" else "executemany"
    print(f"\n== {r['dialect']} ({r['workers']} server worker process{'es' if r['workers'] > 1 else ''}) ==")
    print(f"raw GraphQL, 100 steps/request, 4 senders: {r['raw100']['rate']:8.0f} steps/s "
          f"({r['raw100']['steps']} steps; p50 {r['raw100']['p50_ms']:.1f} ms, p95 {r['raw100']['p95_ms']:.1f} ms)"
          f"  = {r['raw100']['rate'] / raw:.1%} of raw {name}")
    ceiling = r.get("sdk_ceiling")
    print(f"official SDK, batch 5, 4 client processes: {r['sdk']['rate']:8.0f} steps/s ({r['sdk']['steps']} steps)"
          + (f"  = {r['sdk']['rate'] / ceiling:.0%} of the clients' own ceiling" if ceiling else ""))
    if ceiling:
        print(f"  the same clients against a server that stores nothing: {ceiling:8.0f} steps/s")
    if "replay" in r:
        rp = r["replay"]
        print(f"the SDK's own requests replayed, 4 senders: {rp['rate']:8.0f} steps/s ({rp['requests']} requests: "
              f"upsertThread + AddStep batches as the clients sent them)")
    print(f"our literal_sdk (drop-in), batch 5, 4 client processes: {r['our_sdk']['rate']:8.0f} steps/s "
          f"({r['our_sdk']['steps']} steps)")
    print(f"raw GraphQL, 5 steps/request, 4 senders:   {r['raw5']['rate']:8.0f} steps/s "
          f"(p50 {r['raw5']['p50_ms']:.1f} ms, p95 {r['raw5']['p95_ms']:.1f} ms per request)")
    print(f"raw {name} of the same rows:        {raw:8.0f} rows/s (into a table with the step table's indexes)")
    print(f"raw {name} into a bare table:       {r['raw_bare_rate']:8.0f} rows/s (ours = "
          f"{r['raw100']['rate'] / r['raw_bare_rate']:.1%} of it)")
    print(f"server peak memory (VmHWM):               {r['server_peak_mb']:8.0f} MB")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dialects", default="sqlite,postgresql")
    p.add_argument("--sdk-threads", type=int, default=1000, help="threads (6 steps each) sent by the SDK clients")
    p.add_argument("--raw-threads", type=int, default=3000, help="threads sent as raw 100-step requests")
    p.add_argument("--small-threads", type=int, default=500, help="threads sent as raw 5-step requests")
    p.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
                   help="server worker processes on PostgreSQL (default: as Reflex runs in scaled mode, "
                        "2 x CPUs + 1); SQLite (embedded mode) always runs one")
    p.add_argument("--no-ceiling", action="store_true",
                   help="skip the SDK-against-a-null-server measurement (and the replay of its requests)")
    a = p.parse_args()
    record = Path(tempfile.mkdtemp(prefix="bench-sdk-")) / "requests.jsonl"
    ceiling = None if a.no_ceiling else sdk_ceiling(a.sdk_threads, record)
    replay = None if a.no_ceiling else replay_bodies(record)
    for dialect in a.dialects.split(","):
        workers = 1 if dialect == "sqlite" else a.workers
        result = run_dialect(dialect, a.sdk_threads, a.raw_threads, a.small_threads, workers, replay)
        report({**result, "sdk_ceiling": ceiling})


if __name__ == "__main__":
    main()
