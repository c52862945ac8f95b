"""Reading and compacting the per-version daily prompt rollup (``models/prompts.py``: PromptRollup).

Database triggers (migration 0020) append the signed contribution of every step and score write
to ``prompt_rollup_delta``; readers sum the folded rows and the pending deltas of the versions they
show (by lineage: one prompt's page, or a page of prompts), so every figure is exact at any moment and costs a few hundred rows instead of a scan of the
version's generations. ``compact`` folds the deltas into ``prompt_rollup`` (scheduled with the
dashboard's compaction after ingestion, ``jobs/rollups.py``); figures read do not change.

Known limit (PostgreSQL, READ COMMITTED): a score committed at the same moment as its step by
another transaction, the score first, is missed (neither trigger sees the other's row), as is a
score written while another transaction moves its step to another version. The SDKs send a step
before its scores, and steps change version only when a prompt is deleted.
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
    """Fold the project's pending deltas into ``prompt_rollup`` (no change to any figure read)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('prompt_rollup:' || :p))"), {"p": project_id})
    _ROLLUP.fold(session, project_id)
    session.execute(_DROP_EMPTY, {"p": project_id})


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
