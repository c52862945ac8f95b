"""Copy the seeded PostgreSQL database (bench/seed.py) into a SQLite file, so a benchmark can run
the same project on both databases. Every table of the models is copied in dependency order, a
batch at a time; the SQLite schema is built by the migrations first, and ANALYZE runs last.

Statistics matter on SQLite: without them its planner prefers the (project_id, ...) indexes for
any "project_id = ? AND <selective column> = ?" query, and at 1M steps the thread tree's child
counts and the conversation take seconds (the app does not run ANALYZE itself).

    python -m bench.sqlite_copy --database-url postgresql://postgres@127.0.0.1:5432/literal_bench \\
        --sqlite data/bench.db
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sqlalchemy import insert, select
from sqlmodel import SQLModel

import literal_app.models  # noqa: F401 - registers every table
from literal_app import migrate
from literal_app.db import make_engine

BATCH = 5000
ROLLUP_TABLES = {"step_rollup", "step_rollup_delta", "step_facet_rollup", "step_facet_rollup_delta", "latency_cache",
                 "prompt_rollup", "prompt_rollup_delta"}


def copy_to_sqlite(pg_url: str, sqlite_path: Path, log=print) -> None:
    """Build ``sqlite_path`` from scratch with every row of the PostgreSQL database."""
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{sqlite_path}"
    migrate.upgrade(url)
    src, dst = make_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1)), make_engine(url)
    t0 = time.perf_counter()
    with src.connect() as s, dst.connect() as d:
        d.exec_driver_sql("PRAGMA foreign_keys=OFF")
        # Trigger-maintained rollups last: copying steps and scores appends deltas on SQLite too,
        # which the rollup tables' own copy (delete, then the source's rows) replaces.
        tables = sorted(SQLModel.metadata.sorted_tables, key=lambda t: t.name in ROLLUP_TABLES)
        for table in tables:
            d.execute(table.delete())  # rows the migrations made (default queues of no project)
            n = 0
            result = s.execution_options(stream_results=True, yield_per=BATCH).execute(select(table))
            for part in result.mappings().partitions(BATCH):
                d.execute(insert(table), [dict(r) for r in part])
                n += len(part)
            d.commit()
            if n:
                log(f"{table.name}: {n:,} rows ({time.perf_counter() - t0:.0f} s)")
        d.exec_driver_sql("ANALYZE")
        d.commit()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/literal_bench")
    p.add_argument("--sqlite", default="data/bench.db")
    a = p.parse_args()
    copy_to_sqlite(a.database_url, Path(a.sqlite))


if __name__ == "__main__":
    main()
