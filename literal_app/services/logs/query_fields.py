"""The filter and order tables of every log list (threads, steps, generations, scores,
participants), read by the engine in ``querying.py``.

Each table maps a filter ``field`` name the clients send (PROTOCOL.md 2.2) to a ``FieldSpec``.
Fields that test related rows (a thread's steps or scores, a step's participant) are ``build``
functions returning an EXISTS/IN clause. The Logs page adds its own fields here the same way.
"""

from __future__ import annotations

from sqlalchemy import exists, func, literal, or_, select
from sqlalchemy.sql import ColumnElement

from literal_app.models.prompts import PromptLineage, PromptVersion
from literal_app.models.tracing import Participant, Score, Step, Thread
from literal_app.services.kernel.errors import Invalid
from literal_app.services.logs.querying import EntitySpec, FieldSpec, Filter, compare, json_text


def duration_seconds(start, end, dialect: str):
    """``end - start`` in seconds, portable."""
    if dialect == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0



# ---------------------------------------------------------------- threads
def _thread_step(condition):
    """A ``build`` function: some step of the thread satisfies ``condition(filter, dialect)``."""
    def build(f: Filter, dialect: str) -> ColumnElement:
        return exists(select(literal(1)).where(Step.thread_id == Thread.id, condition(f, dialect)))
    return build


def _thread_score(f: Filter, dialect: str) -> ColumnElement:
    """Some step of the thread has a score named ``path`` comparing to ``value``."""
    cond = [Step.thread_id == Thread.id, Score.project_id == Step.project_id, compare(Score.value, "number", f, dialect)]
    if f.path:
        cond.append(Score.name == f.path)
    return exists(select(literal(1)).select_from(Score).join(Step, Score.step_id == Step.id).where(*cond))


def _identifier_clause(f: Filter, dialect: str) -> ColumnElement:
    """Participant identifiers matching the filter (a list value or eq/neq mean in/nin)."""
    op = {"eq": "in", "neq": "nin"}.get(f.operator, f.operator) if isinstance(f.value, list) else f.operator
    return compare(Participant.identifier, "string", Filter(f.field, op, f.value), dialect)


def _thread_participant_identifier(f: Filter, dialect: str) -> ColumnElement:
    return Thread.participant_id.in_(select(Participant.id).where(_identifier_clause(f, dialect)))


def _thread_duration(f: Filter, dialect: str) -> ColumnElement:
    return compare(duration_seconds(Thread.start_time, Thread.end_time, dialect), "number", f, dialect)


THREADS = EntitySpec(
    name="threads", model=Thread, id_col=Thread.id,
    fields={
        "id": FieldSpec("string", Thread.id),
        "createdAt": FieldSpec("datetime", Thread.created_at),
        "name": FieldSpec("string", Thread.name),
        "metadata": FieldSpec("json", Thread.meta),
        "tokenCount": FieldSpec("number", Thread.token_count),
        "tags": FieldSpec("list", Thread.tags),
        "environment": FieldSpec("string", Thread.environment),
        "participantId": FieldSpec("string", Thread.participant_id),
        "participantIdentifiers": FieldSpec("string", build=_thread_participant_identifier),
        "participantIdentifier": FieldSpec("string", build=_thread_participant_identifier),
        "duration": FieldSpec("number", build=_thread_duration),
        "stepType": FieldSpec("string", build=_thread_step(lambda f, d: compare(Step.type, "string", f, d))),
        "stepName": FieldSpec("string", build=_thread_step(lambda f, d: compare(Step.name, "string", f, d))),
        "stepOutput": FieldSpec("json", build=_thread_step(
            lambda f, d: compare(json_text(Step.output, f.path), "string", f, d))),
        "scoreValue": FieldSpec("number", build=_thread_score),
    },
    orders={"createdAt": Thread.created_at, "tokenCount": Thread.token_count,
            "participant": func.coalesce(Thread.participant_id, "")},
)


# ---------------------------------------------------------------- steps and generations
def _step_participant(f: Filter, dialect: str) -> ColumnElement:
    sub = (select(Thread.id).join(Participant, Participant.id == Thread.participant_id)
           .where(_identifier_clause(f, dialect)))
    return Step.thread_id.in_(sub)


def _step_score(f: Filter, dialect: str) -> ColumnElement:
    cond = [Score.step_id == Step.id, Score.project_id == Step.project_id, compare(Score.value, "number", f, dialect)]
    if f.path:
        cond.append(Score.name == f.path)
    return exists(select(literal(1)).where(*cond))


def _generation_tags(f: Filter, dialect: str) -> ColumnElement:
    """Generation tags or the step's tags (TS filters generations by instrumentation tags)."""
    return or_(compare(Step.tags, "list", f, dialect), compare(Step.generation["tags"], "list", f, dialect))


def _prompt_lineage(f: Filter, dialect: str) -> ColumnElement:
    sub = (select(PromptVersion.id).join(PromptLineage, PromptLineage.id == PromptVersion.lineage_id)
           .where(compare(PromptLineage.name, "string", f, dialect)))
    return Step.prompt_version_id.in_(sub)


def _prompt_version(f: Filter, dialect: str) -> ColumnElement:
    return Step.prompt_version_id.in_(select(PromptVersion.id).where(
        compare(PromptVersion.version, "number", f, dialect)))


