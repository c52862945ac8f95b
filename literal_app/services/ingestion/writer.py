"""The bulk ingestion writer: merge items into step rows, upsert them, their threads, scores and
attachments, then refresh aggregates. Idempotent by step id; absent or null fields keep stored
values; ids owned by another project are refused for that item.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from literal_app.config import get_settings
from literal_app.models.datasets import ExperimentItem
from literal_app.models.tracing import Attachment, Score, Step, Tag, Thread
from literal_app.models.types import utcnow
from literal_app.services.costs.model_costs import match_rule, price, rules_for_project
from literal_app.services.ingestion import aggregates, attachment_files, bulk, followups, known_tags
from literal_app.services.ingestion import generation as gen
from literal_app.services.ingestion.validate import StepInput, validate_item
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.limits import MAX_STEPS_PER_REQUEST
from literal_app.storage import check_key

log = logging.getLogger(__name__)
STEP_TABLE = Step.__table__
STEP_COLUMNS = [c.name for c in STEP_TABLE.columns if c.name != "facets"]  # facets: kept by triggers
STEP_UPDATABLE = [c for c in STEP_COLUMNS if c not in ("id", "project_id", "created_at")]
_EXISTING = select(*[STEP_TABLE.c[c] for c in STEP_COLUMNS]).where(STEP_TABLE.c.id.in_(bindparam("ids", expanding=True)))
_FOREIGN = {m: select(m.id).where(m.id.in_(bindparam("ids", expanding=True)), m.project_id != bindparam("project_id"))
            for m in (Thread, Score, Attachment, ExperimentItem)}
_GEN_COLUMNS = {"provider": "provider", "model": "model", "promptId": "prompt_version_id",
                "inputTokenCount": "input_token_count", "outputTokenCount": "output_token_count",
                "tokenCount": "token_count", "ttFirstToken": "tt_first_token",
                "tokenThroughputInSeconds": "token_throughput", "duration": "duration"}


@dataclass(frozen=True)
class IngestResult:
    ok: bool
    message: str | None = None
    error_code: str | None = None


@dataclass
class _Batch:
    project_id: str
    environment: str | None  # from x-env; None keeps a step's stored environment
    now: datetime
    rules: list | None = None


def ingest_steps(session: Session, actor: Actor, items: list[dict], *, alone: bool = False) -> list[IngestResult]:
    """Store a batch of steps; one result per item, in order.

    ``alone``: the caller's transaction holds nothing else, so a failed bulk write may roll all of
    it back before retrying item by item (saving a savepoint round trip on every request).
    """
    require(actor, "observability:write")
    if len(items) > MAX_STEPS_PER_REQUEST:
        msg = f"Too many steps in one request: {len(items)} (at most {MAX_STEPS_PER_REQUEST:,})."
        return [IngestResult(False, msg, "TOO_MANY_STEPS")] * len(items)
    env = actor.environment
    if env is not None and len(env) > 64:
        return [IngestResult(False, "The x-env header is too long (at most 64 characters).", "INVALID")] * len(items)
    bulk.begin_write(session)
    results: list[IngestResult | None] = [None] * len(items)
    valid: list[tuple[int, StepInput]] = []
    for i, raw in enumerate(items):
        try:
            valid.append((i, validate_item(raw)))
        except Invalid as e:
            results[i] = IngestResult(False, e.message, "INVALID")
    batch = _Batch(actor.project_id, env, utcnow())
    existing = _existing_steps(session, [it.id for _, it in valid])
    valid = _check_ownership(session, batch, valid, results, existing)
    try:
        if alone:
            _write(session, batch, [item for _, item in valid], existing)
        else:
            with session.begin_nested():
                _write(session, batch, [item for _, item in valid], existing)
    except SQLAlchemyError:
        log.exception("bulk ingestion failed; retrying item by item")
        if alone:
            session.rollback()
            bulk.begin_write(session)
        for i, item in valid:
            try:
                with session.begin_nested():
                    _write(session, batch, [item], existing)
            except SQLAlchemyError as e:
                results[i] = IngestResult(False, f"Could not store step {item.id!r}: {type(e).__name__}.", "DB")
    if valid:
        followups.after_ingest(session, actor.project_id, [item.id for _, item in valid])
    return [r or IngestResult(True) for r in results]


def _existing_steps(session: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Stored rows (column name -> value) of the step ids in a batch, whatever their project."""
    if not ids:
        return {}
    rows = session.execute(_EXISTING, {"ids": list(set(ids))}).mappings()
    return {r["id"]: dict(r) for r in rows}


