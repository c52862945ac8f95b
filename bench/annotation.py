"""Time the annotation-queue service calls on the 1M-step project of bench/seed.py, whose
"Bench review queue" holds 100,000 pending items (``bench.seed --queue-items``).

- next item: what the review page runs for its next item (release the item it held, claim the
  next one, load it with its context: step detail, thread header, conversation, tree), median of
  20 after warm-up; each item is then marked reviewed (timed too) so the next call claims a fresh
  one. Target <= 150 ms.
- "Add all matching": 10,000 generations of the last 30 days into a new queue (median of 3, each
  rolled back). Target <= 2 s.
- the admin view: a page of 50 pending (and reviewed) items with the tab counts, median of 20.
  Target <= 100 ms.

Runs on PostgreSQL, and on SQLite when ``--sqlite`` names a copy (bench/sqlite_copy.py).

    python -m bench.annotation --database-url postgresql://postgres@127.0.0.1:5432/literal_bench \\
        --sqlite data/bench.db
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from sqlalchemy import func, select
from sqlmodel import Session

from bench.seed import QUEUE_NAME
from literal_app.db import make_engine
from literal_app.models.annotation import AnnotationQueue, QueueItem
from literal_app.models.auth import Membership, Role
from literal_app.services.accounts import members
from literal_app.services.annotation import filling, items, queues, review
from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.actor import Actor
from literal_app.services.logs.log_filters import LogFilters

REVIEWER = "queue-bench@example.com"


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _time(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _reviewer(session: Session, project_id: str) -> Actor:
    """A Domain Expert of the project (created once)."""
    m = members.find_member_by_email(session, REVIEWER) or members.create_member(
        session, email=REVIEWER, name="Queue bench", password="bench-password")
    if not session.execute(select(Membership).where(Membership.project_id == project_id,
                                                    Membership.member_id == m.id)).first():
        session.add(Membership(project_id=project_id, member_id=m.id, role=Role.DOMAIN_EXPERT.value))
    session.commit()
    return Actor(project_id=project_id, role=Role.DOMAIN_EXPERT.value, member_id=m.id)


def _bench_queue(session: Session) -> AnnotationQueue:
    q = session.execute(select(AnnotationQueue).where(AnnotationQueue.name == QUEUE_NAME)).scalars().first()
    if q is None:
        raise SystemExit(f"No {QUEUE_NAME!r}: run python -m bench.seed (or seed_queue) first.")
    return q


def bench_next_item(engine, actor: Actor, queue_id: str, schema) -> tuple[float, float]:
    """(median next-item ms, median mark-reviewed ms) over 20 items after 3 warm-ups."""
    opens, marks, previous = [], [], None
    for n in range(23):
        with Session(engine, expire_on_commit=False) as s:
            t = time.perf_counter()
            ctx = review.next_item(s, actor, queue_id, release=[previous] if previous else None)
            s.commit()
            opened = time.perf_counter() - t
        given = [review.ScoreInput(schema.id, label=schema.categories[0].label)] if schema else []
        with Session(engine, expire_on_commit=False) as s:
            t = time.perf_counter()
            review.review_item(s, actor, ctx.item.id, given)
            s.commit()
            marked = time.perf_counter() - t
        previous = ctx.item.id  # the page releases the item it held when it asks for the next
        if n >= 3:
            opens.append(opened)
            marks.append(marked)
    return _median_ms(opens), _median_ms(marks)


def bench_add_matching(engine, admin: Actor) -> tuple[float, int]:
    samples, added = [], 0
    for n in range(3):
        with Session(engine, expire_on_commit=False) as s:
            q = queues.create_queue(s, admin, name=f"bench add-all {n}")
            t = time.perf_counter()
            got = filling.add_matching(s, admin, q.id, "generations", LogFilters(period="30d"))
            samples.append(time.perf_counter() - t)
            added = got.added
            s.rollback()
    return _median_ms(samples), added


def bench_admin_view(engine, admin: Actor, queue_id: str, status: str) -> float:
    samples = []
    with Session(engine, expire_on_commit=False) as s:
        for n in range(23):
            t = _time(lambda: items.list_items(s, admin, queue_id, status=status))
            if n >= 3:
                samples.append(t)
    return _median_ms(samples)


def run(url: str, label: str) -> list[str]:
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        q = _bench_queue(s)
        admin_id = s.execute(select(Membership.member_id).where(Membership.project_id == q.project_id,
                                                               Membership.role == Role.ADMIN.value)).scalars().first()
        admin = Actor(project_id=q.project_id, role=Role.ADMIN.value, member_id=admin_id)
        reviewer = _reviewer(s, q.project_id)
        schema = next((x for x in score_schemas.list_score_schemas(s, admin) if x.type == "categorical"), None)
        pending = s.execute(select(func.count()).select_from(QueueItem).where(QueueItem.queue_id == q.id,
                                                                             QueueItem.status == "pending")).scalar_one()
    lines = [f"[{label}] queue {QUEUE_NAME!r}: {pending:,} pending items"]
    open_ms, mark_ms = bench_next_item(engine, reviewer, q.id, schema)
    lines.append(f"[{label}] next item (claim + item in context)   {open_ms:7.1f} ms  (target <= 150)")
    lines.append(f"[{label}] mark reviewed (1 score)               {mark_ms:7.1f} ms")
    add_ms, added = bench_add_matching(engine, admin)
    lines.append(f"[{label}] add all matching ({added:,} items)      {add_ms:7.1f} ms  (target <= 2000)")
    for status in ("pending", "reviewed"):
        ms = bench_admin_view(engine, admin, q.id, status)
        lines.append(f"[{label}] admin view, 50 {status:8} + counts    {ms:7.1f} ms  (target <= 100)")
    engine.dispose()
    return lines


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/literal_bench")
    p.add_argument("--sqlite", default=None, help="a SQLite copy of the same database (bench.sqlite_copy)")
    a = p.parse_args()
    targets = [(a.database_url.replace("postgresql://", "postgresql+psycopg://", 1), "postgresql")]
    if a.sqlite:
        targets.append((f"sqlite:///{a.sqlite}", "sqlite"))
    for url, label in targets:
        for line in run(url, label):
            print(line, flush=True)


if __name__ == "__main__":
    main()
