"""Time the service calls behind the Logs pages on a large PostgreSQL project (bench/seed.py).

Each figure is the median of 5 runs after one warm-up: the first page of each table unfiltered and
with each single filter, the capped count, a user's threads, the 5,000-step thread (header,
conversation, first tree page, a run's children, its waterfall, the step panel), and the score
dialog's data. Targets: table pages <= 100 ms, the 5,000-step thread <= 300 ms.

    python -m bench.queries --database-url postgresql://postgres@127.0.0.1:5432/literal_bench
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from sqlalchemy import func, select
from sqlmodel import Session

from literal_app.db import make_engine
from literal_app.models.tracing import Participant, Step, Thread
from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.actor import Actor
from literal_app.services.logs import log_lists, step_detail, traces, waterfall
from literal_app.services.logs.log_filters import LogFilters

TABLE_FILTERS = {
    "threads": [{}, {"period": "7d"}, {"environment": "staging"}, {"name": "Conversation -t1"}, {"tags": "vip"},
                {"participant": "user-42@"}, {"model": "gpt-4o"}, {"error": "yes"}, {"tokens_min": "3000"},
                {"cost_min": "0.02"}, {"duration_min": "600"}, {"score_name": "<score0>", "score_min": "1"},
                {"meta_key": "region", "meta_value": "apac"}, {"search": "refund"}, {"sort": "cost"}],
    "runs": [{}, {"period": "24h"}, {"environment": "dev"}, {"name": "answer"}, {"tags": "refund"},
             {"participant": "user-7@"}, {"model": "claude-3-5-sonnet"}, {"error": "yes"}, {"duration_min": "5"},
             {"score_name": "<score1>", "score_min": "0.9"}, {"meta_key": "topic", "meta_value": "invoice"},
             {"search": "webhook"}, {"sort": "duration"}],
    "generations": [{}, {"period": "24h"}, {"environment": "staging"}, {"model": "gpt-4o"},
                    {"provider": "anthropic"}, {"participant": "user-3@"}, {"tokens_min": "2500"},
                    {"cost_min": "0.02"}, {"duration_max": "2"}, {"prompt_version": "<pv>"}, {"search": "invoice"},
                    {"sort": "cost"}, {"sort": "ttft"}],
    "steps": [{}, {"period": "7d"}, {"step_type": "tool"}, {"step_type": "retrieval"}, {"name": "vector_search"},
              {"error": "yes"}, {"environment": "dev"}, {"search": "quota"}, {"sort": "tokenCount"}],
    "scores": [{}, {"score_name": "<score0>"}, {"step_type": "AI"}, {"score_min": "0.9"},
               {"period": "7d"}, {"search": "Too long"}],
    "users": [{}, {"period": "7d"}, {"period": "90d"}, {"search": "user-12"}, {"sort": "threadCount"}],
}


def timed(fn: Callable[[], object], runs: int = 5) -> float:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def _line(label: str, ms: float, target: float) -> str:
    return f"{label:<66} {ms:8.1f} ms  {'ok' if ms <= target else 'SLOW'} (target {target:.0f})"


def bench_tables(session: Session, actor: Actor, prompt_version: str) -> list[tuple[str, float]]:
    out = []
    names = log_lists.distinct_values(session, actor, "score") + ["", ""]
    subst = {"<pv>": prompt_version, "<score0>": names[0], "<score1>": names[1]}
    for table, variants in TABLE_FILTERS.items():
        for raw in variants:
            raw = {k: subst.get(v, v) for k, v in raw.items()}
            f = LogFilters(**raw)
            ms = timed(lambda: log_lists.list_rows(session, actor, table, f))
            label = f"{table} page " + (" ".join(f"{k}={v}" for k, v in raw.items()) or "(unfiltered)")
            out.append((label, ms))
        ms = timed(lambda: log_lists.count_rows(session, actor, table, LogFilters()))
        out.append((f"{table} count (capped at {log_lists.COUNT_CAP:,})", ms))
    return out


def bench_thread(session: Session, actor: Actor, thread_id: str) -> list[tuple[str, float]]:
    tree = traces.thread_tree(session, actor, thread_id)
    run = next(n for n in tree.nodes if n.type == "run")

    def whole_page():  # what opening the thread page runs
        traces.get_thread(session, actor, thread_id)
        traces.thread_messages(session, actor, thread_id)
        traces.thread_tree(session, actor, thread_id)
        step_detail.get_step(session, actor, run.id)
        waterfall.run_waterfall(session, actor, run.id)

    return [
        ("5k-step thread: header", timed(lambda: traces.get_thread(session, actor, thread_id))),
        ("5k-step thread: conversation (first 100 messages)",
         timed(lambda: traces.thread_messages(session, actor, thread_id))),
        ("5k-step thread: tree, first 200 top-level nodes", timed(lambda: traces.thread_tree(session, actor, thread_id))),
        ("5k-step thread: tree, last page of top-level nodes",
         timed(lambda: traces.thread_tree(session, actor, thread_id, offset=2800))),
        ("5k-step thread: expand a run", timed(lambda: traces.step_children(session, actor, run.id))),
        ("5k-step thread: step panel of a run", timed(lambda: step_detail.get_step(session, actor, run.id))),
        ("5k-step thread: run waterfall", timed(lambda: waterfall.run_waterfall(session, actor, run.id))),
        ("5k-step thread: whole page load (all of the above)", timed(whole_page)),
    ]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/literal_bench")
    p.add_argument("--project-id", default=None, help="default: the project with the most threads")
    a = p.parse_args()
    url = a.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = make_engine(url)
    with Session(engine) as s:
        pid = a.project_id or s.execute(select(Thread.project_id).group_by(Thread.project_id)
                                        .order_by(func.count().desc()).limit(1)).scalar_one()
        actor = Actor(project_id=pid, role="ADMIN")
        big = s.execute(select(Thread.id).where(Thread.project_id == pid)  # the thread nearest 5,000 steps
                        .order_by(func.abs(Thread.step_count - 5000)).limit(1)).scalar_one()
        pv = s.execute(select(Step.prompt_version_id).where(Step.project_id == pid, Step.type == "llm",
                                                            Step.prompt_version_id.is_not(None)).limit(1)).scalar()
        user = s.execute(select(Participant.identifier).where(Participant.project_id == pid)
                         .order_by(Participant.thread_count.desc()).limit(1)).scalar_one()
        counts = {"steps": s.execute(select(func.count()).where(Step.project_id == pid)).scalar_one(),
                  "threads": s.execute(select(func.count()).where(Thread.project_id == pid)).scalar_one()}
        print(f"project {pid}: {counts['steps']:,} steps, {counts['threads']:,} threads; "
              f"biggest thread {big} ({s.get(Thread, big).step_count:,} steps)")
        print("median of 5 after a warm-up\n")
        for label, ms in bench_tables(s, actor, pv):
            print(_line(label, ms, 100))
        print(_line(f"threads of the most active user ({user})",
                    timed(lambda: log_lists.list_rows(s, actor, "threads", LogFilters(participant=user))), 100))
        print(_line("score dialog data (schemas)", timed(lambda: score_schemas.list_score_schemas(s, actor)), 100))
        for label, ms in bench_thread(s, actor, big):
            print(_line(label, ms, 300))


if __name__ == "__main__":
    main()
