"""Model cost rules and pricing: a rule's regex matches model names; prices are USD per million
input/output tokens, optionally valid only within a period (for price changes).

Ingestion prices each new generation with ``rules_for_project`` + ``match_rule`` + ``price``; the
Settings → LLM → Costs page edits rules here, and every edit opens a ``CostRepricing`` that a
background job (``literal_app.jobs.costs``) runs over the generations the old or new pattern
matches (``services/costs/repricing.py``), so stored costs and their aggregates follow the rules.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from literal_app.models.settings import CostRepricing, ModelCost
from literal_app.queue import enqueue_after_commit
from literal_app.services.costs.default_costs import DEFAULT_COSTS
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned


@dataclass(frozen=True)
class CostRule:
    id: str
    pattern: str
    input_per_million: float
    output_per_million: float
    valid_from: datetime | None
    valid_to: datetime | None
    created_at: datetime


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern | None:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        return None


REPRICE_JOB = "literal_app.jobs.costs.reprice"
_RULES = select(ModelCost.id, ModelCost.pattern, ModelCost.input_per_million, ModelCost.output_per_million,
                ModelCost.valid_from, ModelCost.valid_to, ModelCost.created_at).where(
    ModelCost.project_id == bindparam("project_id"))


def rules_for_project(session: Session, project_id: str) -> list[CostRule]:
    """The project's rules as plain values (a column select: ingestion calls this per request)."""
    return [CostRule(*r) for r in session.execute(_RULES, {"project_id": project_id}).all()]


def match_rule(rules: list[CostRule], model: str | None, at: datetime | None) -> CostRule | None:
    """The rule pricing ``model`` at time ``at``.

    Among rules whose pattern fully matches and whose period contains ``at``, a rule with a period
    beats an open-ended one (it is the more specific price), then the most recently created wins.
    """
    if not model:
        return None
    candidates = []
    for r in rules:
        rx = _compiled(r.pattern)
        if rx is None or not rx.fullmatch(model):
            continue
        if at is not None and ((r.valid_from and at < r.valid_from) or (r.valid_to and at >= r.valid_to)):
            continue
        candidates.append(r)
    if not candidates:
        return None
    return max(candidates, key=lambda r: (r.valid_from is not None or r.valid_to is not None, r.created_at))


def price(rule: CostRule | None, input_tokens: int | None, output_tokens: int | None) -> float | None:
    """USD cost of a generation under ``rule``; None when no rule applies."""
    if rule is None:
        return None
    return ((input_tokens or 0) * rule.input_per_million + (output_tokens or 0) * rule.output_per_million) / 1e6


def pricing_time(start_time: datetime | None, created_at: datetime | None) -> datetime | None:
    """The moment a generation is priced at: when it started, else when it was logged."""
    return start_time or created_at


@dataclass(frozen=True)
class CostRuleRead:
    id: str
    pattern: str
    input_per_million: float
    output_per_million: float
    valid_from: datetime | None
    valid_to: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class CostRuleChange:
    """A rule after an edit, and the re-pricing to run (started after commit: ``jobs.costs.reprice``)."""

    rule: CostRuleRead | None
    repricing_id: str


def _read(r: ModelCost) -> CostRuleRead:
    return CostRuleRead(r.id, r.pattern, r.input_per_million, r.output_per_million, r.valid_from,
                        r.valid_to, r.created_at)


def _clean_pattern(pattern: str | None) -> str:
    pattern = (pattern or "").strip()
    if not pattern:
        raise Invalid("A model name pattern is required (a regular expression such as gpt-4o.*).")
    if len(pattern) > 256:
        raise Invalid("The pattern is too long (at most 256 characters).")
    try:
        re.compile(pattern)
    except re.error as e:
        raise Invalid(f"The pattern {pattern!r} is not a valid regular expression: {e}.") from None
    return pattern


def _clean_price(value, what: str) -> float:
    try:
        value = float(value if value not in (None, "") else 0)
    except (TypeError, ValueError):
        raise Invalid(f"The {what} price must be a number of USD per million tokens.") from None
    if not math.isfinite(value) or value < 0:
        raise Invalid(f"The {what} price must be zero or more USD per million tokens.")
    return value


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def _clean_period(valid_from: datetime | None, valid_to: datetime | None):
    valid_from, valid_to = _utc(valid_from), _utc(valid_to)
    if valid_from and valid_to and valid_to <= valid_from:
        raise Invalid("The end of the validity period must come after its start.")
    return valid_from, valid_to


