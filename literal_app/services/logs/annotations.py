"""Annotating logs from the UI: tags on threads and steps, human scores (from a schema or a free
number), and their edits. Domain Experts may annotate (``annotations:write``) but not change
the logs themselves; deleting logs is in ``log_admin.py`` and needs ``observability:write``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from literal_app.models.evals import ScoreSchema
from literal_app.models.tracing import Score, ScoreType, Step, Thread
from literal_app.models.types import utcnow
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Forbidden, Invalid, NotFound
from literal_app.services.logs.step_detail import ScoreRead, scores_of
from literal_app.services.logs.tags import ensure_tags
from literal_app.services.kernel.validation import clean_name
from literal_app.services.kernel.scoping import owned

KINDS = {"thread": Thread, "step": Step}
MAX_BULK = 1000


def _targets(session: Session, actor: Actor, kind: str, ids: list[str]) -> list[Any]:
    model = KINDS.get(kind)
    if model is None:
        raise Invalid("Tags apply to threads or steps.")
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise Invalid("Select at least one row.")
    if len(ids) > MAX_BULK:
        raise Invalid(f"At most {MAX_BULK} rows at once.")
    rows = session.execute(select(model).where(model.project_id == actor.project_id, model.id.in_(ids))).scalars().all()
    if not rows:
        raise NotFound(f"{kind.capitalize()} not found.")
    return rows


def _clean_tags(tags: list[str]) -> list[str]:
    return list(dict.fromkeys(clean_name(t, "Tag", 100) for t in tags))


def change_tags(session: Session, actor: Actor, kind: str, ids: list[str], *, add: list[str] | None = None,
                remove: list[str] | None = None) -> dict[str, list[str]]:
    """Add and/or remove tags on one or many threads or steps; returns each target's new tags."""
    require(actor, "annotations:write")
    add, remove = _clean_tags(add or []), set(remove or [])
    out: dict[str, list[str]] = {}
    for row in _targets(session, actor, kind, ids):
        current = [t for t in (row.tags or []) if t not in remove]
        row.tags = current + [t for t in add if t not in current] or None
        if kind == "thread":
            row.updated_at = utcnow()
        session.add(row)
        out[row.id] = list(row.tags or [])
    ensure_tags(session, actor.project_id, add)
    session.flush()
    return out


def _schema_value(schema: ScoreSchema, value: Any, label: str | None) -> tuple[float, str | None]:
    if schema.type == "categorical":
        for c in schema.categories or []:
            if label is not None and str(c.get("label")) == label:
                return float(c.get("value", 0)), label
            if label is None and value is not None and float(c.get("value", 0)) == float(value):
                return float(value), str(c.get("label"))
        raise Invalid(f"Pick one of the categories of {schema.name!r}.")
    v = _number(value)
    if schema.min_value is not None and v < schema.min_value or schema.max_value is not None and v > schema.max_value:
        raise Invalid(f"{schema.name!r} takes a value between {schema.min_value:g} and {schema.max_value:g}.")
    return v, None


def _number(value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise Invalid("A score needs a numeric value.") from None
    if v != v or v in (float("inf"), float("-inf")):
        raise Invalid("A score needs a finite number.")
    return v


def add_score(session: Session, actor: Actor, step_id: str, *, schema_id: str | None = None,
              name: str | None = None, value: Any = None, label: str | None = None,
              comment: str | None = None) -> ScoreRead:
    """A HUMAN score by the acting member, validated against its schema when one is given."""
    require(actor, "annotations:write")
    step = owned(session, Step, step_id, actor, "Step not found.")
    score = Score(project_id=actor.project_id, step_id=step.id, name="", value=0.0, type=ScoreType.HUMAN.value,
                  created_by_id=actor.member_id)
    _fill(session, actor, score, schema_id, name, value, label, comment)
    session.add(score)
    session.flush()
    return _one(session, actor, score.id)


def _fill(session: Session, actor: Actor, score: Score, schema_id: str | None, name: str | None, value: Any,
          label: str | None, comment: str | None) -> None:
    if schema_id:
        schema = owned(session, ScoreSchema, schema_id, actor, "Score schema not found.")
        score.name, score.score_schema_id = schema.name, schema.id
        score.value, score.label = _schema_value(schema, value, label or None)
    else:
        score.name, score.score_schema_id = clean_name(name, "Score name", 256), None
        score.value, score.label = _number(value), (label or "").strip() or None
    score.comment = (comment or "").strip() or None
    score.updated_at = utcnow()


def _one(session: Session, actor: Actor, score_id: str) -> ScoreRead:
    s = session.get(Score, score_id)
    found = [r for r in scores_of(session, actor.project_id, [s.step_id]) if r.id == score_id] if s else []
    if not found:
        raise NotFound("Score not found.")
    return found[0]


def _own_score(session: Session, actor: Actor, score_id: str) -> Score:
    s = owned(session, Score, score_id, actor, "Score not found.")
    if s.type != ScoreType.HUMAN.value:
        raise Forbidden("Only human scores can be changed here.")
    if s.created_by_id != actor.member_id and actor.role != "ADMIN":
        raise Forbidden("You can change only the scores you gave.")
    return s


def update_score(session: Session, actor: Actor, score_id: str, *, value: Any = None, label: str | None = None,
                 comment: str | None = None, name: str | None = None) -> ScoreRead:
    """Change the value/label/comment of a human score you gave (Admins: any human score)."""
    require(actor, "annotations:write")
    s = _own_score(session, actor, score_id)
    _fill(session, actor, s, s.score_schema_id, name or s.name, value, label, comment)
    session.add(s)
    session.flush()
    return _one(session, actor, s.id)


def delete_score(session: Session, actor: Actor, score_id: str) -> None:
    require(actor, "annotations:write")
    session.delete(_own_score(session, actor, score_id))
    session.flush()
