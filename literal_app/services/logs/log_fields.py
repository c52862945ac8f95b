"""The Logs pages' extensions of the list engine's entity tables (``query_fields.py``): full-text
search, error presence, thread cost/model/prompt filters and the numeric sort orders.

Full-text search uses GIN indexes over ``to_tsvector('simple', …)`` on PostgreSQL (migration
0004; the expressions here must stay identical to the indexed ones) and a substring match on
SQLite.
"""

from __future__ import annotations

import json
import operator
from dataclasses import replace

from sqlalchemy import (
    String,
    Text,
    and_,
    any_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from literal_app.models.tracing import Participant, Score, Step, Thread
from literal_app.services.logs import query_fields as qf
from literal_app.services.logs.querying import EntitySpec, FieldSpec, Filter, build_clause, compare, like_pattern

_MINUS_ONE = literal_column("-1")  # inlined so the planner matches the sort indexes (migration 0005)
_RANGE_OPS = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


def ts_document(*columns) -> ColumnElement:
    """``to_tsvector('simple', coalesce(a, '') || ' ' || coalesce(b, '') ...)`` with inlined constants."""
    doc = None
    for col in columns:
        part = func.coalesce(col, literal_column("''"))
        doc = part if doc is None else doc.op("||")(literal_column("' '")).op("||")(part)
    return func.to_tsvector(literal_column("'simple'::regconfig"), doc)


STEP_SEARCH_DOC = (cast(Step.input, Text), cast(Step.output, Text))
THREAD_SEARCH_DOC = (Thread.name, Thread.first_input, Thread.last_output)


def _search(columns) -> callable:
    def build(f: Filter, dialect: str) -> ColumnElement:
        q = str(f.value or "").strip()
        if dialect == "postgresql":
            return ts_document(*columns).op("@@")(func.websearch_to_tsquery(literal_column("'simple'::regconfig"), q))
        pattern = like_pattern(q)
        return or_(*[func.lower(cast(c, Text)).like(pattern) for c in columns])
    return build


def _thread_step(condition) -> callable:
    def build(f: Filter, dialect: str) -> ColumnElement:
        return exists(select(literal(1)).where(Step.project_id == Thread.project_id, Step.thread_id == Thread.id,
                                               condition(f, dialect)))
    return build


def _thread_error(f: Filter, dialect: str) -> ColumnElement:
    """``error is/nis null`` on a thread: none / some of its steps failed."""
    failed = _thread_step(lambda _f, _d: Step.error.is_not(None))(f, dialect)
    return ~failed if f.operator == "is" else failed


def _step_has_score(f: Filter, dialect: str) -> ColumnElement:
    cond = [Score.step_id == Step.id, Score.project_id == Step.project_id]
    if f.path:
        cond.append(Score.name == f.path)
    if not (f.operator in ("is", "nis") and f.value is None):
        cond.append(compare(Score.value, "number", f, dialect))
    return exists(select(literal(1)).where(*cond))


def _thread_has_score(f: Filter, dialect: str) -> ColumnElement:
    cond = [Step.thread_id == Thread.id, Score.project_id == Step.project_id]
    if f.path:
        cond.append(Score.name == f.path)
    if not (f.operator in ("is", "nis") and f.value is None):
        cond.append(compare(Score.value, "number", f, dialect))
    return exists(select(literal(1)).select_from(Score).join(Step, Score.step_id == Step.id).where(*cond))


def _score_step(condition) -> callable:
    def build(f: Filter, dialect: str) -> ColumnElement:
        return Score.step_id.in_(select(Step.id).where(condition(f, dialect)))
    return build


def _metadata(column) -> callable:
    """``metadata.key = value``: JSON containment on PostgreSQL (served by a GIN index), the
    engine's JSON path comparison elsewhere and for other operators."""
    def build(f: Filter, dialect: str) -> ColumnElement:
        if dialect != "postgresql" or f.operator != "eq" or not f.path or not isinstance(f.value, str):
            return qf_json(column, f, dialect)
        key, candidates = f.path, [f.value]
        try:
            candidates.append(json.loads(f.value))  # 5, true, null typed as text in the filter bar
        except ValueError:
            pass
        return or_(*[type_coerce(column, JSONB).contains({key: c}) for c in candidates])
    return build


def qf_json(column, f: Filter, dialect: str) -> ColumnElement:
    return build_clause(EntitySpec("metadata", None, None, {"metadata": FieldSpec("json", column)}, {}), f, dialect)


def _run_child(column) -> callable:
    """Runs by a property of their descendants (the model or provider of a generation under them)."""
    child = aliased(Step)

    def build(f: Filter, dialect: str) -> ColumnElement:
        return exists(select(literal(1)).where(child.root_run_id == Step.id,
                                               compare(getattr(child, column), "string", f, dialect)))
    return build


def _col(column, kind: str = "string") -> callable:
    return lambda f, d: compare(column, kind, f, d)


def _indexed_number(column) -> callable:
    """Ranges on a nullable step number as ``coalesce(col, -1) <op> v``: the same rows (a null guard
    is added when -1 itself would match), written as the sort indexes' expression (migration 0005)
    so PostgreSQL reads the matching range of such an index, with that expression's statistics,
    instead of scanning every row of the project in time order (``cost >= 0.02``: 425 ms -> ~1 ms)."""
    def build(f: Filter, dialect: str) -> ColumnElement:
        if f.operator not in _RANGE_OPS or not isinstance(f.value, (int, float, str)):
            return compare(column, "number", f, dialect)
        clause = compare(func.coalesce(column, _MINUS_ONE), "number", f, dialect)
        bound = float(f.value) if not isinstance(f.value, str) else _float_or_none(f.value)
        if bound is None or _RANGE_OPS[f.operator](-1.0, bound):
            clause = and_(clause, column.is_not(None))
        return clause
    return build


def _id(column) -> callable:
    """``id in [...]`` as one array parameter on PostgreSQL (``id = ANY(%s)``): the id lists that
    ``log_plans.narrow`` makes can hold thousands of ids, too many to expand into bind parameters."""
    def build(f: Filter, dialect: str) -> ColumnElement:
        if dialect == "postgresql" and f.operator == "in" and isinstance(f.value, list):
            return column == any_(bindparam(None, [str(v) for v in f.value], type_=ARRAY(String)))
        return compare(column, "string", f, dialect)
    return build


def _float_or_none(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _extend(spec: EntitySpec, fields: dict, orders: dict) -> EntitySpec:
    return replace(spec, fields={**spec.fields, **fields}, orders={**spec.orders, **orders})


_STEP_EXTRA = {
    "id": FieldSpec("string", build=_id(Step.id)),
    "search": FieldSpec("string", build=_search(STEP_SEARCH_DOC)),
    "promptVersionId": FieldSpec("string", Step.prompt_version_id),
    "score": FieldSpec("number", build=_step_has_score),
    "participant": FieldSpec("string", build=qf._step_participant),
    "metadata": FieldSpec("json", build=_metadata(Step.meta)),
    "tags": FieldSpec("list", Step.tags),
    "duration": FieldSpec("number", build=_indexed_number(Step.duration)),
    "tokenCount": FieldSpec("number", build=_indexed_number(Step.token_count)),
    "cost": FieldSpec("number", build=_indexed_number(Step.cost)),
}
_STEP_ORDERS = {"duration": func.coalesce(Step.duration, _MINUS_ONE),
                "tokenCount": func.coalesce(Step.token_count, _MINUS_ONE),
                "cost": func.coalesce(Step.cost, _MINUS_ONE)}

STEPS = _extend(qf.STEPS, _STEP_EXTRA, _STEP_ORDERS)
RUNS = _extend(STEPS, {"model": FieldSpec("string", build=_run_child("model")),
                       "provider": FieldSpec("string", build=_run_child("provider"))}, {})
GENERATIONS = _extend(qf.GENERATIONS, _STEP_EXTRA, {
    **_STEP_ORDERS, "ttft": func.coalesce(Step.tt_first_token, _MINUS_ONE),
    "throughput": func.coalesce(Step.token_throughput, _MINUS_ONE)})

THREADS = _extend(qf.THREADS, {
    "id": FieldSpec("string", build=_id(Thread.id)),
    "search": FieldSpec("string", build=_search(THREAD_SEARCH_DOC)),
    "cost": FieldSpec("number", Thread.cost),
    "stepCount": FieldSpec("number", Thread.step_count),
    "participant": FieldSpec("string", build=qf._thread_participant_identifier),
    "error": FieldSpec("string", build=_thread_error),
    "model": FieldSpec("string", build=_thread_step(_col(Step.model))),
    "provider": FieldSpec("string", build=_thread_step(_col(Step.provider))),
    "promptVersionId": FieldSpec("string", build=_thread_step(_col(Step.prompt_version_id))),
    "score": FieldSpec("number", build=_thread_has_score),
    "metadata": FieldSpec("json", build=_metadata(Thread.meta)),
}, {"cost": Thread.cost, "stepCount": Thread.step_count})

SCORES = _extend(qf.SCORES, {
    "search": FieldSpec("string", build=lambda f, d: compare(Score.comment, "string", Filter(
        f.field, "ilike", f.value), d)),
    "environment": FieldSpec("string", build=_score_step(_col(Step.environment))),
    "model": FieldSpec("string", build=_score_step(_col(Step.model))),
}, {})

PARTICIPANTS = _extend(qf.PARTICIPANTS, {
    "lastEngagedAt": FieldSpec("datetime", Participant.last_engaged_at),
}, {"cost": Participant.cost})

SPECS = {"threads": THREADS, "runs": RUNS, "generations": GENERATIONS, "steps": STEPS, "scores": SCORES,
         "users": PARTICIPANTS}
