"""Read DTOs of the tracing entities (what leaves the service layer) and their converters.

Shapes follow what the clients parse (PROTOCOL.md 2.4): a generation's id is its step's id, its
type is always CHAT or COMPLETION, tools/messages are lists or null; a step's scores and
attachments are loaded in bulk for a whole page of steps.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from literal_app.models.auth import Member
from literal_app.models.tracing import Attachment, Participant, Score, Step, Thread
from literal_app.services.logs.participants import ParticipantRead
from literal_app.storage import read_url
from literal_app.storage.serving import inline_kind


@dataclass(frozen=True)
class ScoreRead:
    id: str
    project_id: str
    name: str
    type: str
    value: float
    label: str | None
    comment: str | None
    scorer: str | None
    tags: list | None
    step_id: str | None
    dataset_experiment_item_id: str | None
    created_at: datetime
    updated_at: datetime
    score_schema_id: str | None = None
    created_by_id: str | None = None
    created_by: str | None = None  # the member's name, where the caller loaded it (``scores_of``)

    @property
    def generation_id(self) -> str | None:
        return self.step_id

    @classmethod
    def of(cls, s: Score, created_by: str | None = None) -> "ScoreRead":
        return cls(s.id, s.project_id, s.name, s.type, s.value, s.label, s.comment, s.scorer, s.tags,
                   s.step_id, s.experiment_item_id, s.created_at, s.updated_at, s.score_schema_id,
                   s.created_by_id, created_by)


@dataclass(frozen=True)
class AttachmentRead:
    id: str
    thread_id: str | None
    step_id: str | None
    name: str | None
    mime: str | None
    object_key: str | None
    url: str | None
    metadata: dict | None
    created_at: datetime
    kind: str = "other"  # image | audio | video | pdf | text | other: how a page previews it
    size: int | None = None

    @classmethod
    def of(cls, a: Attachment) -> "AttachmentRead":
        url = read_url(a.object_key) if a.object_key else a.url
        return cls(a.id, a.thread_id, a.step_id, a.name, a.mime, a.object_key, url, a.meta, a.created_at,
                   attachment_kind(a.mime), a.size)


def attachment_kind(mime: str | None) -> str:
    """How the UI previews it: only types the file route serves inline (never HTML or SVG)."""
    return inline_kind(mime) or "other"


@dataclass(frozen=True)
class GenerationRead:
    id: str
    project_id: str
    step_id: str
    type: str
    prompt: str | None
    completion: str | None
    messages: list | None
    message_completion: dict | None
    provider: str | None
    model: str | None
    variables: dict | None
    tools: list | None
    settings: dict | None
    token_count: int | None
    input_token_count: int | None
    output_token_count: int | None
    tt_first_token: float | None
    duration: float | None
    token_throughput_in_seconds: float | None
    error: str | None
    tags: list | None
    metadata: dict | None
    created_at: datetime
    cost: float | None
    thread_id: str | None

    @classmethod
    def of(cls, s: Step) -> "GenerationRead":
        g = s.generation or {}

        def obj(key):
            v = g.get(key)
            return v if isinstance(v, dict) else None

        def lst(key):
            v = g.get(key)
            return v if isinstance(v, list) else None

        return cls(s.id, s.project_id, s.id, s.generation_type or "CHAT", g.get("prompt"), g.get("completion"),
                   lst("messages"), obj("messageCompletion"), s.provider, s.model, obj("variables"), lst("tools"),
                   obj("settings"), s.token_count, s.input_token_count, s.output_token_count, s.tt_first_token,
                   s.duration, s.token_throughput, g.get("error"), lst("tags"), obj("metadata"), s.created_at,
                   s.cost, s.thread_id)


@dataclass(frozen=True)
class StepRead:
    id: str
    project_id: str
    thread_id: str | None
    root_run_id: str | None
    parent_id: str | None
    name: str | None
    type: str
    environment: str | None
    start_time: datetime | None
    end_time: datetime | None
    created_at: datetime
    error: str | None
    input: Any
    output: Any
    metadata: dict | None
    tags: list | None
    generation: GenerationRead | None
    scores: list[ScoreRead] = field(default_factory=list)
    attachments: list[AttachmentRead] = field(default_factory=list)
    duration: float | None = None  # seconds: the stored duration, else end minus start
    cost: float | None = None
    prompt_version_id: str | None = None

    @classmethod
    def of(cls, s: Step, scores=(), attachments=()) -> "StepRead":
        gen = GenerationRead.of(s) if s.generation_type else None
        duration = s.duration if s.duration is not None else (
            (s.end_time - s.start_time).total_seconds() if s.start_time and s.end_time else None)
        return cls(s.id, s.project_id, s.thread_id, s.root_run_id, s.parent_id, s.name, s.type, s.environment,
                   s.start_time, s.end_time, s.created_at, s.error, s.input, s.output, s.meta, s.tags, gen,
                   list(scores), list(attachments), duration, s.cost, s.prompt_version_id)


@dataclass(frozen=True)
class ThreadRead:
    id: str
    project_id: str
    name: str | None
    metadata: dict | None
    tags: list | None
    environment: str | None
    created_at: datetime
    participant: ParticipantRead | None
    token_count: int
    step_count: int
    cost: float
    start_time: datetime | None
    end_time: datetime | None
    first_input: str | None
    last_output: str | None
    steps: list[StepRead] | None = None  # loaded for threadDetail; lists load them on demand
    step_types: tuple[str, ...] | None = None  # the stepTypesToKeep of the list call

    @property
    def duration(self) -> float | None:
        if self.start_time and self.end_time:
            return (self.end_time - self.start_time).total_seconds()
        return None

    @classmethod
    def of(cls, t: Thread, participant: Participant | None, steps=None, step_types=None) -> "ThreadRead":
        return cls(t.id, t.project_id, t.name, t.meta, t.tags, t.environment, t.created_at,
                   ParticipantRead.of(participant) if participant else None, t.token_count or 0,
                   t.step_count or 0, t.cost or 0.0, t.start_time, t.end_time, t.first_input, t.last_output,
                   steps, tuple(step_types) if step_types else None)


def scores_of(session: Session, project_id: str, step_ids: list[str]) -> list[ScoreRead]:
    """The project's scores on these steps, oldest first, with their authors' names."""
    if not step_ids:
        return []
    rows = session.exec(
        select(Score, Member.name).outerjoin(Member, Member.id == Score.created_by_id)
        .where(Score.project_id == project_id, Score.step_id.in_(step_ids))
        .order_by(Score.created_at, Score.id)).all()
    return [ScoreRead.of(s, who) for s, who in rows]


def attachments_of(session: Session, project_id: str, step_ids: list[str]) -> list[AttachmentRead]:
    """The project's attachments on these steps, oldest first."""
    if not step_ids:
        return []
    rows = session.exec(select(Attachment).where(Attachment.project_id == project_id,
                                                 Attachment.step_id.in_(step_ids))
                        .order_by(Attachment.created_at)).all()
    return [AttachmentRead.of(a) for a in rows]


def step_reads(session: Session, rows: list[Step]) -> list[StepRead]:
    """StepReads for ``rows`` with their scores and attachments (two queries for the whole list).
    Nested rows are read from the steps' own project only, whoever wrote them."""
    scores: dict[str, list] = defaultdict(list)
    attachments: dict[str, list] = defaultdict(list)
    by_project: dict[str, list[str]] = defaultdict(list)
    for s in rows:
        by_project[s.project_id].append(s.id)
    for project_id, ids in by_project.items():
        for sc in scores_of(session, project_id, ids):
            scores[sc.step_id].append(sc)
        for a in attachments_of(session, project_id, ids):
            attachments[a.step_id].append(a)
    return [StepRead.of(s, scores[s.id], attachments[s.id]) for s in rows]


def thread_reads(session: Session, rows: list[Thread], step_types=None) -> list[ThreadRead]:
    """ThreadReads with their participants (one query for the whole list)."""
    pids = {t.participant_id for t in rows if t.participant_id}
    people = {p.id: p for p in session.exec(select(Participant).where(Participant.id.in_(pids))).all()} if pids else {}
    return [ThreadRead.of(t, people.get(t.participant_id), step_types=step_types) for t in rows]
