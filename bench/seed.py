"""Fill a PostgreSQL database with a realistic large project, in minutes, with COPY.

Defaults: 1,000,000 steps in 100,000 threads (one of them with 5,000 steps), 10,000 participants,
spread over 30 days, ~10% of runs scored, and an annotation queue of 100,000 pending runs and
generations (``--queue-items``; bench/annotation.py reviews it). Thread and participant aggregates
are filled exactly as ingestion maintains them, so list pages read them without scanning steps.

    python -m bench.seed --database-url postgresql://postgres@127.0.0.1:5432/literal_bench
    python -m bench.seed --steps 100000 --threads 10000          # a smaller project
    python -m bench.seed --database-url sqlite:////tmp/bench.db   # SQLite (executemany, not COPY)

From Python (the dashboard benchmark reuses it):

    from bench.seed import SeedConfig, seed
    result = seed("postgresql+psycopg://...", SeedConfig(steps=200_000, threads=20_000))

When the database holds no steps yet, secondary indexes of the bulk tables are dropped during the
load and rebuilt afterwards (much faster than maintaining them row by row).
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import psycopg
from sqlmodel import Session

from bench import seed_data as sd
from bench import seed_sqlite
from literal_app import migrate
from literal_app.db import make_engine
from literal_app.models.evals import ScoreSchema
from literal_app.models.prompts import PromptLineage, PromptVersion
from literal_app.services.accounts import api_keys, members, projects
from literal_app.services.dashboard import facet_sql, score_sql

BULK_TABLES = ("step", "thread", "score", "participant")


@dataclass(frozen=True)
class SeedConfig:
    steps: int = 1_000_000
    threads: int = 100_000
    participants: int = 10_000
    big_thread_steps: int = 5_000
    days: int = 30
    score_rate: float = 0.1
    large_io_rate: float = 0.002
    queue_items: int = 100_000  # pending items of the "Bench review queue" (runs and generations)
    project_id: str | None = None  # an existing project to fill; a new one (with an admin) otherwise
    seed: int = 42
    end: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


@dataclass(frozen=True)
class SeedResult:
    project_id: str
    api_key: str | None
    admin_email: str | None
    admin_password: str | None
    big_thread_id: str
    steps: int
    threads: int
    participants: int
    scores: int
    seconds: float


def _sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


def _psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _prepare_project(url: str, cfg: SeedConfig) -> tuple[str, str | None, str | None, list[str], dict]:
    """Create (or reuse) the project, an API key, prompt versions and score schemas."""
    engine = make_engine(url)
    email = key = None
    with Session(engine, expire_on_commit=False) as s:
        project_id = cfg.project_id
        if project_id is None:
            email = f"bench-{random.Random().randrange(10**8)}@example.com"
            owner = members.create_member(s, email=email, name="Bench Admin", password="bench-password")
            project_id = projects.create_project(s, name="Bench project", owner_id=owner.id).id
            _, key = api_keys.create_api_key(s, None, project_id=project_id, name="bench", role="ADMIN")
        lineage = PromptLineage(project_id=project_id, name=f"support-answer-{cfg.seed}")
        s.add(lineage)
        s.flush()
        versions = []
        for v in range(3):
            pv = PromptVersion(project_id=project_id, lineage_id=lineage.id, version=v,
                               template_messages=[{"role": "system", "content": f"Answer kindly (v{v})."}],
                               settings={"provider": "openai", "model": "gpt-4o-mini"}, changelog=f"v{v}")
            s.add(pv)
            versions.append(pv.id)
        schemas = {
            "helpfulness": ScoreSchema(project_id=project_id, name=f"helpfulness-{cfg.seed}", type="categorical",
                                       description="Did the answer help?",
                                       categories=[{"label": "bad", "value": 0, "description": "Unhelpful"},
                                                   {"label": "good", "value": 1, "description": "Helpful"}]),
            "relevance": ScoreSchema(project_id=project_id, name=f"relevance-{cfg.seed}", type="continuous",
                                     description="How relevant the answer is", min_value=0, max_value=1),
        }
        s.add_all(schemas.values())
        s.commit()
        schema_ids = {k: (v.name, v.id) for k, v in schemas.items()}
    engine.dispose()
    return project_id, email, key, versions, schema_ids


def _secondary_indexes(conn: psycopg.Connection) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
        "AND i.tablename = ANY(%s) AND i.indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))", (list(BULK_TABLES),)).fetchall()
    return [(r[0], r[1]) for r in rows]


def _participants(conn, cfg: SeedConfig, project_id: str, rng: random.Random) -> list[str]:
    ids = [f"{project_id[:8]}-p{i}" for i in range(cfg.participants)]
    start = cfg.end - timedelta(days=cfg.days)
    with conn.cursor().copy("COPY participant (id, project_id, identifier, metadata, created_at, thread_count, "
                            "token_count, cost) FROM STDIN") as cp:
        for i, pid in enumerate(ids):
            meta = sd._j({"plan": rng.choice(["free", "pro", "enterprise"]), "country": rng.choice(["FR", "US", "DE"])})
            cp.write_row((pid, project_id, f"user-{i}@customer.example", meta, start, 0, 0, 0.0))
    return ids


def _distribute_turns(cfg: SeedConfig, rng: random.Random) -> list[int]:
    """Turns per ordinary thread: at least one each, the rest spread with a long tail."""
    n = cfg.threads - 1
    total = max((cfg.steps - cfg.big_thread_steps) // sd.STEPS_PER_TURN, n)
    turns = [1] * n
    extra = total - n
    weights = [rng.paretovariate(1.5) for _ in range(n)]
    for i in rng.choices(range(n), weights=weights, k=extra):
        turns[i] += 1
    return turns


def _fill(url: str, cfg: SeedConfig, project_id: str, ctx_args: dict) -> tuple[dict, str]:
    """Stream participants, then threads/steps/scores over three connections, one transaction each."""
    rng = random.Random(cfg.seed)
    pg = _psycopg_url(url)
    with psycopg.connect(pg, autocommit=True) as c:
        c.execute("SET statement_timeout = 0")
        participants = _participants(c, cfg, project_id, rng)
    turns = _distribute_turns(cfg, rng)
    start = cfg.end - timedelta(days=cfg.days)
    span = (cfg.end - start).total_seconds()
    big_id = f"{project_id[:8]}-big"
    with psycopg.connect(pg) as cs, psycopg.connect(pg) as ct, psycopg.connect(pg) as cc:
        with cs.cursor().copy(f"COPY step ({', '.join(sd.STEP_COLUMNS)}) FROM STDIN") as steps, \
                ct.cursor().copy(f"COPY thread ({', '.join(sd.THREAD_COLUMNS)}) FROM STDIN") as threads, \
                cc.cursor().copy(f"COPY score ({', '.join(sd.SCORE_COLUMNS)}) FROM STDIN") as scores:
            ctx = sd.Ctx(rng=rng, project_id=project_id, write_step=steps.write_row,
                         write_score=scores.write_row, **ctx_args)
            threads.write_row(sd.thread_rows(ctx, big_id, cfg.big_thread_steps // sd.STEPS_PER_TURN,
                                             cfg.end - timedelta(days=4), participants[0] if participants else None,
                                             name="A very long conversation"))
            for i, n in enumerate(turns):
                at = start + timedelta(seconds=rng.random() * span * 0.98)
                pid = participants[int(len(participants) * rng.random() ** 3)] \
                    if participants and rng.random() < 0.85 else None
                threads.write_row(sd.thread_rows(ctx, f"{project_id[:8]}-t{i}", n, at, pid))
        cs.commit(), ct.commit(), cc.commit()
    return ctx.counters, big_id


def _finish(url: str, project_id: str, dropped: list[tuple[str, str]]) -> None:
    """Rebuild dropped indexes, fill participant aggregates from their threads, and ANALYZE."""
    with psycopg.connect(_psycopg_url(url), autocommit=True) as c:
        c.execute("SET maintenance_work_mem = '512MB'")
        for _, ddl in dropped:
            c.execute(ddl)
        c.execute(
            "UPDATE participant p SET thread_count = a.n, token_count = a.tokens, cost = a.cost, "
            "last_engaged_at = a.last, created_at = a.first FROM (SELECT participant_id, count(*) n, "
            "sum(token_count) tokens, sum(cost) cost, max(end_time) last, min(start_time) first FROM thread "
            "WHERE project_id = %s AND participant_id IS NOT NULL GROUP BY participant_id) a "
            "WHERE p.id = a.participant_id", (project_id,))
        for t in BULK_TABLES:
            c.execute(f"ANALYZE {t}")


QUEUE_NAME = "Bench review queue"


def seed_queue(database_url: str, project_id: str, items: int, log=print) -> str:
    """Create (or refill) the bench queue with the project's latest ``items`` runs and generations,
    oldest first, as pending items (one INSERT ... SELECT)."""
    with psycopg.connect(_psycopg_url(database_url), autocommit=True) as c:
        row = c.execute("SELECT id FROM annotation_queue WHERE project_id = %s AND name = %s",
                        (project_id, QUEUE_NAME)).fetchone()
        queue_id = row[0] if row else str(uuid.uuid4())
        if row is None:
            c.execute("INSERT INTO annotation_queue (id, project_id, name, description, is_default, created_at) "
                      "VALUES (%s, %s, %s, %s, false, now())", (queue_id, project_id, QUEUE_NAME,
                                                               "Runs and generations for the review benchmark."))
        c.execute("DELETE FROM queue_item WHERE queue_id = %s", (queue_id,))
        c.execute(
            "INSERT INTO queue_item (id, project_id, queue_id, step_id, status, pending_key, created_at) "
            "SELECT gen_random_uuid()::text, %s, %s, s.id, 'pending', 's:' || s.id, "
            "now() + (row_number() OVER (ORDER BY s.created_at, s.id)) * interval '1 microsecond' "
            "FROM (SELECT id, created_at FROM step WHERE project_id = %s AND type IN ('run', 'llm') "
            "ORDER BY created_at DESC LIMIT %s) s", (project_id, queue_id, project_id, items))
        c.execute("VACUUM ANALYZE queue_item")  # what autovacuum does after a bulk load (index-only counts)
    log(f"queue {queue_id}: {items:,} pending items")
    return queue_id


@contextmanager
def _facets_after_load(url: str, project_id: str, log=print) -> Iterator[None]:
    """Load with the facet and score triggers off, then fill the project's ``step.facets``, facet
    rollup and scores' step dimensions in one pass with the migrations' backfills (the same function the triggers call, so the rows are
    what ingestion would have written) and turn the triggers back on. With them on, each run
    inserted after its children would update them one by one while their indexes are dropped."""
    dialect = "sqlite" if url.startswith("sqlite") else "postgresql"
    engine = make_engine(url)
    with engine.begin() as c:
        for m in (facet_sql, score_sql):
            m.TRIGGERS.switch(c.exec_driver_sql, dialect, on=False)
    try:
        yield
        log("filling step facets, the facet rollup and the scores' step dimensions")
        with engine.begin() as c:
            facet_sql.backfill(c.exec_driver_sql, dialect, project_id)
            score_sql.backfill(c.exec_driver_sql, project_id)
    finally:
        with engine.begin() as c:
            for m in (facet_sql, score_sql):
                m.TRIGGERS.switch(c.exec_driver_sql, dialect, on=True)
        engine.dispose()


def seed(database_url: str, cfg: SeedConfig | None = None, log=print) -> SeedResult:
    """Migrate, create the project, bulk-load it, and return what a benchmark needs to query it."""
    cfg = cfg or SeedConfig()
    url = _sqlalchemy_url(database_url)
    t0 = time.perf_counter()
    migrate.upgrade(url)
    project_id, email, key, versions, schemas = _prepare_project(url, cfg)
    ctx_args = {"prompt_versions": versions, "schemas": schemas, "large_io_rate": cfg.large_io_rate,
                "score_rate": cfg.score_rate}
    if url.startswith("sqlite"):
        with _facets_after_load(url, project_id, log):
            counters, big_id = seed_sqlite.fill(url, cfg, project_id, ctx_args, BULK_TABLES,
                                                _distribute_turns, log)
        return SeedResult(project_id, key, email, "bench-password" if email else None, big_id,
                          counters["steps"], cfg.threads, cfg.participants, counters["scores"],
                          time.perf_counter() - t0)
    dropped: list[tuple[str, str]] = []
    with psycopg.connect(_psycopg_url(url), autocommit=True) as c:
        if c.execute("SELECT NOT EXISTS (SELECT 1 FROM step)").fetchone()[0]:
            dropped = _secondary_indexes(c)
            for name, _ in dropped:
                c.execute(f'DROP INDEX IF EXISTS "{name}"')
    log(f"project {project_id}: loading {cfg.steps:,} steps / {cfg.threads:,} threads "
        f"({len(dropped)} indexes deferred)")
    with _facets_after_load(url, project_id, log):
        counters, big_id = _fill(url, cfg, project_id, ctx_args)
        log(f"loaded in {time.perf_counter() - t0:.0f} s; rebuilding indexes and aggregates")
        _finish(url, project_id, dropped)
    if cfg.queue_items:
        seed_queue(url, project_id, cfg.queue_items, log)
    return SeedResult(project_id, key, email, "bench-password" if email else None, big_id,
                      counters["steps"], cfg.threads, cfg.participants, counters["scores"],
                      time.perf_counter() - t0)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/literal_bench")
    p.add_argument("--create-db", action="store_true", help="create the database first when missing")
    for name, default in (("steps", 1_000_000), ("threads", 100_000), ("participants", 10_000),
                          ("big-thread-steps", 5_000), ("days", 30), ("seed", 42), ("queue-items", 100_000)):
        p.add_argument(f"--{name}", type=int, default=default)
    p.add_argument("--project-id", default=None)
    p.add_argument("--prompt-library", action="store_true",
                   help="seed the prompt library bench instead (bench/seed_prompts.py: 1,000 prompts x 20 versions, "
                        "1M generations, 300k using a version)")
    a = p.parse_args()
    if a.create_db and not a.database_url.startswith("sqlite"):
        base, dbname = _psycopg_url(a.database_url).rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as c:
            if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone():
                c.execute(f'CREATE DATABASE "{dbname}"')
    if a.prompt_library:
        from bench.seed_prompts import seed_prompt_library  # noqa: PLC0415

        pr = seed_prompt_library(a.database_url)
        print(f"project_id={pr.project_id} api_key={pr.api_key} hot={pr.hot_name} typical={pr.typical_name}")
        return
    r = seed(a.database_url, SeedConfig(steps=a.steps, threads=a.threads, participants=a.participants,
                                        big_thread_steps=a.big_thread_steps, days=a.days, seed=a.seed,
                                        queue_items=a.queue_items, project_id=a.project_id))
    print(f"done in {r.seconds:.0f} s: {r.steps:,} steps, {r.threads:,} threads, {r.participants:,} "
          f"participants, {r.scores:,} scores")
    print(f"project_id={r.project_id} big_thread_id={r.big_thread_id}")
    if r.api_key:
        print(f"api_key={r.api_key} admin={r.admin_email} / {r.admin_password}")


if __name__ == "__main__":
    main()
