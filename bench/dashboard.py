"""Dashboard benchmark: the whole dashboard for 30 days on the 1M-step / 100k-thread project of
``bench/seed.py`` (PostgreSQL or SQLite), server side (the service layer, as the page calls it).

Prints, per card, the median of 5 runs after a warm-up, the whole dashboard's median, and the
targets (whole <= 500 ms, each card <= 150 ms), a cold latency card (percentile cache emptied), and
the whole dashboard under each single filter (environment, model, date range, tags, run name).

    python -m bench.dashboard                                     # seeds a project when none is given
    python -m bench.dashboard --database-url postgresql://postgres@127.0.0.1:5432/literal_bench \\
        --project-id <id printed by bench.seed>
    python -m bench.dashboard --database-url sqlite:////tmp/bench.db
"""

from __future__ import annotations

import argparse
import statistics
import time

import psycopg
from sqlalchemy import delete, text
from sqlmodel import Session

from bench.seed import SeedConfig, _psycopg_url, _sqlalchemy_url, seed
from literal_app import migrate
from literal_app.db import make_engine
from literal_app.models.analytics import LatencyCache
from literal_app.services import dashboard as dash
from literal_app.services.dashboard import DashboardFilter
from literal_app.services.kernel.actor import Actor

WHOLE_TARGET_MS, CARD_TARGET_MS = 500, 150


def _biggest_project(engine) -> str | None:
    """The project with the most steps (folded or pending rollups: a fresh seed is not compacted)."""
    q = text("SELECT project_id FROM (SELECT project_id, steps FROM step_rollup UNION ALL "
             "SELECT project_id, steps FROM step_rollup_delta) r GROUP BY project_id ORDER BY sum(steps) DESC LIMIT 1")
    with engine.connect() as c:
        row = c.execute(q).first()
    return row[0] if row else None


def _load(engine, actor: Actor, f: DashboardFilter) -> tuple[float, dict[str, float], dash.Dashboard]:
    t0 = time.perf_counter()
    with Session(engine) as s:
        board = dash.load_dashboard(s, actor, f)
        s.commit()  # the latency cache is written on a miss
    return (time.perf_counter() - t0) * 1000, board.timings_ms, board


def measure(engine, actor: Actor, f: DashboardFilter, runs: int = 5) -> tuple[float, dict[str, float], dash.Dashboard]:
    """Median whole-dashboard wall time and median per card over ``runs`` loads after a warm-up."""
    _load(engine, actor, f)
    wholes, cards = [], {}
    board = None
    for _ in range(runs):
        whole, timings, board = _load(engine, actor, f)
        wholes.append(whole)
        for k, v in timings.items():
            cards.setdefault(k, []).append(v)
    return statistics.median(wholes), {k: statistics.median(v) for k, v in cards.items()}, board


def _cold_latency(engine, actor: Actor, f: DashboardFilter) -> float:
    with Session(engine) as s:
        s.execute(delete(LatencyCache).where(LatencyCache.project_id == actor.project_id))
        s.commit()
    t0 = time.perf_counter()
    with Session(engine) as s:
        dash.latency(s, actor, f)
        s.commit()
    return (time.perf_counter() - t0) * 1000


def report(whole: float, cards: dict[str, float], board: dash.Dashboard) -> None:
    v, c = board.volume.totals, board.cost
    print(f"data in range: {v['threads']:,} threads, {v['runs']:,} runs, {v['generations']:,} generations, "
          f"{v['input_tokens'] + v['output_tokens']:,} tokens, {sum(x.count for x in board.scores.series):,} "
          f"scores, cost ${c.total:,.2f} ({'n/a' if c.change_pct is None else f'{c.change_pct:+.1f}%'} vs previous)")
    print(f"{'card':<18}{'median ms':>10}   target")
    for k, ms in sorted(cards.items(), key=lambda kv: -kv[1]):
        print(f"{k:<18}{ms:>10.1f}   {'ok' if ms <= CARD_TARGET_MS else 'OVER'} (<= {CARD_TARGET_MS})")
    print(f"{'sum of cards':<18}{sum(cards.values()):>10.1f}")
    print(f"{'whole dashboard':<18}{whole:>10.1f}   {'ok' if whole <= WHOLE_TARGET_MS else 'OVER'} "
          f"(<= {WHOLE_TARGET_MS}, wall time incl. session)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/literal_bench")
    p.add_argument("--project-id", default=None, help="a project filled by bench.seed (default: the largest)")
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--vacuum", action="store_true", help="VACUUM ANALYZE first (what autovacuum does)")
    a = p.parse_args()
    url = _sqlalchemy_url(a.database_url)
    migrate.upgrade(url)
    engine = make_engine(url)
    project_id = a.project_id or _biggest_project(engine)
    if project_id is None:
        print("no project yet: seeding 1,000,000 steps / 100,000 threads")
        project_id = seed(a.database_url, SeedConfig()).project_id
    if a.vacuum and url.startswith("postgresql"):
        with psycopg.connect(_psycopg_url(url), autocommit=True) as c:
            for t in ("step", "thread", "score", "participant", "step_rollup", "step_rollup_delta"):
                c.execute(f"VACUUM ANALYZE {t}")
    actor = Actor(project_id=project_id, role="ADMIN")
    with Session(engine) as s:
        dash.compact_rollups(s, actor)
        s.commit()
    f = DashboardFilter.last_days(a.days)
    print(f"project {project_id}, {f.start} → {f.end} ({a.days} days), median of {a.runs} after a warm-up")
    whole, cards, board = measure(engine, actor, f, a.runs)
    report(whole, cards, board)
    print(f"cold latency card (percentile cache emptied): {_cold_latency(engine, actor, f):.1f} ms")
    print(f"under one filter each (whole dashboard, median of {a.runs}; target <= {WHOLE_TARGET_MS} ms):")
    for label, flt in filtered(a.days):
        whole, cards, _ = measure(engine, actor, flt, runs=a.runs)
        slowest = max(cards.items(), key=lambda kv: kv[1])
        print(f"  {label:<34}{whole:>7.0f} ms   {'ok' if whole <= WHOLE_TARGET_MS else 'OVER'}   "
              f"(slowest card {slowest[0]} {slowest[1]:.0f} ms)")
    engine.dispose()


def filtered(days: int) -> list[tuple[str, DashboardFilter]]:
    """One dashboard per single filter: columns of the daily rollup, and the run name and tags that
    the facet rollup answers (a tag on threads only, and a tag on threads and runs)."""
    return [
        ("environment=prod (rollup)", DashboardFilter.last_days(days, environment="prod")),
        ("environment!=evaluation (page default)", DashboardFilter.last_days(days, environment="!evaluation")),
        ("model=gpt-4o (rollup)", DashboardFilter.last_days(days, model="gpt-4o")),
        ("date range: last 7 days (rollup)", DashboardFilter.last_days(7)),
        ("tag=vip (facets: thread tag)", DashboardFilter.last_days(days, tags=("vip",))),
        ("tag=billing (facets: thread+step tags)", DashboardFilter.last_days(days, tags=("billing",))),
        ("run name=answer_question (facets)", DashboardFilter.last_days(days, run_name="answer_question")),
    ]


if __name__ == "__main__":
    main()
