"""Scores on steps (or experiment items): list with filters, create (from the SDKs, or a human score
from a schema or a free number), update and delete, with the one rule of who may change a score."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from literal_app.models.auth import Member
from literal_app.models.evals import ScoreSchema
from literal_app.models.datasets import ExperimentItem
from literal_app.models.tracing import Score, ScoreType, Step
from literal_app.models.types import utcnow
from literal_app.services.ingestion.validate import score_input
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Forbidden, Invalid
from literal_app.services.kernel.scoping import owned, refuse_foreign
from literal_app.services.kernel.validation import clean_name
from literal_app.services.logs import query_fields
from literal_app.services.logs.querying import Page, PageRequest, list_page
from literal_app.services.logs.tracing_reads import ScoreRead


def list_scores(session: Session, actor: Actor, req: PageRequest) -> Page:
    require(actor, "observability:read")
    page = list_page(session, query_fields.SCORES, select(Score).where(Score.project_id == actor.project_id), req)
    return Page([ScoreRead.of(s) for s in page.rows], page.cursors, page.has_next, page.has_previous,
                page.total_count)


def create_score(session: Session, actor: Actor, *, name: str, type: str, value: float,
                 step_id: str | None = None, generation_id: str | None = None, **extra: Any) -> ScoreRead:
    """A score with a server id; the step need not exist yet (``generationId`` is a step id)."""
    require(actor, "observability:write")
    fields = score_input({"name": name, "type": type, "value": value, **extra}, step_id or generation_id)
    fields.pop("id")
    refuse_foreign(session, Step, fields["step_id"], actor, "Step not found.")
    refuse_foreign(session, ExperimentItem, fields["experiment_item_id"], actor, "Experiment item not found.")
    row = Score(project_id=actor.project_id, created_by_id=actor.member_id, **fields)
    session.add(row)
    session.flush()
    return ScoreRead.of(row)


def get_score(session: Session, actor: Actor, score_id: str) -> ScoreRead | None:
    require(actor, "observability:read")
    row = session.get(Score, score_id)
    return ScoreRead.of(row) if row is not None and row.project_id == actor.project_id else None


def add_human_score(session: Session, actor: Actor, step_id: str, *, schema_id: str | None = None,
                    name: str | None = None, value: Any = None, label: str | None = None,
                    comment: str | None = None, queue_item_id: str | None = None) -> ScoreRead:
    """A HUMAN score by the acting member, validated against its schema when one is given
    (``queue_item_id``: the annotation-queue item it was given in)."""
    require(actor, "annotations:write")
    step = owned(session, Step, step_id, actor, "Step not found.")
    score = Score(project_id=actor.project_id, step_id=step.id, name="", value=0.0, type=ScoreType.HUMAN.value,
                  created_by_id=actor.member_id, queue_item_id=queue_item_id)
    _fill(session, actor, score, schema_id, name, value, label, comment)
    session.add(score)
    session.flush()
    return _read(session, score)


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
    if isinstance(value, bool):
        raise Invalid("A score needs a numeric value.")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise Invalid("A score needs a numeric value.") from None
    if v != v or v in (float("inf"), float("-inf")):
        raise Invalid("A score needs a finite number.")
    return v


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


def _read(session: Session, score: Score) -> ScoreRead:
    member = session.get(Member, score.created_by_id) if score.created_by_id else None
    return ScoreRead.of(score, member.name if member else None)


def _editable(session: Session, actor: Actor, score_id: str) -> Score:
    """The score, if the actor may change or delete it. Through an API key (the SDKs' updateScore and
    deleteScore): any score of the project, with ``observability:write``. As a member (the UI): the
    HUMAN scores they gave, with ``annotations:write``; Admins any HUMAN score."""
    if actor.member_id is None or actor.api_key_id is not None:
        require(actor, "observability:write")
        return owned(session, Score, score_id, actor, "Score not found.")
    require(actor, "annotations:write")
    row = owned(session, Score, score_id, actor, "Score not found.")
    if row.type != ScoreType.HUMAN.value:
        raise Forbidden("Only human scores can be changed here.")
    if row.created_by_id != actor.member_id and actor.role != "ADMIN":
        raise Forbidden("You can change only the scores you gave.")
    return row


def update_score(session: Session, actor: Actor, score_id: str, **changes: Any) -> ScoreRead:
    """Change ``value``, ``label`` and/or ``comment`` (an explicit null comment clears it); absent keys
    stay. A score linked to a schema stays valid for it (value in range, a known category)."""
    row = _editable(session, actor, score_id)
    value = changes.get("value", row.value if changes.get("label") is None else None)
    label = changes.get("label", row.label)
    if row.score_schema_id:
        _fill(session, actor, row, row.score_schema_id, row.name, value, label,
              changes.get("comment", row.comment))
    else:
        if changes.get("value") is not None:
            row.value = _number(changes["value"])
        if "label" in changes:
            row.label = (changes["label"] or "").strip() or None
        if "comment" in changes:
            row.comment = changes["comment"]
        row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return _read(session, row)


def delete_score(session: Session, actor: Actor, score_id: str) -> ScoreRead:
    row = _editable(session, actor, score_id)
    read = ScoreRead.of(row)
    session.delete(row)
    session.flush()
    return read