def _check_ownership(session: Session, batch: _Batch, valid, results, existing: dict[str, dict]) -> list:
    """Refuse items whose step, thread, score, attachment or experiment item id belongs to another
    project, or whose attachments name a stored file that is not one of the project's."""
    def foreign(model, ids: set[str]) -> set[str]:
        if not ids:
            return set()
        return set(session.execute(_FOREIGN[model], {"ids": list(ids), "project_id": batch.project_id}).scalars())

    taken = {"step": {sid for sid, row in existing.items() if row["project_id"] != batch.project_id},
             "thread": foreign(Thread, {it.fields["thread_id"] for _, it in valid if it.fields.get("thread_id")}),
             "score": foreign(Score, {s["id"] for _, it in valid for s in it.scores if s["id"]}),
             "attachment": foreign(Attachment, {a["id"] for _, it in valid for a in it.attachments if a["id"]}),
             "experiment item": foreign(ExperimentItem, {s["experiment_item_id"] for _, it in valid
                                                         for s in it.scores if s["experiment_item_id"]})}
    kept = []
    for i, it in valid:
        problem = _foreign_reference(batch.project_id, it, taken)
        if problem:
            results[i] = IngestResult(False, problem, "ID_CONFLICT")
        else:
            kept.append((i, it))
    return kept


def _foreign_reference(project_id: str, it: StepInput, taken: dict[str, set[str]]) -> str | None:
    """Why an item may not be stored (it names another project's rows or files), or None."""
    named = [("step", it.id), ("thread", it.fields.get("thread_id")),
             *(("score", s["id"]) for s in it.scores), *(("attachment", a["id"]) for a in it.attachments)]
    clash = next(((kind, i) for kind, i in named if i and i in taken[kind]), None)
    if clash:
        return f"The {clash[0]} id {clash[1]!r} is already used by another project; choose another id."
    item = next((s["experiment_item_id"] for s in it.scores if s["experiment_item_id"] in taken["experiment item"]),
                None)
    if item:
        return f"Experiment item {item!r} not found."
    for a in it.attachments:
        try:
            check_key(project_id, a["object_key"])
        except ValueError as e:
            return str(e)
    return None


def _new_row(batch: _Batch, step_id: str) -> dict[str, Any]:
    row = {c: None for c in STEP_COLUMNS}
    row.update(id=step_id, project_id=batch.project_id, type="undefined", created_at=batch.now,
               environment=batch.environment or get_settings().default_environment)
    return row


def _apply_generation(session: Session, batch: _Batch, row: dict, payload: dict) -> None:
    """Merge a generation payload into the row: stored JSON, token counts, extracted columns, cost."""
    g = gen.with_token_counts({**(row["generation"] or {}), **payload})
    g["type"] = gen.infer_type(g)
    row["generation"] = g
    row["generation_type"] = g["type"]
    for key, col in _GEN_COLUMNS.items():
        value = g.get(key)
        row[col] = str(value)[:200] if col in ("provider", "model") and value is not None else value
    for col in ("input_token_count", "output_token_count", "token_count"):
        row[col] = int(row[col]) if row[col] is not None else None
    if batch.rules is None:
        batch.rules = rules_for_project(session, batch.project_id)
    at = row["start_time"] or row["created_at"]
    row["cost"] = price(match_rule(batch.rules, row["model"], at), row["input_token_count"],
                        row["output_token_count"])


def _fill_duration(row: dict) -> None:
    """Seconds from start to end for every finished step (the dashboard's slowest runs and duration
    sums read this column); a generation keeps the duration it reports."""
    if row["start_time"] and row["end_time"] and (row["generation"] is None or row["duration"] is None):
        row["duration"] = max(0.0, (row["end_time"] - row["start_time"]).total_seconds())


def _merge(session: Session, batch: _Batch, items: list[StepInput],
           existing: dict[str, dict]) -> tuple[dict[str, dict], set[str]]:
    """Final rows of every step in ``items`` and the thread ids whose steps changed."""
    rows: dict[str, dict] = {}
    touched: set[str] = set()
    for it in items:
        row = rows.get(it.id) or (dict(existing[it.id]) if it.id in existing else _new_row(batch, it.id))
        touched.add(row["thread_id"])
        fields = dict(it.fields)
        if "meta" in fields:
            fields["metadata"] = fields.pop("meta")
        row.update(fields)
        if batch.environment:
            row["environment"] = batch.environment
        if it.generation:
            _apply_generation(session, batch, row, it.generation)
        _fill_duration(row)
        touched.add(row["thread_id"])
        rows[it.id] = row
    return rows, {t for t in touched if t}


