"""Query plans of the Logs pages on large projects: score filters turned into id lists when few rows
match, and serial (non-parallel) plans for page queries on PostgreSQL.

A Logs page reads ~50 rows in time order. Two things made filtered pages slow at 1M steps:

- A filter on scores ("runs with relevance >= 0.9") is an EXISTS per row: PostgreSQL walks the
  table newest first and probes the scores of each row until 50 match, which reads thousands of
  rows when matches are rare. Scores are few and indexed by (project, name), so when at most
  ``NARROW_CAP`` rows match we look their ids up first and filter on ``id IN (...)`` (primary-key
  lookups); when more match, they are dense and the walk finds 50 quickly, so the EXISTS stays.
- A LIMIT query under a Gather Merge lets each parallel worker run far past the rows the page
  needs, and waiting for worker start-up on a busy machine costs more than the scan itself
  (threads with an error: 200 ms parallel, 9 ms serial). ``serial_plans`` turns parallel plans off
  for the page's own queries only (``set_config(..., true)`` is transaction-local, and the
  previous value is put back after).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select, text
from sqlmodel import Session

from literal_app.models.tracing import Score, Step
from literal_app.services.logs.querying import Filter, compare

NARROW_CAP = 5000
_STEP_TABLES = ("runs", "generations", "steps")


def _score_conditions(f: Filter, project_id: str, dialect: str) -> list:
    """The conditions of the "score" filter's EXISTS (``log_fields._step_has_score``) on the Score row."""
    cond = [Score.project_id == project_id]
    if f.path:
        cond.append(Score.name == f.path)
    if not (f.operator in ("is", "nis") and f.value is None):
        cond.append(compare(Score.value, "number", f, dialect))
    return cond


def _ids_of_matches(session: Session, table: str, f: Filter, project_id: str) -> list[str] | None:
    """Ids of the ``table`` rows that have a score matching ``f``, or None when more than
    ``NARROW_CAP`` scores match (then the rows are dense enough for the EXISTS walk). The cap is
    applied to the score rows themselves, so this costs at most ``NARROW_CAP`` index entries."""
    cond = _score_conditions(f, project_id, session.get_bind().dialect.name)
    step_ids = session.execute(select(Score.step_id).where(*cond, Score.step_id.is_not(None))
                               .limit(NARROW_CAP + 1)).scalars().all()
    if len(step_ids) > NARROW_CAP:
        return None
    step_ids = sorted(set(step_ids))
    if table != "threads" or not step_ids:
        return step_ids
    return list(session.execute(select(Step.thread_id).where(
        Step.id.in_(step_ids), Step.project_id == project_id, Step.thread_id.is_not(None)).distinct()).scalars())


def narrow(session: Session, project_id: str, table: str, filters: list[Filter]) -> list[Filter]:
    """``filters`` with each score filter replaced by ``id in [...]`` when few rows match it (the
    same rows: a row matches exactly when its id is among those of the matching scores)."""
    if table not in (*_STEP_TABLES, "threads"):
        return filters
    out = []
    for f in filters:
        ids = _ids_of_matches(session, table, f, project_id) if f.field == "score" else None
        out.append(f if ids is None else Filter("id", "in", ids))
    return out


@contextmanager
def serial_plans(session: Session) -> Iterator[None]:
    """Run the enclosed queries without parallel workers (PostgreSQL; nothing elsewhere)."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    previous = session.execute(text("SELECT current_setting('max_parallel_workers_per_gather')")).scalar_one()
    session.execute(text("SELECT set_config('max_parallel_workers_per_gather', '0', true)"))
    yield
    # not in a finally: after an error the transaction is rolled back, which undoes the setting
    session.execute(text("SELECT set_config('max_parallel_workers_per_gather', :v, true)"), {"v": previous})
