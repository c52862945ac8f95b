"""Online evaluation rules (``/online-evals``): score production logs in the background.

A rule targets runs or generations (optionally by step name) in an environment, keeps a sample
(0–100 %) of the complete steps that also match its Logs filters (the filter bar's fields, kept
as its URL parameters), and scores them with a scorer. Ingestion queues the runs
(``ingestion.eval_queue``); ``rule_runs`` executes them. Everyone reads rules; Admins and AI
Engineers edit them (``observability:write``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from literal_app.models.evals import OnlineEvalRule, RuleRun, Scorer
from literal_app.models.types import utcnow
from literal_app.services.ingestion import eval_queue
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned
from literal_app.services.kernel.validation import clean_name
from literal_app.services.logs.log_filters import LogFilters, engine_filters

LOG_TYPES = {"run": "Runs", "generation": "Generations"}
_NOT_FOR_RULES = ("period", "since", "until", "sort", "direction", "environment")
STATUSES = ("queued", "running", "done", "failed", "skipped")


@dataclass(frozen=True)
class RuleInput:
    name: str
    scorer_id: str
    log_type: str = "run"
    sample_percent: float = 100.0
    filters: dict[str, str] = field(default_factory=dict)  # LogFilters URL parameters
    environment: str | None = None
    step_name: str | None = None
    active: bool = True


@dataclass(frozen=True)
class RuleRead:
    id: str
    name: str
    scorer_id: str
    scorer_name: str
    scorer_kind: str
    log_type: str
    step_name: str
    sample_percent: float
    filters: dict[str, str]
    environment: str
    active: bool
    paused_reason: str
    counts: dict[str, int]
    total_cost: float
    created_at: datetime


def clean_filters(raw: Any) -> dict[str, str]:
    """The Logs filter parameters a rule keeps (no time window, sort or environment), checked."""
    params = {k: str(v) for k, v in (raw or {}).items() if v not in (None, "")} if isinstance(raw, dict) else {}
    filters = LogFilters.from_params(params)
    filters = filters.with_(**{k: "" for k in _NOT_FOR_RULES})
    engine_filters(filters, "steps")  # raises Invalid naming a bad number
    return filters.to_params()


def _stats(session: Session, rule_ids: list[str]) -> tuple[dict, dict]:
    counts: dict[str, dict[str, int]] = {r: {s: 0 for s in STATUSES} for r in rule_ids}
    costs: dict[str, float] = {r: 0.0 for r in rule_ids}
    if rule_ids:
        rows = session.execute(select(RuleRun.rule_id, RuleRun.status, func.count(), func.sum(RuleRun.cost))
                               .where(RuleRun.rule_id.in_(rule_ids)).group_by(RuleRun.rule_id, RuleRun.status))
        for rule_id, status, n, cost in rows:
            counts[rule_id][status] = n
            costs[rule_id] += float(cost or 0)
    return counts, costs


def _reads(session: Session, rules: list[OnlineEvalRule]) -> list[RuleRead]:
    counts, costs = _stats(session, [r.id for r in rules])
    scorers = {s.id: s for s in session.execute(select(Scorer).where(
        Scorer.id.in_({r.scorer_id for r in rules}))).scalars()} if rules else {}
    out = []
    for r in rules:
        s = scorers.get(r.scorer_id)
        out.append(RuleRead(r.id, r.name, r.scorer_id, s.name if s else "", s.kind if s else "", r.log_type,
                            r.step_name or "", round(r.sample_rate * 100, 2), dict(r.filters or {}),
                            r.environment or "", r.active, r.paused_reason or "", counts[r.id], costs[r.id],
                            r.created_at))
    return out


def _apply(session: Session, actor: Actor, rule: OnlineEvalRule, data: RuleInput) -> None:
    """Check everything first, then change the row (a refused edit leaves it as it was)."""
    name = clean_name(data.name, "Rule name", 256)
    if data.log_type not in LOG_TYPES:
        raise Invalid("A rule scores runs or generations.")
    try:
        percent = float(data.sample_percent)
    except (TypeError, ValueError):
        raise Invalid("The sample rate must be a number between 0 and 100.") from None
    if not 0 <= percent <= 100:
        raise Invalid("The sample rate must be between 0 and 100 %.")
    owned(session, Scorer, data.scorer_id, actor, "Choose a scorer of this project.")
    filters = clean_filters(data.filters)
    rule.name, rule.scorer_id, rule.log_type, rule.sample_rate = name, data.scorer_id, data.log_type, percent / 100
    rule.filters = filters
    rule.environment = (data.environment or "").strip()[:64] or None
    rule.step_name = (data.step_name or "").strip()[:256] or None
    if data.active and not rule.active:
        rule.paused_reason = None
    rule.active = bool(data.active)
    rule.updated_at = utcnow()
    eval_queue.forget(actor.project_id)


def list_rules(session: Session, actor: Actor) -> list[RuleRead]:
    require(actor, "observability:read")
    rules = session.execute(select(OnlineEvalRule).where(OnlineEvalRule.project_id == actor.project_id)
                            .order_by(OnlineEvalRule.name)).scalars().all()
    return _reads(session, list(rules))


def get_rule(session: Session, actor: Actor, rule_id: str) -> RuleRead:
    require(actor, "observability:read")
    return _reads(session, [owned(session, OnlineEvalRule, rule_id, actor, "Rule not found.")])[0]


def create_rule(session: Session, actor: Actor, data: RuleInput) -> RuleRead:
    require(actor, "observability:write")
    rule = OnlineEvalRule(project_id=actor.project_id, name="", scorer_id="", active=False)
    _apply(session, actor, rule, data)
    session.add(rule)
    session.flush()
    return _reads(session, [rule])[0]


def update_rule(session: Session, actor: Actor, rule_id: str, data: RuleInput) -> RuleRead:
    """Changes apply to steps ingested from now on; runs already made stay."""
    require(actor, "observability:write")
    rule = owned(session, OnlineEvalRule, rule_id, actor, "Rule not found.")
    _apply(session, actor, rule, data)
    session.flush()
    return _reads(session, [rule])[0]


def set_active(session: Session, actor: Actor, rule_id: str, active: bool) -> RuleRead:
    """Pause or resume; resuming clears the reason a rule paused itself."""
    require(actor, "observability:write")
    rule = owned(session, OnlineEvalRule, rule_id, actor, "Rule not found.")
    rule.active, rule.updated_at = active, utcnow()
    if active:
        rule.paused_reason = None
    eval_queue.forget(actor.project_id)
    session.flush()
    return _reads(session, [rule])[0]


def delete_rule(session: Session, actor: Actor, rule_id: str) -> None:
    """The rule and its runs go; the scores it gave stay on their steps."""
    require(actor, "observability:write")
    rule = owned(session, OnlineEvalRule, rule_id, actor, "Rule not found.")
    session.execute(RuleRun.__table__.delete().where(RuleRun.rule_id == rule.id))
    session.delete(rule)
    eval_queue.forget(actor.project_id)
    session.flush()
