"""Validation of one ``ingestStep`` item into a ``StepInput``: ids, enums, sizes, NUL characters.

A failure raises ``Invalid`` with a message naming the field; the writer answers that item
``ok: false`` and stores the others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from literal_app.models.tracing import ID_MAX, ScoreType, StepType
from literal_app.services.ingestion import generation as gen
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.limits import check_id, check_json, clean_text

STEP_TYPES = {t.value for t in StepType}
SCORE_TYPES = {t.value for t in ScoreType}
TEXT_MAX = 1024 * 1024
SCALARS = ("thread_id", "parent_id", "root_run_id", "type", "name", "start_time", "end_time", "error",
           "input", "output", "metadata", "tags")


@dataclass
class StepInput:
    id: str
    fields: dict[str, Any]  # step columns given (non-null) in this item
    generation: dict | None = None
    scores: list[dict] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)


def parse_time(value: Any, what: str) -> datetime | None:
    """An aware UTC datetime from a datetime or an ISO-8601 string."""
    if value is None:
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value).replace("z", "Z"))
        except ValueError:
            raise Invalid(f"{what} is not an ISO-8601 date-time: {str(value)[:40]!r}.") from None
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def text(value: Any, what: str, limit: int = TEXT_MAX) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        value = json.dumps(value)
    if len(value) > limit:
        raise Invalid(f"{what} is too long ({len(value)} characters, at most {limit}).")
    return clean_text(value, what)


def tags(value: Any, what: str = "tags") -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise Invalid(f"{what} must be a list of strings.")
    return [clean_text(t, what)[:ID_MAX] for t in value]


def step_fields(raw: dict) -> dict[str, Any]:
    """The step columns present and non-null in ``raw``, validated."""
    out: dict[str, Any] = {}
    for key in SCALARS:
        value = raw.get(key)
        if value is None:
            continue
        if key in ("thread_id", "parent_id", "root_run_id"):
            out[key] = check_id(value, {"thread_id": "threadId", "parent_id": "parentId"}.get(key, "rootRunId"))
        elif key == "type":
            if value not in STEP_TYPES:
                raise Invalid(f"Unknown step type {value!r} (use one of {', '.join(sorted(STEP_TYPES))}).")
            out[key] = value
        elif key in ("start_time", "end_time"):
            out[key] = parse_time(value, key)
        elif key in ("name", "error"):
            out[key] = text(value, key)
        elif key == "metadata":
            if not isinstance(value, dict):
                raise Invalid("metadata must be a JSON object.")
            out["meta"] = check_json(value, "metadata")
        elif key == "tags":
            out[key] = tags(value)
        else:
            out[key] = check_json(value, key)
    if out.get("start_time") and out.get("end_time") and out["end_time"] < out["start_time"]:
        raise Invalid("endTime is before startTime: a step cannot have a negative duration.")
    return out


def score_input(raw: dict, step_id: str) -> dict:
    if not isinstance(raw, dict):
        raise Invalid("Each score must be an object.")
    name = text(raw.get("name"), "score name", ID_MAX)
    if not name:
        raise Invalid("A score needs a name.")
    if raw.get("type") not in SCORE_TYPES:
        raise Invalid(f"Unknown score type {raw.get('type')!r} (use HUMAN, AI or CODE).")
    value = raw.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) == float("inf"):
        raise Invalid(f"Score {name!r} needs a finite numeric value.")
    return {"id": check_id(raw.get("id"), "score id", required=False), "name": name, "type": raw["type"],
            "value": float(value), "label": text(raw.get("label"), "score label", ID_MAX),
            "comment": text(raw.get("comment"), "score comment"),
            "scorer": text(raw.get("scorer"), "scorer", ID_MAX), "tags": tags(raw.get("tags"), "score tags"),
            "experiment_item_id": check_id(raw.get("dataset_experiment_item_id"), "datasetExperimentItemId",
                                           required=False),
            "step_id": step_id}


def attachment_input(raw: dict) -> dict:
    if not isinstance(raw, dict):
        raise Invalid("Each attachment must be an object.")
    meta = raw.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        raise Invalid("Attachment metadata must be a JSON object.")
    return {"id": check_id(raw.get("id"), "attachment id", required=False),
            "name": text(raw.get("name"), "attachment name", 4096), "mime": text(raw.get("mime"), "mime", 200),
            "object_key": text(raw.get("object_key"), "objectKey", 4096), "url": text(raw.get("url"), "url", 8192),
            "meta": check_json(meta, "metadata")}


def validate_item(raw: dict) -> StepInput:
    """Check one ingestStep item; raise ``Invalid`` naming the first problem."""
    if not isinstance(raw, dict):
        raise Invalid("A step must be an object.")
    step_id = check_id(raw.get("id"), "Step id")
    item = StepInput(step_id, step_fields(raw), gen.normalize(raw.get("generation")))
    for s in raw.get("scores") or []:
        item.scores.append(score_input(s, step_id))
    for a in raw.get("attachments") or []:
        item.attachments.append(attachment_input(a))
    return item