_STEP_FIELDS = {
    "id": FieldSpec("string", Step.id),
    "createdAt": FieldSpec("datetime", Step.created_at),
    "name": FieldSpec("string", Step.name),
    "type": FieldSpec("string", Step.type),
    "input": FieldSpec("json", Step.input),
    "output": FieldSpec("json", Step.output),
    "metadata": FieldSpec("json", Step.meta),
    "startTime": FieldSpec("datetime", Step.start_time),
    "endTime": FieldSpec("datetime", Step.end_time),
    "parentId": FieldSpec("string", Step.parent_id),
    "threadId": FieldSpec("string", Step.thread_id),
    "rootRunId": FieldSpec("string", Step.root_run_id),
    "error": FieldSpec("string", Step.error),
    "tags": FieldSpec("list", Step.tags),
    "environment": FieldSpec("string", Step.environment),
    "participantIdentifier": FieldSpec("string", build=_step_participant),
    "participantIdentifiers": FieldSpec("string", build=_step_participant),
    "participant": FieldSpec("string", build=_step_participant),
    "scoreValue": FieldSpec("number", build=_step_score),
    "score": FieldSpec("number", build=_step_score),
    "model": FieldSpec("string", Step.model),
    "provider": FieldSpec("string", Step.provider),
    "duration": FieldSpec("number", Step.duration),
    "tokenCount": FieldSpec("number", Step.token_count),
    "cost": FieldSpec("number", Step.cost),
}

STEPS = EntitySpec(
    name="steps", model=Step, id_col=Step.id, fields=_STEP_FIELDS,
    orders={"createdAt": Step.created_at, "startTime": func.coalesce(Step.start_time, Step.created_at)},
)

GENERATIONS = EntitySpec(
    name="generations", model=Step, id_col=Step.id,
    fields={**_STEP_FIELDS, "tags": FieldSpec("list", build=_generation_tags),
            "promptLineage": FieldSpec("string", build=_prompt_lineage),
            "promptVersion": FieldSpec("number", build=_prompt_version)},
    orders={"createdAt": Step.created_at, "tokenCount": func.coalesce(Step.token_count, 0),
            "model": func.coalesce(Step.model, ""), "provider": func.coalesce(Step.provider, ""),
            "duration": func.coalesce(Step.duration, 0.0), "participant": func.coalesce(Step.thread_id, "")},
)


# ---------------------------------------------------------------- scores and participants
def _score_participant(f: Filter, dialect: str) -> ColumnElement:
    return Score.step_id.in_(select(Step.id).where(_step_participant(f, dialect)))


# What a score is on, by the type of its step: a message step carries conversation-level feedback
# (Chainlit's thumbs up/down), so it stands for the thread.
TARGET_STEP_TYPES = {"generation": ("llm", "embedding"), "run": ("run",),
                     "thread": ("user_message", "assistant_message", "system_message")}
TARGET_TYPES = (*TARGET_STEP_TYPES, "step")


def _score_target(f: Filter, dialect: str) -> ColumnElement:
    """Scores whose step is of the target kind (``eq``/``in`` on generation, run, thread, step)."""
    wanted = f.value if isinstance(f.value, (list, tuple)) else [f.value]
    unknown = [w for w in wanted if w not in TARGET_TYPES]
    if unknown:
        raise Invalid(f"Unknown score target {unknown[0]!r} (use {', '.join(TARGET_TYPES)}).")
    named = [t for w in wanted if w != "step" for t in TARGET_STEP_TYPES[w]]
    conds = [Step.type.in_(named)] if named else []
    if "step" in wanted:
        conds.append(Step.type.not_in([t for ts in TARGET_STEP_TYPES.values() for t in ts]))
    match = Score.step_id.in_(select(Step.id).where(or_(*conds)))
    return ~match if f.operator in ("neq", "nin") else match


SCORES = EntitySpec(
    name="scores", model=Score, id_col=Score.id,
    fields={
        "id": FieldSpec("string", Score.id),
        "createdAt": FieldSpec("datetime", Score.created_at),
        "name": FieldSpec("string", Score.name),
        "type": FieldSpec("string", Score.type),
        "value": FieldSpec("number", Score.value),
        "label": FieldSpec("string", Score.label),
        "comment": FieldSpec("string", Score.comment),
        "tags": FieldSpec("list", Score.tags),
        "stepId": FieldSpec("string", Score.step_id),
        "datasetExperimentItemId": FieldSpec("string", Score.experiment_item_id),
        "participant": FieldSpec("string", build=_score_participant),
        "targetType": FieldSpec("string", build=_score_target),
    },
    orders={"createdAt": Score.created_at, "value": Score.value},
)

PARTICIPANTS = EntitySpec(
    name="participants", model=Participant, id_col=Participant.id,
    fields={
        "id": FieldSpec("string", Participant.id),
        "createdAt": FieldSpec("datetime", Participant.created_at),
        "identifier": FieldSpec("string", Participant.identifier),
        "lastEngaged": FieldSpec("datetime", Participant.last_engaged_at),
        "threadCount": FieldSpec("number", Participant.thread_count),
        "tokenCount": FieldSpec("number", Participant.token_count),
        "metadata": FieldSpec("json", Participant.meta),
    },
    orders={"createdAt": Participant.created_at, "threadCount": Participant.thread_count,
            "tokenCount": Participant.token_count,
            "lastEngaged": func.coalesce(Participant.last_engaged_at, Participant.created_at)},
)
