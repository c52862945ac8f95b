"""Seed a prompt library at scale with COPY (PostgreSQL), for bench/prompts.py.

Defaults: 1,000 prompt lineages × 20 versions (tags, a 50/50 rollout of the two newest versions
and its history row per lineage), and 1,000,000 generations over 30 days of which 300,000 used
a version (10% of those on one hot prompt, the rest spread over the others, recent versions
used more), ~30% of the linked generations scored on two score names. The per-version prompt
rollup is filled by its triggers during the COPYs and compacted at the end, as after ingestion.

    python -m bench.seed --prompt-library --database-url postgresql://postgres@127.0.0.1:5432/literal_bench_prompts
"""

from __future__ import annotations

import json
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import psycopg
from sqlmodel import Session

from literal_app import migrate
from literal_app.db import make_engine
from literal_app.services.accounts import api_keys, members, projects
from literal_app.services.prompts import prompt_rollups

HOT_SHARE = 0.1
TAGS = ["prod", "staging", "support", "search", "agents", "summaries", "experimental"]
STEP_COLUMNS = ("id", "project_id", "type", "name", "start_time", "end_time", "created_at", "generation_type",
                "provider", "model", "prompt_version_id", "input_token_count", "output_token_count", "token_count",
                "duration", "cost")
SCORE_COLUMNS = ("id", "project_id", "step_id", "name", "type", "value", "created_at", "updated_at")


@dataclass(frozen=True)
class PromptSeedConfig:
    lineages: int = 1_000
    versions: int = 20
    generations: int = 1_000_000
    linked: int = 300_000
    score_rate: float = 0.3
    days: int = 30
    seed: int = 7
    end: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


@dataclass(frozen=True)
class PromptSeedResult:
    project_id: str
    api_key: str
    hot_lineage_id: str
    typical_lineage_id: str
    hot_name: str
    typical_name: str
    seconds: float


def _project(url: str) -> tuple[str, str, str]:
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        email = f"bench-prompts-{uuid.uuid4().hex[:8]}@example.com"
        owner = members.create_member(s, email=email, name="Bench Admin", password="bench-password")
        project_id = projects.create_project(s, name="Prompt library bench", owner_id=owner.id).id
        _, key = api_keys.create_api_key(s, None, project_id=project_id, name="bench", role="ADMIN")
        s.commit()
    engine.dispose()
    return project_id, key, owner.id


def _template(i: int, v: int) -> list[dict]:
    return [{"role": "system", "content": f"You are assistant #{i} for {{{{product}}}}. Style rev {v}: "
                                          "answer briefly and cite the docs.\nAnswer in {{language}}."},
            {"role": "user", "content": "{{question}}"}]


def _library(c: psycopg.Connection, cfg: PromptSeedConfig, project_id: str, owner: str,
             rng: random.Random) -> list[tuple[str, list[str]]]:
    """COPY lineages, versions, rollouts and rollout history; returns (lineage id, version ids)."""
    start = cfg.end - timedelta(days=cfg.days + 30)
    out = []
    with c.cursor().copy("COPY prompt_lineage (id, project_id, name, tags, created_at, updated_at, updated_by_id) "
                         "FROM STDIN") as lin:
        for i in range(cfg.lineages):
            lid = str(uuid.uuid4())
            lin.write_row((lid, project_id, f"prompt-{i:04d}", json.dumps(rng.sample(TAGS, rng.randint(0, 3))),
                           start, cfg.end - timedelta(hours=rng.random() * 24 * cfg.days), owner))
            out.append((lid, [str(uuid.uuid4()) for _ in range(cfg.versions)]))
    with c.cursor().copy("COPY prompt_version (id, project_id, lineage_id, version, type, template_messages, "
                         "settings, variables, changelog, deprecated, created_by_id, created_at, updated_at) "
                         "FROM STDIN") as ver:
        variables = json.dumps([{"name": n, "language": "plaintext"} for n in ("product", "language", "question")])
        for i, (lid, vids) in enumerate(out):
            for v, vid in enumerate(vids):
                at = start + timedelta(days=v * 2)
                ver.write_row((vid, project_id, lid, v, "CHAT", json.dumps(_template(i, v)),
                               json.dumps({"provider": "openai", "model": "gpt-4o-mini", "temperature": v / 20}),
                               variables, f"Revision {v}: tighter instructions", v < 3, owner, at, at))
    a, b = cfg.versions - 2, cfg.versions - 1
    with c.cursor().copy("COPY prompt_rollout (id, project_id, lineage_id, version, rollout) FROM STDIN") as ro:
        for lid, _ in out:
            ro.write_row((str(uuid.uuid4()), project_id, lid, a, 50.0))
            ro.write_row((str(uuid.uuid4()), project_id, lid, b, 50.0))
    with c.cursor().copy("COPY prompt_rollout_change (id, project_id, lineage_id, changed_by_id, changed_at, "
                         "before, after) FROM STDIN") as hist:
        for lid, _ in out:
            hist.write_row((str(uuid.uuid4()), project_id, lid, owner, cfg.end - timedelta(days=7),
                            json.dumps([{"version": a, "rollout": 100}]),
                            json.dumps([{"version": a, "rollout": 50}, {"version": b, "rollout": 50}])))
    return out