def _runs_first(row: dict) -> int:
    """Root runs, then other runs, then the rest: a step's facets (``facet_sql``) are computed when
    it is written, so a run written before its children (the SDKs send it after them) spares the
    triggers a second update of each child (about a third of a request's database time)."""
    return 2 if row["type"] != "run" else 1 if row["root_run_id"] else 0


def _write(session: Session, batch: _Batch, items: list[StepInput], existing: dict[str, dict]) -> None:
    if not items:
        return
    rows, touched = _merge(session, batch, items, existing)
    new_threads = [{"id": t, "project_id": batch.project_id, "environment": batch.environment
                    or get_settings().default_environment, "created_at": batch.now, "updated_at": batch.now,
                    "step_count": 0, "token_count": 0, "cost": 0.0} for t in sorted(touched)]
    bulk.upsert(session, Thread.__table__, new_threads)
    bulk.upsert(session, STEP_TABLE, sorted(rows.values(), key=_runs_first), update=STEP_UPDATABLE)
    _write_children(session, batch, items, rows)
    threaded = [sid for sid, r in rows.items() if r["thread_id"]]
    if threaded:
        attachment_files.adopt_step_threads(session, batch.project_id, threaded)
    participants = aggregates.refresh_threads(session, batch.project_id, touched, _previews(rows.values()))
    aggregates.refresh_participants(session, batch.project_id, participants)
    names = {t for r in rows.values() for t in (r["tags"] or []) if t and len(t) <= 100}
    new_names = known_tags.unseen(batch.project_id, names)
    if new_names:
        bulk.insert_ignore(session, Tag.__table__, [
            {"id": str(uuid.uuid4()), "project_id": batch.project_id, "name": n, "created_at": batch.now}
            for n in sorted(new_names)], ["project_id", "name"])
        event.listen(session, "after_commit", lambda _s: known_tags.remember(batch.project_id, new_names), once=True)


def _write_children(session: Session, batch: _Batch, items: list[StepInput], rows: dict[str, dict]) -> None:
    """Upsert the items' scores and attachments by their own ids (added, never replacing the list)."""
    scores, files = {}, {}
    for it in items:
        for s in it.scores:
            sid = s["id"] or str(uuid.uuid4())
            scores[sid] = {**s, "id": sid, "project_id": batch.project_id, "created_at": batch.now,
                           "updated_at": batch.now}
        for a in it.attachments:
            aid = a["id"] or str(uuid.uuid4())
            files[aid] = {"id": aid, "project_id": batch.project_id, "step_id": it.id,
                          "thread_id": rows[it.id]["thread_id"], "name": a["name"], "mime": a["mime"],
                          "object_key": a["object_key"], "url": a["url"], "metadata": a["meta"],
                          "created_at": batch.now, "size": None}
    score_cols = ["step_id", "name", "type", "value", "label", "comment", "scorer", "tags",
                  "experiment_item_id", "updated_at"]
    bulk.upsert(session, Score.__table__, _uniform(list(scores.values())), update=score_cols, keep_nulls=True)
    rekeyed = {a["id"]: a["object_key"] for it in items for a in it.attachments if a["id"] and a["object_key"]}
    if rekeyed:  # an attachment sent again under its id with another file: the old file may go
        attachment_files.release_replaced_objects(session, batch.project_id, rekeyed)
    file_cols = ["step_id", "thread_id", "name", "mime", "object_key", "url", "metadata"]
    bulk.upsert(session, Attachment.__table__, list(files.values()), update=file_cols, keep_nulls=True)


def _uniform(rows: list[dict]) -> list[dict]:
    keys = ["id", "project_id", "step_id", "experiment_item_id", "name", "type", "value", "label", "comment",
            "scorer", "tags", "created_at", "updated_at"]
    return [{k: r.get(k) for k in keys} for r in rows]


def _previews(rows) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for r in rows:
        tid = r["thread_id"]
        if not tid:
            continue
        at = r["start_time"] or r["created_at"]
        first = r["output"] if r["type"] == "user_message" else r["input"]
        c = out.setdefault(tid, {"first": None, "last": None})
        if first is not None and (c["first"] is None or at < c["first"][0]):
            c["first"] = (at, aggregates.preview(first))
        end = r["end_time"] or at
        if r["output"] is not None and r["type"] != "user_message" and (c["last"] is None or end >= c["last"][0]):
            c["last"] = (end, aggregates.preview(r["output"]))
    return {k: v for k, v in out.items() if v["first"] or v["last"]}
