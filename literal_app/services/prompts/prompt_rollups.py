"""Reading and compacting the per-version daily prompt rollup (``models/prompts.py``: PromptRollup).

Database triggers (migration 0020) append the signed contribution of every step and score write
to ``prompt_rollup_delta``; readers sum the folded rows and the pending deltas of the versions they
show (by lineage: one prompt's page, or a page of prompts), so every figure is exact at any moment and costs a few hundred rows instead of a scan of the
version's generations. ``compact`` folds the deltas into ``prompt_rollup`` (scheduled with the
dashboard's compaction after ingestion, ``jobs/rollups.py``); figures read do not change.

On PostgreSQL (READ COMMITTED) a score committed at the same moment as its step by another
transaction is missed by both triggers (neither sees the other's row), as is a score written while
another transaction moves its step to another version. ``compact`` repairs both: for the
(version, day) pairs with pending deltas it compares the score rows with a scan of those days'
scores, in one statement (one snapshot, in which every transaction's rows and deltas are both
visible or both not), and appends the difference. SQLite runs one writer at a time: no such race.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, text, union_all
from sqlmodel import Session

from literal_app.models.prompts import (
    ROLLUP_DIMENSIONS,
    ROLLUP_MEASURES,
    PromptRollup,
    PromptRollupDelta,
)
from literal_app.models.tracing import Step
from literal_app.services.kernel.delta_rollups import DeltaRollup

_ROLLUP = DeltaRollup("prompt_rollup", ROLLUP_DIMENSIONS, ROLLUP_MEASURES)
_FLOATS = {"duration_sum", "duration_sq", "cost_sum", "score_sum", "score_sq"}
_ZERO_MEASURES = ", ".join("0" for m in ROLLUP_MEASURES if m not in ("n", "score_sum", "score_sq"))
_NAMES = ", ".join(m for m in ROLLUP_MEASURES if m not in ("n", "score_sum", "score_sq"))
# The score rows of the recently written (version, day) pairs against a scan of their scores; a
# difference in count is a race the triggers could not see (module docstring) and is appended.
_PG_REPAIR_SCORES = text(f"""
WITH k AS (SELECT DISTINCT lineage_id AS lid, prompt_version_id AS vid, day FROM prompt_rollup_delta
           WHERE project_id = :p),
raw AS (
  SELECT s.prompt_version_id AS vid, (s.created_at AT TIME ZONE 'UTC')::date AS day, c.name AS score,
         count(*) AS n, sum(c.value) AS total, sum(c.value * c.value) AS sq
  FROM k JOIN step s ON s.prompt_version_id = k.vid AND s.project_id = :p
   AND s.created_at >= (k.day::timestamp AT TIME ZONE 'UTC') AND s.created_at < ((k.day + 1)::timestamp AT TIME ZONE 'UTC')
  JOIN score c ON c.step_id = s.id
  GROUP BY 1, 2, 3),
held AS (
  SELECT r.prompt_version_id AS vid, r.day, r.score, sum(r.n) AS n, sum(r.score_sum) AS total, sum(r.score_sq) AS sq
  FROM (SELECT lineage_id, prompt_version_id, day, score, n, score_sum, score_sq FROM prompt_rollup
        WHERE project_id = :p AND lineage_id IN (SELECT lid FROM k) AND score <> ''
        UNION ALL SELECT lineage_id, prompt_version_id, day, score, n, score_sum, score_sq FROM prompt_rollup_delta
        WHERE project_id = :p AND score <> '') r
  JOIN k ON k.lid = r.lineage_id AND k.vid = r.prompt_version_id AND k.day = r.day
  GROUP BY 1, 2, 3),
diff AS (
  SELECT coalesce(raw.vid, held.vid) AS vid, coalesce(raw.day, held.day) AS day, coalesce(raw.score, held.score) AS score,
         coalesce(raw.n, 0) - coalesce(held.n, 0) AS n, coalesce(raw.total, 0) - coalesce(held.total, 0) AS total,
         coalesce(raw.sq, 0) - coalesce(held.sq, 0) AS sq
  FROM raw FULL JOIN held ON raw.vid = held.vid AND raw.day = held.day AND raw.score = held.score)
