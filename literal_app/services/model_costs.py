"""Model cost rules and pricing: a rule's regex matches model names; prices are USD per million
input/output tokens, optionally valid only within a period (for price changes)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlmodel import Session, select

from literal_app.models.settings import ModelCost


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


def rules_for_project(session: Session, project_id: str) -> list[CostRule]:
    rows = session.exec(select(ModelCost).where(ModelCost.project_id == project_id)).all()
    return [CostRule(r.id, r.pattern, r.input_per_million, r.output_per_million, r.valid_from, r.valid_to,
                     r.created_at) for r in rows]


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
