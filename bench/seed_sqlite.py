"""The SQLite side of bench/seed.py: the same rows (``bench/seed_data.py``) written with
``executemany`` in large transactions instead of PostgreSQL's COPY.

Secondary indexes of the bulk tables are dropped during the load of an empty database and rebuilt
afterwards; the row-level rollup triggers stay on (they are how ingestion fills the dashboard's
rollups), and the deltas they append are folded once at the end.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone

from bench import seed_data as sd

BATCH = 20_000


def sqlite_path(url: str) -> str:
    return url.split(":///", 1)[1]


def _value(v):
    """What SQLAlchemy stores in SQLite: naive UTC timestamps as text."""
    if isinstance(v, datetime):
        return v.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return v


class _Sink:
    """Buffers rows of one table and inserts them ``BATCH`` at a time."""

    def __init__(self, conn: sqlite3.Connection, table: str, columns: tuple[str, ...]):
        self.conn, self.rows = conn, []
        self.sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"

    def write_row(self, row: tuple) -> None:
        self.rows.append(tuple(_value(v) for v in row))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.conn.executemany(self.sql, self.rows)
            self.rows = []


def _secondary_indexes(conn: sqlite3.Connection, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    marks = ", ".join("?" * len(tables))
    return conn.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                        f"AND tbl_name IN ({marks})", tables).fetchall()


def fill(url: str, cfg, project_id: str, ctx_args: dict, tables: tuple[str, ...], turns_of, log) -> tuple[dict, str]:
    """Participants, threads, steps and scores of ``cfg`` into the SQLite database at ``url``."""
    rng = random.Random(cfg.seed)
    conn = sqlite3.connect(sqlite_path(url), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM step)").fetchone()[0]
    dropped = _secondary_indexes(conn, tables) if empty else []
    for name, _ in dropped:
        conn.execute(f'DROP INDEX IF EXISTS "{name}"')
    log(f"sqlite: {len(dropped)} indexes deferred")
    start = cfg.end - timedelta(days=cfg.days)
    conn.execute("BEGIN")
    participants = [f"{project_id[:8]}-p{i}" for i in range(cfg.participants)]
    conn.executemany(
        "INSERT INTO participant (id, project_id, identifier, metadata, created_at, thread_count, token_count, "
        "cost) VALUES (?, ?, ?, ?, ?, 0, 0, 0.0)",
        [(pid, project_id, f"user-{i}@customer.example",
          sd._j({"plan": rng.choice(["free", "pro", "enterprise"]), "country": rng.choice(["FR", "US", "DE"])}),
          _value(start)) for i, pid in enumerate(participants)])
    steps, threads, scores = (_Sink(conn, "step", sd.STEP_COLUMNS), _Sink(conn, "thread", sd.THREAD_COLUMNS),
                              _Sink(conn, "score", sd.SCORE_COLUMNS))
    ctx = sd.Ctx(rng=rng, project_id=project_id, write_step=steps.write_row, write_score=scores.write_row,
                 **ctx_args)
    big_id = f"{project_id[:8]}-big"
    threads.write_row(sd.thread_rows(ctx, big_id, cfg.big_thread_steps // sd.STEPS_PER_TURN,
                                     cfg.end - timedelta(days=4), participants[0] if participants else None,
                                     name="A very long conversation"))
    span = (cfg.end - start).total_seconds()
    for i, n in enumerate(turns_of(cfg, rng)):
        at = start + timedelta(seconds=rng.random() * span * 0.98)
        pid = participants[int(len(participants) * rng.random() ** 3)] \
            if participants and rng.random() < 0.85 else None
        threads.write_row(sd.thread_rows(ctx, f"{project_id[:8]}-t{i}", n, at, pid))
        if i % 20_000 == 0:
            log(f"sqlite: {ctx.counters['steps']:,} steps")
    for sink in (steps, threads, scores):
        sink.flush()
    conn.execute("COMMIT")
    _finish(conn, project_id, dropped, tables, log)
    conn.close()
    return ctx.counters, big_id


def _finish(conn: sqlite3.Connection, project_id: str, dropped, tables, log) -> None:
    log("sqlite: rebuilding indexes and participant aggregates")
    for _, ddl in dropped:
        conn.execute(ddl)
    conn.execute(
        "UPDATE participant SET (thread_count, token_count, cost, last_engaged_at, created_at) = "
        "(SELECT count(*), sum(token_count), sum(cost), max(end_time), min(start_time) FROM thread "
        "WHERE thread.project_id = participant.project_id AND thread.participant_id = participant.id) "
        "WHERE project_id = ? AND EXISTS (SELECT 1 FROM thread WHERE thread.project_id = participant.project_id "
        "AND thread.participant_id = participant.id)", (project_id,))  # (project, participant) index
    for t in tables:
        conn.execute(f"ANALYZE {t}")