INSERT INTO prompt_rollup_delta ({", ".join(ROLLUP_DIMENSIONS)}, n, {_NAMES}, score_sum, score_sq)
SELECT :p, pv.lineage_id, d.day, d.vid, d.score, d.n, {_ZERO_MEASURES}, d.total, d.sq
FROM diff d JOIN prompt_version pv ON pv.id = d.vid WHERE d.n <> 0""")
# A version whose generations were all unlinked or deleted leaves rows of zeros behind.
_DROP_EMPTY = text("DELETE FROM prompt_rollup WHERE project_id = :p AND n = 0")


@dataclass(frozen=True)
class Sums:
    """Summed rollup measures of one (version, score) key; ``score`` = '' for the generations."""

    n: int
    duration_n: int
    duration_sum: float
    duration_sq: float
    cost_n: int
    cost_sum: float
    input_n: int
    input_sum: int
    output_n: int
    output_sum: int
    tokens_n: int
    tokens_sum: int
    score_sum: float
    score_sq: float


def _rows(project_id: str, lineage_ids: list[str], since: date | None = None):
    """Folded and pending rollup rows of the versions of ``lineage_ids`` (a subquery); from
    ``since`` on, only the generation rows."""
    parts = []
    for table in (PromptRollup, PromptRollupDelta):
        q = select(*[getattr(table, c) for c in ROLLUP_DIMENSIONS + ROLLUP_MEASURES]).where(
            table.project_id == project_id, table.lineage_id.in_(lineage_ids))
        parts.append(q if since is None else q.where(table.day >= since, table.score == ""))
    return union_all(*parts).subquery("r")


def totals(session: Session, project_id: str, lineage_ids: list[str]) -> dict[tuple[str, str], Sums]:
    """All-time sums per (version id, score name or '' for the generations) of the versions of
    ``lineage_ids``; keys whose count is zero are left out."""
    if not lineage_ids:
        return {}
    r = _rows(project_id, lineage_ids)
    rows = session.execute(select(r.c.prompt_version_id, r.c.score, *[func.sum(r.c[m]) for m in ROLLUP_MEASURES])
                           .group_by(r.c.prompt_version_id, r.c.score)).all()
    out = {}
    for vid, score, *sums in rows:
        if sums[0]:
            out[(vid, score)] = Sums(*[float(v or 0) if m in _FLOATS else int(v or 0)
                                       for m, v in zip(ROLLUP_MEASURES, sums)])
    return out


def daily(session: Session, project_id: str, lineage_ids: list[str], since: date) -> list[tuple[date, str, int]]:
    """(UTC day, version id, generations) from ``since`` on, days without generations left out."""
    if not lineage_ids:
        return []
    r = _rows(project_id, lineage_ids, since)
    rows = session.execute(select(r.c.day, r.c.prompt_version_id, func.sum(r.c.n))
                           .group_by(r.c.day, r.c.prompt_version_id).order_by(r.c.day)).all()
    return [(_as_date(d), vid, int(n)) for d, vid, n in rows if n]


def generations_since(session: Session, project_id: str, lineage_of: dict[str, str], since: datetime) -> dict[str, int]:
    """Generations per lineage created at or after ``since`` (``lineage_of``: version id -> lineage
    id, every version of the lineages asked for), exactly: the whole days after ``since``'s day
    from the rollup, the rest of that day from the steps (the step index by version and time)."""
    if not lineage_of:
        return {}
    first_full = since.date() + timedelta(days=1)
    r = _rows(project_id, sorted(set(lineage_of.values())), first_full)
    out: dict[str, int] = {}
    for lid, n in session.execute(select(r.c.lineage_id, func.sum(r.c.n)).group_by(r.c.lineage_id)).all():
        out[lid] = int(n or 0)
    end = datetime.combine(first_full, datetime.min.time(), tzinfo=since.tzinfo)
    for vid, n in session.execute(select(Step.prompt_version_id, func.count())
                                  .where(Step.prompt_version_id.in_(list(lineage_of)), Step.project_id == project_id,
                                         Step.created_at >= since, Step.created_at < end)
                                  .group_by(Step.prompt_version_id)).all():
        out[lineage_of[vid]] = out.get(lineage_of[vid], 0) + n
    return out


def compact(session: Session, project_id: str) -> None:
    """Fold the project's pending deltas into ``prompt_rollup`` (no change to any figure read but
    a repaired race, see the module docstring)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('prompt_rollup:' || :p))"), {"p": project_id})
        session.execute(_PG_REPAIR_SCORES, {"p": project_id})
    _ROLLUP.fold(session, project_id)
    session.execute(_DROP_EMPTY, {"p": project_id})


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
