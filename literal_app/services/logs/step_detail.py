"""One run, step or generation as its detail panel shows it: payloads in text/JSON/YAML (cut at a
size limit, loadable whole on demand), generation details, scores, attachments and links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from literal_app.models.auth import Member
from literal_app.models.prompts import PromptLineage, PromptVersion
from literal_app.models.tracing import Attachment, Score, Step
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.payloads import PayloadView, render
from literal_app.storage import read_url
from literal_app.services.kernel.scoping import owned

PAYLOAD_FIELDS = ("input", "output", "metadata", "generation")


@dataclass(frozen=True)
class ScoreRead:
    id: str
    step_id: str | None
    name: str
    type: str
    value: float
    label: str | None
    comment: str | None
    score_schema_id: str | None
    created_by_id: str | None
    created_by: str | None
    created_at: datetime


@dataclass(frozen=True)
class AttachmentRead:
    id: str
    name: str
    mime: str
    kind: str  # image | audio | video | pdf | text | other
    url: str
    size: int | None


@dataclass(frozen=True)
class GenerationInfo:
    provider: str | None
    model: str | None
    kind: str | None  # CHAT | COMPLETION
    messages: list[dict]  # [{role, content}] with contents cut for display
    completion: str
    tool_calls: list[dict]
    tools: PayloadView
    settings: PayloadView
    input_tokens: int | None
    output_tokens: int | None
    tokens: int | None
    ttft_ms: float | None
    throughput: float | None
    prompt_version_id: str | None
    prompt_name: str | None
    prompt_version: int | None
    prompt_lineage_id: str | None


@dataclass(frozen=True)
class StepDetail:
    id: str
    thread_id: str | None
    parent_id: str | None
    root_run_id: str | None
    type: str
    name: str | None
    start_time: datetime | None
    end_time: datetime | None
    duration: float | None
    environment: str | None
    error: str | None
    tags: list[str]
    input: PayloadView
    output: PayloadView
    metadata: PayloadView
    cost: float | None
    generation: GenerationInfo | None
    scores: list[ScoreRead]
    attachments: list[AttachmentRead]


def _get(session: Session, actor: Actor, step_id: str) -> Step:
    s = owned(session, Step, step_id, actor, "Step not found.")
    return s


def attachment_kind(mime: str | None) -> str:
    mime = (mime or "").lower()
    for prefix in ("image", "audio", "video"):
        if mime.startswith(prefix + "/"):
            return prefix
    if mime == "application/pdf":
        return "pdf"
    if mime.startswith("text/") or mime in ("application/json", "application/x-yaml"):
        return "text"
    return "other"


def attachment_url(a: Attachment) -> str:
    """The stored object's signed read URL, else the external URL the client gave."""
    return read_url(a.object_key) if a.object_key else (a.url or "")


def scores_of(session: Session, project_id: str, step_ids: list[str]) -> list[ScoreRead]:
    if not step_ids:
        return []
    rows = session.execute(
        select(Score, Member.name).outerjoin(Member, Member.id == Score.created_by_id)
        .where(Score.project_id == project_id, Score.step_id.in_(step_ids))
        .order_by(Score.created_at, Score.id)).all()
    return [ScoreRead(s.id, s.step_id, s.name, s.type, s.value, s.label, s.comment, s.score_schema_id,
                      s.created_by_id, who, s.created_at) for s, who in rows]


def _text(v: Any, limit: int = 4000) -> str:
    if v is None:
        return ""
    if isinstance(v, list):  # multimodal content parts
        v = " ".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in v)
    v = v if isinstance(v, str) else str(v)
    return v if len(v) <= limit else v[:limit] + "…"


def _generation(session: Session, s: Step) -> GenerationInfo | None:
    g = s.generation if isinstance(s.generation, dict) else None
    if g is None and s.type != "llm":
        return None
    g = g or {}
    messages = [{"role": str(m.get("role", "")), "content": _text(m.get("content"))}
                for m in (g.get("messages") or []) if isinstance(m, dict)][:200]
    comp = g.get("messageCompletion") or {}
    completion = _text(comp.get("content") if isinstance(comp, dict) else g.get("completion") or "", 20_000)
    tool_calls = comp.get("tool_calls") or comp.get("toolCalls") or [] if isinstance(comp, dict) else []
    name = version = lineage = None
    if s.prompt_version_id:
        row = session.execute(select(PromptLineage.name, PromptVersion.version, PromptLineage.id)
                              .join(PromptVersion, PromptVersion.lineage_id == PromptLineage.id)
                              .where(PromptVersion.id == s.prompt_version_id,
                                     PromptVersion.project_id == s.project_id)).first()
        if row:
            name, version, lineage = row
    return GenerationInfo(s.provider or g.get("provider"), s.model or g.get("model"),
                          s.generation_type or g.get("type"), messages, completion,
                          [t for t in tool_calls if isinstance(t, dict)][:50], render(g.get("tools")),
                          render(g.get("settings")), s.input_token_count, s.output_token_count, s.token_count,
                          s.tt_first_token, s.token_throughput, s.prompt_version_id, name, version, lineage)


def get_step(session: Session, actor: Actor, step_id: str) -> StepDetail:
    """Everything the detail panel shows; payloads over the preview limit are cut."""
    require(actor, "observability:read")
    s = _get(session, actor, step_id)
    atts = session.execute(select(Attachment).where(Attachment.project_id == actor.project_id,
                                                    Attachment.step_id == s.id)
                           .order_by(Attachment.created_at)).scalars().all()
    duration = s.duration if s.duration is not None else (
        (s.end_time - s.start_time).total_seconds() if s.start_time and s.end_time else None)
    return StepDetail(
        s.id, s.thread_id, s.parent_id, s.root_run_id, s.type, s.name, s.start_time, s.end_time, duration,
        s.environment, s.error, list(s.tags or []), render(s.input), render(s.output), render(s.meta), s.cost,
        _generation(session, s), scores_of(session, actor.project_id, [s.id]),
        [AttachmentRead(a.id, a.name or "attachment", a.mime or "", attachment_kind(a.mime), attachment_url(a),
                        a.size) for a in atts])


def load_payload(session: Session, actor: Actor, step_id: str, field: str) -> PayloadView:
    """A payload rendered whole (the "load all" of a cut input/output), up to 3 MB."""
    require(actor, "observability:read")
    if field not in PAYLOAD_FIELDS:
        raise Invalid(f"Unknown field {field!r} (use {', '.join(PAYLOAD_FIELDS)}).")
    s = _get(session, actor, step_id)
    return render(s.meta if field == "metadata" else getattr(s, field), None)