def _pick_version(lib: list[tuple[str, list[str]]], rng: random.Random) -> str:
    lineage = lib[0] if rng.random() < HOT_SHARE else lib[1 + int(rng.random() * (len(lib) - 1))]
    vids = lineage[1]
    return vids[min(len(vids) - 1, int(len(vids) * rng.random() ** 0.5))]  # newer versions used more


def _generations(pg: str, cfg: PromptSeedConfig, project_id: str, lib, rng: random.Random) -> int:
    """COPY the steps, then (once they are committed) their scores: the per-version prompt rollup's
    triggers (migration 0020) then count each score under its step's version, as at ingestion."""
    span = cfg.days * 86400
    scores: list[tuple] = []
    with psycopg.connect(pg) as cs:
        with cs.cursor().copy(f"COPY step ({', '.join(STEP_COLUMNS)}) FROM STDIN") as steps:
            for i in range(cfg.generations):
                at = cfg.end - timedelta(seconds=rng.random() * span)
                linked = i < cfg.linked
                vid = _pick_version(lib, rng) if linked else None
                duration = rng.lognormvariate(0.0, 0.5)
                tin, tout = rng.randint(100, 2000), rng.randint(10, 400)
                sid = f"{project_id[:8]}-pg{i}"
                steps.write_row((sid, project_id, "llm", "answer", at, at + timedelta(seconds=duration), at, "CHAT",
                                 "openai", "gpt-4o-mini", vid, tin, tout, tin + tout, duration,
                                 (tin * 0.15 + tout * 0.6) / 1e6))
                if linked and rng.random() < cfg.score_rate:
                    scores += [(str(uuid.uuid4()), project_id, sid, name, "AI", round(rng.random(), 3), at, at)
                               for name in ("helpfulness", "correctness")]
        cs.commit()
    with psycopg.connect(pg) as cc:
        with cc.cursor().copy(f"COPY score ({', '.join(SCORE_COLUMNS)}) FROM STDIN") as sc:
            for row in scores:
                sc.write_row(row)
        cc.commit()
    return len(scores)


def seed_prompt_library(database_url: str, cfg: PromptSeedConfig | None = None, log=print) -> PromptSeedResult:
    """Migrate, create a project with an API key, and load the prompt library and its generations."""
    from bench.seed import _finish, _psycopg_url, _secondary_indexes, _sqlalchemy_url  # noqa: PLC0415

    cfg = cfg or PromptSeedConfig()
    url, t0 = _sqlalchemy_url(database_url), time.perf_counter()
    migrate.upgrade(url)
    project_id, key, owner = _project(url)
    rng = random.Random(cfg.seed)
    pg = _psycopg_url(url)
    with psycopg.connect(pg, autocommit=True) as c:
        dropped = _secondary_indexes(c) if c.execute("SELECT NOT EXISTS (SELECT 1 FROM step)").fetchone()[0] else []
        for name, _ in dropped:
            c.execute(f'DROP INDEX IF EXISTS "{name}"')
    with psycopg.connect(pg) as c:
        lib = _library(c, cfg, project_id, owner, rng)
        c.commit()
    log(f"project {project_id}: {cfg.lineages:,} prompts x {cfg.versions} versions; loading {cfg.generations:,} "
        f"generations ({cfg.linked:,} linked)")
    scores = _generations(pg, cfg, project_id, lib, rng)
    _finish(url, project_id, dropped)
    with psycopg.connect(pg, autocommit=True) as c:
        for t in ("prompt_lineage", "prompt_version", "prompt_rollout"):
            c.execute(f"ANALYZE {t}")
        c.execute("VACUUM (ANALYZE) step")  # the visibility map: counts per version read the index only
    engine = make_engine(url)
    with Session(engine) as s:  # what the compaction job scheduled after ingestion does
        prompt_rollups.compact(s, project_id)
        s.commit()
    engine.dispose()
    with psycopg.connect(pg, autocommit=True) as c:
        c.execute("VACUUM (ANALYZE) prompt_rollup")
        c.execute("VACUUM (ANALYZE) prompt_rollup_delta")  # autovacuum's work after a compaction
    log(f"loaded in {time.perf_counter() - t0:.0f} s ({scores:,} scores)")
    return PromptSeedResult(project_id, key, lib[0][0], lib[len(lib) // 2][0], "prompt-0000",
                            f"prompt-{len(lib) // 2:04d}", time.perf_counter() - t0)
