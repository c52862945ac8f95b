"""Row DTOs of the Logs tables and their assembly: one batched query per related piece (previews,
scores, participants, prompt names) for the rows of a page, never one query per row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, String, case, cast, func, select
from sqlmodel import Session

from literal_app.models.auth import Member
from literal_app.models.prompts import PromptLineage, PromptVersion
from literal_app.models.tracing import Participant, Score, Step, Thread

PREVIEW = 140
THREAD_COLUMNS = (Thread.id, Thread.name, Thread.tags, Thread.participant_id, Thread.environment,
                  Thread.created_at, Thread.start_time, Thread.end_time, Thread.step_count, Thread.token_count,
                  Thread.cost, Thread.first_input, Thread.last_output)
STEP_COLUMNS = (Step.id, Step.thread_id, Step.parent_id, Step.root_run_id, Step.type, Step.name,
                Step.created_at, Step.start_time, Step.end_time, Step.tags, Step.environment, Step.provider,
                Step.model, Step.prompt_version_id, Step.input_token_count, Step.output_token_count,
                Step.token_count, Step.tt_first_token, Step.token_throughput, Step.duration, Step.cost)


@dataclass(frozen=True)
class LogRow:
    """One row of any Logs table; fields a table does not show stay empty."""

    id: str
    kind: str  # thread | run | generation | step | score | user
    name: str = ""
    created_at: datetime | None = None
    thread_id: str = ""
    root_run_id: str = ""
    step_type: str = ""
    environment: str = ""
    tags: tuple[str, ...] = ()
    participant: str = ""
    input: str = ""
    output: str = ""
    scores: str = ""  # "helpfulness 0.75 · relevance 0.6"
    steps: int | None = None
    tokens: int | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost: float | None = None
    duration: float | None = None
    ttft: float | None = None
    throughput: float | None = None
    has_error: bool = False
    model: str = ""
    provider: str = ""
    prompt: str = ""  # "name v3"
    prompt_lineage_id: str = ""
    tool_calls: int = 0
    value: float | None = None
    label: str = ""
    comment: str = ""
    score_type: str = ""
    created_by: str = ""
    last_engaged: datetime | None = None
    metadata: str = ""


def _short(text: str | None, n: int = PREVIEW) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _content(col, dialect: str, path: str = "content"):
    """SQL text of a message-like JSON value: its ``content`` or the JSON itself, cut short."""
    inner = col[path].as_string()
    return func.substr(func.coalesce(inner, cast(col, String)), 1, PREVIEW * 2)


def _step_extras(session: Session, ids: list[str]) -> dict[str, tuple]:
    """id -> (input preview, output preview, has error, last message, tool calls) for a page."""
    if not ids:
        return {}
    d = session.get_bind().dialect.name
    if d == "postgresql":
        last_msg = Step.generation[("messages", -1, "content")].as_string()
        completion = Step.generation[("messageCompletion", "content")].as_string()
        calls = Step.generation[("messageCompletion", "tool_calls")]
        tools = case((func.jsonb_typeof(calls) == "array", func.jsonb_array_length(calls)), else_=0)
    else:
        last_msg = func.json_extract(Step.generation, "$.messages[#-1].content")
        completion = func.json_extract(Step.generation, "$.messageCompletion.content")
        tools = func.coalesce(func.json_array_length(Step.generation, "$.messageCompletion.tool_calls"), 0)
    rows = session.execute(select(Step.id, _content(Step.input, d), _content(Step.output, d),
                                  Step.error.is_not(None), func.substr(cast(last_msg, String), 1, PREVIEW * 2),
                                  cast(tools, Integer), func.substr(cast(completion, String), 1, PREVIEW * 2))
                           .where(Step.id.in_(ids))).all()
    return {r[0]: (_text(r[1]), _text(r[2]) or _text(r[6]), r[3], _text(r[4]), r[5]) for r in rows}


def _text(value: str | None) -> str:
    """A preview from SQL: JSON ``null`` (a missing value stored as JSON) reads as empty."""
    return "" if value in (None, "null") else value


def _score_summaries(session: Session, project_id: str, key_col, ids: list[str], join_steps: bool) -> dict:
    if not ids:
        return {}
    q = select(key_col, Score.name, func.avg(Score.value), func.count()).where(Score.project_id == project_id)
    if join_steps:
        q = q.join(Step, Step.id == Score.step_id)
    rows = session.execute(q.where(key_col.in_(ids)).group_by(key_col, Score.name).order_by(Score.name)).all()
    out: dict[str, list[str]] = {}
    for key, name, avg, n in rows:
        out.setdefault(key, []).append(f"{name} {avg:.2f}" + (f" ×{n}" if n > 1 else ""))
    return {k: " · ".join(v) for k, v in out.items()}


def _duration(start, end) -> float | None:
    return (end - start).total_seconds() if start and end else None


def _threads(session: Session, project_id: str, rows: list[Thread]) -> list[LogRow]:
    ids = [t.id for t in rows]
    pids = {t.participant_id for t in rows if t.participant_id}
    idents = dict(session.execute(select(Participant.id, Participant.identifier)
                                  .where(Participant.id.in_(pids))).all()) if pids else {}
    scores = _score_summaries(session, project_id, Step.thread_id, ids, True)
    return [LogRow(t.id, "thread", name=t.name or "", created_at=t.created_at, thread_id=t.id,
                   environment=t.environment or "", tags=tuple(t.tags or ()),
                   participant=idents.get(t.participant_id, ""), input=_short(t.first_input),
                   output=_short(t.last_output), scores=scores.get(t.id, ""), steps=t.step_count,
                   tokens=t.token_count, cost=t.cost, duration=_duration(t.start_time, t.end_time)) for t in rows]


def _prompts(session: Session, version_ids: set[str]) -> dict[str, tuple[str, str]]:
    if not version_ids:
        return {}
    rows = session.execute(select(PromptVersion.id, PromptLineage.name, PromptVersion.version, PromptLineage.id)
                           .join(PromptLineage, PromptLineage.id == PromptVersion.lineage_id)
                           .where(PromptVersion.id.in_(version_ids))).all()
    return {r[0]: (f"{r[1]} v{r[2]}", r[3]) for r in rows}


def _steps(session: Session, project_id: str, kind: str, rows: list[Step]) -> list[LogRow]:
    ids = [s.id for s in rows]
    extras = _step_extras(session, ids)
    scores = _score_summaries(session, project_id, Score.step_id, ids, False)
    prompts = _prompts(session, {s.prompt_version_id for s in rows if s.prompt_version_id})
    out = []
    for s in rows:
        inp, outp, err, last_msg, tools = extras.get(s.id, ("", "", False, "", 0))
        prompt, lineage = prompts.get(s.prompt_version_id, ("", ""))
        out.append(LogRow(
            s.id, kind, name=s.name or "", created_at=s.created_at, thread_id=s.thread_id or "",
            root_run_id=s.root_run_id or "", step_type=s.type, environment=s.environment or "",
            tags=tuple(s.tags or ()), input=_short(last_msg if kind == "generation" and last_msg else inp),
            output=_short(outp), scores=scores.get(s.id, ""), tokens=s.token_count, tokens_in=s.input_token_count,
            tokens_out=s.output_token_count, cost=s.cost,
            duration=s.duration if s.duration is not None else _duration(s.start_time, s.end_time),
            ttft=s.tt_first_token, throughput=s.token_throughput, has_error=bool(err), model=s.model or "",
            provider=s.provider or "", prompt=prompt, prompt_lineage_id=lineage, tool_calls=tools or 0))
    return out


def _scores(session: Session, rows: list[Score]) -> list[LogRow]:
    sids = {s.step_id for s in rows if s.step_id}
    steps = {r[0]: r for r in session.execute(select(Step.id, Step.name, Step.type, Step.thread_id)
                                              .where(Step.id.in_(sids))).all()} if sids else {}
    mids = {s.created_by_id for s in rows if s.created_by_id}
    who = dict(session.execute(select(Member.id, Member.name).where(Member.id.in_(mids))).all()) if mids else {}
    out = []
    for s in rows:
        st = steps.get(s.step_id)
        out.append(LogRow(s.id, "score", name=s.name, created_at=s.created_at, thread_id=(st[3] or "") if st else "",
                          root_run_id=s.step_id or "", step_type=st[2] if st else "", input=st[1] or "" if st else "",
                          value=s.value, label=s.label or "", comment=_short(s.comment), score_type=s.type,
                          created_by=who.get(s.created_by_id, s.scorer or ""), tags=tuple(s.tags or ())))
    return out


def _users(rows: list[Participant]) -> list[LogRow]:
    return [LogRow(p.id, "user", name=p.identifier, created_at=p.created_at, participant=p.identifier,
                   steps=p.thread_count, tokens=p.token_count, cost=p.cost, last_engaged=p.last_engaged_at,
                   metadata=_short(json.dumps(p.meta, ensure_ascii=False) if p.meta else "", 80)) for p in rows]


def to_rows(session: Session, project_id: str, table: str, rows: list) -> list[LogRow]:
    if table == "threads":
        return _threads(session, project_id, rows)
    if table == "scores":
        return _scores(session, rows)
    if table == "users":
        return _users(rows)
    return _steps(session, project_id, {"runs": "run", "generations": "generation"}.get(table, "step"), rows)
