"""One run, step or generation as its detail panel shows it, derived from the one read of a step
(``steps.get_step``): payloads in text/JSON/YAML (cut at a size limit, loadable whole on demand),
generation details, scores, attachments and links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from literal_app.models.prompts import PromptLineage, PromptVersion
from literal_app.models.tracing import Step
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid, NotFound
from literal_app.services.kernel.payloads import PayloadView, render
from literal_app.services.kernel.scoping import owned
from literal_app.services.logs.message_parts import parts_of
from literal_app.services.logs import steps
from literal_app.services.logs.tracing_reads import AttachmentRead, ScoreRead, StepRead

PAYLOAD_FIELDS = ("input", "output", "metadata", "generation")


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


def _text(v: Any, limit: int = 4000) -> str:
    if v is None:
        return ""
    if isinstance(v, list):  # multimodal content parts
        v = " ".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in v)
    v = v if isinstance(v, str) else str(v)
    return v if len(v) <= limit else v[:limit] + "…"


def _prompt_label(session: Session, project_id: str, version_id: str | None) -> tuple:
    """(name, version, lineage id) of the prompt version a generation used, or Nones."""
    if version_id:
        row = session.execute(select(PromptLineage.name, PromptVersion.version, PromptLineage.id)
                              .join(PromptVersion, PromptVersion.lineage_id == PromptLineage.id)
                              .where(PromptVersion.id == version_id,
                                     PromptVersion.project_id == project_id)).first()
        if row:
            return tuple(row)
    return None, None, None


def _generation(session: Session, s: StepRead) -> GenerationInfo | None:
    g = s.generation
    if g is None and s.type != "llm":
        return None
    if g is None:
        return GenerationInfo(None, None, None, [], "", [], render(None), render(None), None, None, None,
                              None, None, s.prompt_version_id, *_prompt_label(session, s.project_id,
                                                                              s.prompt_version_id))
    messages = [{"role": str(m.get("role", "")), "content": _text(m.get("content")),
                 "parts": parts_of(m.get("content"))}
                for m in (g.messages or []) if isinstance(m, dict)][:200]
    comp = g.message_completion or {}
    completion = _text(comp.get("content") if comp else g.completion or "", 20_000)
    tool_calls = comp.get("tool_calls") or comp.get("toolCalls") or []
    return GenerationInfo(g.provider, g.model, g.type, messages, completion,
                          [c for c in tool_calls if isinstance(c, dict)][:50], render(g.tools),
                          render(g.settings), g.input_token_count, g.output_token_count, g.token_count,
                          g.tt_first_token, g.token_throughput_in_seconds, s.prompt_version_id,
                          *_prompt_label(session, s.project_id, s.prompt_version_id))


def get_step_detail(session: Session, actor: Actor, step_id: str) -> StepDetail:
    """The detail panel's view of the step ``steps.get_step`` reads: payloads rendered and cut at the
    preview limit, the generation's messages shortened, its prompt version named."""
    s = steps.get_step(session, actor, step_id)
    if s is None:
        raise NotFound("Step not found.")
    return StepDetail(
        s.id, s.thread_id, s.parent_id, s.root_run_id, s.type, s.name, s.start_time, s.end_time, s.duration,
        s.environment, s.error, list(s.tags or []), render(s.input), render(s.output), render(s.metadata),
        s.cost, _generation(session, s), s.scores, s.attachments)


def load_payload(session: Session, actor: Actor, step_id: str, field: str) -> PayloadView:
    """A payload rendered whole (the "load all" of a cut input/output), up to 3 MB."""
    require(actor, "observability:read")
    if field not in PAYLOAD_FIELDS:
        raise Invalid(f"Unknown field {field!r} (use {', '.join(PAYLOAD_FIELDS)}).")
    s = owned(session, Step, step_id, actor, "Step not found.")
    return render(s.meta if field == "metadata" else getattr(s, field), None)
