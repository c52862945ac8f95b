"""What a rule did: its runs log, score distribution over time, and retrying failed runs; and
the dashboard's online-eval scores over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select, update
from sqlmodel import Session

from literal_app.models.evals import OnlineEvalRule, RuleRun
from literal_app.models.tracing import Step
from literal_app.models.types import utcnow
from literal_app.queue import enqueue_after_commit
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.scoping import owned

EVALUATE_JOB = "literal_app.jobs.online_evals.evaluate_steps"


@dataclass(frozen=True)
class RunRead:
    id: str
    step_id: str
    step_name: str
    step_type: str
    status: str
    value: float | None
    label: str | None
    reason: str
    cost: float | None
    tokens: int | None
    error: str
    attempts: int
    created_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class SeriesPoint:
    bucket: str  # ISO date or hour
    series: str  # rule name (dashboard) or "score"
    average: float
    count: int


def list_runs(session: Session, actor: Actor, rule_id: str, *, status: str | None = None, limit: int = 50,
              offset: int = 0) -> list[RunRead]:
    """Newest runs first, optionally of one status."""
    require(actor, "observability:read")
    rule = owned(session, OnlineEvalRule, rule_id, actor, "Rule not found.")
    q = (select(RuleRun, Step.name, Step.type).join(Step, Step.id == RuleRun.step_id, isouter=True)
         .where(RuleRun.rule_id == rule.id).order_by(RuleRun.created_at.desc(), RuleRun.id).limit(limit).offset(offset))
    if status:
        q = q.where(RuleRun.status == status)
    return [RunRead(r.id, r.step_id, name or "", type or "", r.status, r.value, r.label, r.reason or "", r.cost,
                    r.tokens, r.error or "", r.attempts, r.created_at, r.finished_at)
            for r, name, type in session.execute(q).all()]


def _bucket(at: datetime, hourly: bool) -> str:
    return at.strftime("%Y-%m-%d %H:00") if hourly else at.strftime("%Y-%m-%d")


def score_series(session: Session, actor: Actor, rule_id: str, days: int = 7) -> list[SeriesPoint]:
    """Average score per hour (one day) or per day (longer) of the rule's done runs."""
    require(actor, "observability:read")
    rule = owned(session, OnlineEvalRule, rule_id, actor, "Rule not found.")
    rows = session.execute(select(RuleRun.finished_at, RuleRun.value).where(
        RuleRun.rule_id == rule.id, RuleRun.status == "done", RuleRun.finished_at >= utcnow() - timedelta(days=days))
        .limit(100_000)).all()
    return _average(((_bucket(at, days <= 1), "score", v) for at, v in rows if v is not None))


def _average(items) -> list[SeriesPoint]:
    sums: dict[tuple[str, str], list[float]] = {}
    for bucket, series, value in items:
        acc = sums.setdefault((bucket, series), [0.0, 0])
        acc[0] += value
        acc[1] += 1
    return [SeriesPoint(b, s, round(total / n, 4), n) for (b, s), (total, n) in sorted(sums.items())]


def online_scores_over_time(session: Session, actor: Actor, start: date | None = None,
                            end: date | None = None) -> list[SeriesPoint]:
    """Dashboard card: each rule's average score per day (per hour for a single day) of the runs
    finished in the UTC days ``start``..``end`` (the dashboard's date range; default the last 7)."""
    require(actor, "observability:read")
    end = end or utcnow().date()
    start = start or end - timedelta(days=6)
    since = datetime(start.year, start.month, start.day, tzinfo=timezone.utc)
    until = datetime(end.year, end.month, end.day, tzinfo=timezone.utc) + timedelta(days=1)
    rows = session.execute(select(RuleRun.finished_at, OnlineEvalRule.name, RuleRun.value)
                           .join(OnlineEvalRule, OnlineEvalRule.id == RuleRun.rule_id)
                           .where(RuleRun.project_id == actor.project_id, RuleRun.status == "done",
                                  RuleRun.finished_at >= since, RuleRun.finished_at < until).limit(200_000)).all()
    return _average(((_bucket(at, start == end), name, v) for at, name, v in rows if v is not None))


def retry_failed(session: Session, actor: Actor, rule_id: str) -> int:
    """Queue the rule's failed runs again (fresh attempts); returns how many."""
    require(actor, "observability:write")
    rule = owned(session, OnlineEvalRule, rule_id, actor, "Rule not found.")
    step_ids = list(session.execute(select(RuleRun.step_id).where(RuleRun.rule_id == rule.id,
                                                                  RuleRun.status == "failed")).scalars())
    if not step_ids:
        return 0
    session.execute(update(RuleRun).where(RuleRun.rule_id == rule.id, RuleRun.status == "failed")
                    .values(status="queued", attempts=0, error=None, updated_at=utcnow(), finished_at=None))
    for i in range(0, len(step_ids), 500):
        enqueue_after_commit(session, EVALUATE_JOB, rule.project_id, step_ids[i:i + 500])
    return len(step_ids)
