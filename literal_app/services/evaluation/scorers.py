"""Scorers (``/scorers``): defined once, used by experiments and online evaluation rules.

Three kinds: ``code`` (a deterministic metric with parameters, see ``code_metrics``),
``llm_judge`` (a prompt template answered in a score schema, see ``judges``) and ``embedding``
(cosine similarity to the expected output with a local model, see ``embeddings``). Admins and AI
Engineers edit them (``observability:write``); everyone who reads logs reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from literal_app.models.evals import OnlineEvalRule, Scorer, ScoreSchema
from literal_app.models.types import utcnow
from literal_app.services.evaluation import code_metrics, judge_config
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned
from literal_app.services.kernel.validation import clean_name

KINDS = {"code": "Code", "llm_judge": "LLM-as-judge", "embedding": "Embedding similarity"}


@dataclass(frozen=True)
class ScorerInput:
    """What the scorer form edits. ``config`` by kind: code ``{"metric", "params"}``; llm_judge
    ``{"messages", "settings", "builtin"}``; embedding ``{"output_key", "expected_key", "threshold"}``."""

    name: str
    kind: str
    config: dict[str, Any] = field(default_factory=dict)
    description: str | None = None
    score_schema_id: str | None = None
    credential_id: str | None = None
    model: str | None = None


@dataclass(frozen=True)
class ScorerRead:
    id: str
    name: str
    kind: str
    kind_label: str
    description: str
    config: dict[str, Any]
    score_schema_id: str | None
    score_schema_name: str | None
    credential_id: str | None
    model: str | None
    rule_count: int
    created_at: datetime
    updated_at: datetime | None


def _read(session: Session, s: Scorer) -> ScorerRead:
    schema_name = session.get(ScoreSchema, s.score_schema_id).name if s.score_schema_id else None
    rules = session.execute(select(func.count()).select_from(OnlineEvalRule)
                            .where(OnlineEvalRule.scorer_id == s.id)).scalar_one()
    return ScorerRead(s.id, s.name, s.kind, KINDS.get(s.kind, s.kind), s.description or "", dict(s.config or {}),
                      s.score_schema_id, schema_name, s.credential_id, s.model, rules, s.created_at, s.updated_at)


def _clean_config(session: Session, actor: Actor, data: ScorerInput) -> dict[str, Any]:
    config = data.config if isinstance(data.config, dict) else {}
    if data.kind == "code":
        metric = str(config.get("metric") or "")
        return {"metric": metric, "params": code_metrics.check_params(metric, config.get("params"))}
    if data.kind == "embedding":
        out: dict[str, Any] = {k: str(config[k]) for k in ("output_key", "expected_key") if config.get(k)}
        if config.get("threshold") not in (None, ""):
            try:
                out["threshold"] = min(max(float(config["threshold"]), 0.0), 1.0)
            except (TypeError, ValueError):
                raise Invalid("The pass threshold must be a number between 0 and 1.") from None
        return out
    return judge_config.check(session, actor, config, data.score_schema_id, data.credential_id, data.model)


def _apply(session: Session, actor: Actor, s: Scorer, data: ScorerInput) -> None:
    if data.kind not in KINDS:
        raise Invalid(f"A scorer is one of: {', '.join(KINDS.values())}.")
    name = clean_name(data.name, "Scorer name", 256)
    other = session.execute(select(Scorer.id).where(Scorer.project_id == actor.project_id,
                                                    Scorer.name == name)).scalar()
    if other and other != s.id:
        raise Invalid(f"A scorer named {name!r} already exists.")
    s.config = _clean_config(session, actor, data)
    s.name, s.kind, s.description = name, data.kind, (data.description or "").strip() or None
    judge = data.kind == "llm_judge"
    s.score_schema_id = data.score_schema_id if judge else None
    s.credential_id = data.credential_id if judge else None
    s.model = (data.model or "").strip() or None if judge else None
    s.updated_at = utcnow()


def list_scorers(session: Session, actor: Actor) -> list[ScorerRead]:
    require(actor, "observability:read")
    rows = session.execute(select(Scorer).where(Scorer.project_id == actor.project_id)
                           .order_by(Scorer.name)).scalars().all()
    return [_read(session, s) for s in rows]


def get_scorer(session: Session, actor: Actor, scorer_id: str) -> ScorerRead:
    require(actor, "observability:read")
    return _read(session, owned(session, Scorer, scorer_id, actor, "Scorer not found."))


def create_scorer(session: Session, actor: Actor, data: ScorerInput) -> ScorerRead:
    require(actor, "observability:write")
    s = Scorer(project_id=actor.project_id, name="")
    _apply(session, actor, s, data)
    session.add(s)
    session.flush()
    return _read(session, s)


def update_scorer(session: Session, actor: Actor, scorer_id: str, data: ScorerInput) -> ScorerRead:
    """Edits apply to later runs; scores already given keep their values."""
    require(actor, "observability:write")
    s = owned(session, Scorer, scorer_id, actor, "Scorer not found.")
    _apply(session, actor, s, data)
    session.add(s)
    session.flush()
    return _read(session, s)


def delete_scorer(session: Session, actor: Actor, scorer_id: str) -> None:
    """Refused while online rules use the scorer (delete or re-point them first); scores stay."""
    require(actor, "observability:write")
    s = owned(session, Scorer, scorer_id, actor, "Scorer not found.")
    rules = session.execute(select(OnlineEvalRule.name).where(OnlineEvalRule.scorer_id == s.id)).scalars().all()
    if rules:
        raise Invalid(f"Online rules use this scorer ({', '.join(sorted(rules)[:5])}): delete them first.")
    session.delete(s)
    session.flush()
