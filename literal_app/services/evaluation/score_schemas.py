"""Score schemas (Settings → Score schemas): what a human or a judge may answer.

Categorical schemas list categories ``{label, value, description}``; continuous ones a numeric
range ``[min, max]``. Anyone who can annotate reads them (the score dialog); configuring them is a
change to how logs are evaluated, so it needs ``observability:write``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from literal_app.models.evals import ScoreSchema
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned
from literal_app.services.kernel.validation import clean_name

TYPES = ("categorical", "continuous")


@dataclass(frozen=True)
class Category:
    label: str
    value: float
    description: str


@dataclass(frozen=True)
class ScoreSchemaRead:
    id: str
    name: str
    description: str
    type: str
    categories: list[Category]
    min_value: float | None
    max_value: float | None
    created_at: datetime


def _read(s: ScoreSchema) -> ScoreSchemaRead:
    cats = [Category(str(c.get("label", "")), float(c.get("value", 0)), str(c.get("description") or ""))
            for c in (s.categories or []) if isinstance(c, dict)]
    return ScoreSchemaRead(s.id, s.name, s.description or "", s.type, cats, s.min_value, s.max_value, s.created_at)


def _clean_categories(raw: Any) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        raise Invalid("A categorical schema needs at least one category.")
    out, labels = [], set()
    for i, c in enumerate(raw, 1):
        c = c if isinstance(c, dict) else {}
        label = clean_name(c.get("label"), f"The label of category {i}", 256)
        if label in labels:
            raise Invalid(f"Two categories are labelled {label!r}.")
        labels.add(label)
        try:
            value = float(c.get("value"))
        except (TypeError, ValueError):
            raise Invalid(f"The value of category {label!r} must be a number.") from None
        out.append({"label": label, "value": value, "description": (c.get("description") or "").strip()})
    return out


def _apply(s: ScoreSchema, *, name: str, type: str, description: str | None, categories: Any,
           min_value: Any, max_value: Any) -> None:
    if type not in TYPES:
        raise Invalid("A score schema is categorical or continuous.")
    s.name, s.type, s.description = clean_name(name, "Schema name", 256), type, (description or "").strip() or None
    if type == "categorical":
        s.categories, s.min_value, s.max_value = _clean_categories(categories), None, None
        return
    try:
        lo, hi = float(min_value), float(max_value)
    except (TypeError, ValueError):
        raise Invalid("A continuous schema needs a numeric minimum and maximum.") from None
    if lo >= hi:
        raise Invalid("The minimum must be below the maximum.")
    s.categories, s.min_value, s.max_value = None, lo, hi


def _unique(session: Session, project_id: str, name: str, own_id: str | None) -> None:
    other = session.execute(select(ScoreSchema.id).where(ScoreSchema.project_id == project_id,
                                                         ScoreSchema.name == name.strip())).scalar()
    if other and other != own_id:
        raise Invalid(f"A score schema named {name.strip()!r} already exists.")


def list_score_schemas(session: Session, actor: Actor) -> list[ScoreSchemaRead]:
    require(actor, "annotations:read")
    rows = session.execute(select(ScoreSchema).where(ScoreSchema.project_id == actor.project_id)
                           .order_by(ScoreSchema.name)).scalars().all()
    return [_read(s) for s in rows]


def get_score_schema(session: Session, actor: Actor, schema_id: str) -> ScoreSchemaRead:
    require(actor, "annotations:read")
    return _read(_get(session, actor, schema_id))


def _get(session: Session, actor: Actor, schema_id: str) -> ScoreSchema:
    s = owned(session, ScoreSchema, schema_id, actor, "Score schema not found.")
    return s


def create_score_schema(session: Session, actor: Actor, *, name: str, type: str, description: str | None = None,
                        categories: Any = None, min_value: Any = None, max_value: Any = None) -> ScoreSchemaRead:
    require(actor, "observability:write")
    s = ScoreSchema(project_id=actor.project_id, name="")
    _apply(s, name=name, type=type, description=description, categories=categories,
           min_value=min_value, max_value=max_value)
    _unique(session, actor.project_id, s.name, None)
    session.add(s)
    session.flush()
    return _read(s)


def update_score_schema(session: Session, actor: Actor, schema_id: str, *, name: str, type: str,
                        description: str | None = None, categories: Any = None, min_value: Any = None,
                        max_value: Any = None) -> ScoreSchemaRead:
    require(actor, "observability:write")
    s = _get(session, actor, schema_id)
    _apply(s, name=name, type=type, description=description, categories=categories,
           min_value=min_value, max_value=max_value)
    _unique(session, actor.project_id, s.name, s.id)
    session.add(s)
    session.flush()
    return _read(s)


def delete_score_schema(session: Session, actor: Actor, schema_id: str) -> None:
    """Scores given with the schema keep their name and value (their link becomes empty)."""
    require(actor, "observability:write")
    session.delete(_get(session, actor, schema_id))
    session.flush()