def list_cost_rules(session: Session, actor: Actor) -> list[CostRuleRead]:
    """The project's rules, by pattern then start of validity."""
    require(actor, "secrets:read")
    rows = session.exec(select(ModelCost).where(ModelCost.project_id == actor.project_id)).all()
    far = datetime.min.replace(tzinfo=timezone.utc)
    return sorted((_read(r) for r in rows), key=lambda r: (r.pattern.lower(), r.valid_from or far))


def _open_repricing(session: Session, project_id: str, patterns: list[str]) -> str:
    job = CostRepricing(project_id=project_id, patterns=sorted(set(patterns)))
    session.add(job)
    session.flush()
    enqueue_after_commit(session, REPRICE_JOB, job.id)
    return job.id


def create_cost_rule(session: Session, actor: Actor, *, pattern: str, input_per_million=0.0,
                     output_per_million=0.0, valid_from: datetime | None = None,
                     valid_to: datetime | None = None) -> CostRuleChange:
    """Add a rule; the generations it matches get re-priced in the background."""
    require(actor, "secrets:write")
    valid_from, valid_to = _clean_period(valid_from, valid_to)
    row = ModelCost(project_id=actor.project_id, pattern=_clean_pattern(pattern),
                    input_per_million=_clean_price(input_per_million, "input"),
                    output_per_million=_clean_price(output_per_million, "output"),
                    valid_from=valid_from, valid_to=valid_to)
    session.add(row)
    session.flush()
    return CostRuleChange(_read(row), _open_repricing(session, actor.project_id, [row.pattern]))


def _get(session: Session, actor: Actor, rule_id: str) -> ModelCost:
    row = owned(session, ModelCost, rule_id, actor, "This cost rule does not exist (it may have been deleted).")
    return row


def update_cost_rule(session: Session, actor: Actor, rule_id: str, *, pattern: str, input_per_million=0.0,
                     output_per_million=0.0, valid_from: datetime | None = None,
                     valid_to: datetime | None = None) -> CostRuleChange:
    """Replace a rule's fields; generations matched by the old or the new pattern get re-priced."""
    require(actor, "secrets:write")
    row = _get(session, actor, rule_id)
    old = row.pattern
    row.valid_from, row.valid_to = _clean_period(valid_from, valid_to)
    row.pattern = _clean_pattern(pattern)
    row.input_per_million = _clean_price(input_per_million, "input")
    row.output_per_million = _clean_price(output_per_million, "output")
    session.add(row)
    session.flush()
    return CostRuleChange(_read(row), _open_repricing(session, actor.project_id, [old, row.pattern]))


def delete_cost_rule(session: Session, actor: Actor, rule_id: str) -> CostRuleChange:
    """Remove a rule; what it priced is re-priced by the remaining rules (or left unpriced)."""
    require(actor, "secrets:write")
    row = _get(session, actor, rule_id)
    pattern = row.pattern
    session.delete(row)
    session.flush()
    return CostRuleChange(None, _open_repricing(session, actor.project_id, [pattern]))


def install_default_rules(session: Session, project_id: str) -> int:
    """Give a new project the default price table (no-op when it already has rules)."""
    if session.exec(select(ModelCost.id).where(ModelCost.project_id == project_id).limit(1)).first():
        return 0
    session.add_all(ModelCost(project_id=project_id, pattern=pattern, input_per_million=i,
                              output_per_million=o) for _, pattern, i, o in DEFAULT_COSTS)
    session.flush()
    return len(DEFAULT_COSTS)


def restore_default_rules(session: Session, actor: Actor) -> CostRuleChange:
    """Add back the default rules whose pattern the project no longer has, then re-price them."""
    require(actor, "secrets:write")
    have = set(session.exec(select(ModelCost.pattern).where(ModelCost.project_id == actor.project_id)).all())
    added = [(p, i, o) for _, p, i, o in DEFAULT_COSTS if p not in have]
    session.add_all(ModelCost(project_id=actor.project_id, pattern=p, input_per_million=i,
                              output_per_million=o) for p, i, o in added)
    session.flush()
    return CostRuleChange(None, _open_repricing(session, actor.project_id, [p for p, _, _ in added]))
