"""State of the step detail panel (thread page and step page): the selected step's detail as
plain views, loading a cut payload whole, and annotation (tags, human scores)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import reflex as rx

from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.errors import DomainError
from literal_app.services.kernel.payloads import PayloadView
from literal_app.services.logs import annotations, scores, step_detail
from literal_app.state.fmt import when
from literal_app.state.logs.columns import money, seconds
from literal_app.state.session import SessionState, error_toast

EMPTY = PayloadView(True, "", "", "", 0, False)


@dataclass(frozen=True)
class ScoreView:
    id: str
    name: str
    type: str
    value: str
    label: str
    comment: str
    by: str
    mine: bool
    schema_id: str


@dataclass(frozen=True)
class AttachmentView:
    id: str
    name: str
    kind: str
    url: str
    mime: str


@dataclass(frozen=True)
class PartView:
    kind: str  # text | image | audio | video | file
    text: str
    url: str
    name: str


@dataclass(frozen=True)
class GenMessageView:
    role: str
    text: str
    parts: list[PartView] = field(default_factory=list)


@dataclass(frozen=True)
class StepView:
    id: str = ""
    type: str = ""
    name: str = ""
    thread_id: str = ""
    root_run_id: str = ""
    parent_id: str = ""
    start: str = ""
    duration: str = ""
    environment: str = ""
    error: str = ""
    cost: str = ""
    tags: list[str] = field(default_factory=list)
    is_generation: bool = False
    facts: list[list[str]] = field(default_factory=list)  # [label, value] pairs for generations
    messages: list[GenMessageView] = field(default_factory=list)
    summary: list[list[str]] = field(default_factory=list)  # [label, value]: start, duration, cost, env
    completion: str = ""
    tool_calls: str = ""
    prompt_label: str = ""
    prompt_href: str = ""


@dataclass(frozen=True)
class SchemaOption:
    id: str
    name: str
    type: str
    labels: list[str]
    bounds: str


def _facts(g: step_detail.GenerationInfo) -> list[list[str]]:
    pairs = [("Provider", g.provider), ("Model", g.model), ("Tokens in", g.input_tokens),
             ("Tokens out", g.output_tokens), ("Tokens", g.tokens),
             ("TTFT", f"{g.ttft_ms:.0f} ms" if g.ttft_ms is not None else None),
             ("Throughput", f"{g.throughput:.1f} tok/s" if g.throughput is not None else None)]
    return [[k, f"{v:,}" if isinstance(v, int) else str(v)] for k, v in pairs if v not in (None, "")]


def _message(m: dict) -> GenMessageView:
    parts = [PartView(p["kind"], p["text"], p["url"], p["name"]) for p in m.get("parts") or []]
    return GenMessageView(m["role"], m["content"], parts)


def to_step_view(d: step_detail.StepDetail) -> StepView:
    g = d.generation
    start, duration, cost = when(d.start_time, ""), seconds(d.duration), money(d.cost)
    summary = [[k, v] for k, v in (("Started", start), ("Duration", duration), ("Cost", cost),
                                   ("Environment", d.environment or "")) if v]
    return StepView(
        d.id, d.type, d.name or d.type, d.thread_id or "", d.root_run_id or "", d.parent_id or "",
        start, duration, d.environment or "", d.error or "", cost, d.tags,
        g is not None, _facts(g) if g else [], [_message(m) for m in g.messages] if g else [], summary,
        g.completion if g else "", json.dumps(g.tool_calls, indent=2) if g and g.tool_calls else "",
        f"{g.prompt_name} v{g.prompt_version}" if g and g.prompt_name else "",
        f"/prompts/{g.prompt_lineage_id}?version={g.prompt_version}" if g and g.prompt_lineage_id else "")


class StepPanelState(SessionState):
    step: StepView = StepView()
    input: PayloadView = EMPTY
    output: PayloadView = EMPTY
    metadata: PayloadView = EMPTY
    settings: PayloadView = EMPTY
    scores: list[ScoreView] = []
    attachments: list[AttachmentView] = []
    schemas: list[SchemaOption] = []
    new_tag: str = ""
    score_open: bool = False
    score_id: str = ""  # the score being edited ("" = a new one)
    score_schema: str = ""  # schema id or "free"
    score_label: str = ""
    score_value: str = ""
    score_name: str = ""
    score_comment: str = ""
    score_error: str = ""

    def _show_step(self, step_id: str) -> None:
        d = self.call(step_detail.get_step_detail, step_id)
        self.step = to_step_view(d)
        self.input, self.output, self.metadata = d.input, d.output, d.metadata
        self.settings = d.generation.settings if d.generation else EMPTY
        self.scores = [ScoreView(s.id, s.name, s.type, f"{s.value:g}", s.label or "", s.comment or "",
                                 s.created_by or "", s.created_by_id == self.member_id and s.type == "HUMAN",
                                 s.score_schema_id or "") for s in d.scores]
        self.attachments = [AttachmentView(a.id, a.name or "attachment", a.kind, a.url or "", a.mime or "") for a in d.attachments]

    @rx.event
    def load_whole(self, field_name: str):
        try:
            whole = self.call(step_detail.load_payload, self.step.id, field_name)
        except DomainError as exc:
            return error_toast(exc)
        setattr(self, field_name, whole)
        return None

    @rx.event
    def set_new_tag(self, value: str):
        self.new_tag = value

    def _tags(self, add: list[str], remove: list[str]):
        try:
            self.call(annotations.change_tags, "step", [self.step.id], add=add, remove=remove)
        except DomainError as exc:
            return error_toast(exc)
        self._show_step(self.step.id)
        self.new_tag = ""
        return None

    @rx.event
    def add_tag(self, _form: dict | None = None):
        return self._tags([self.new_tag], [])

    @rx.event
    def remove_tag(self, tag: str):
        return self._tags([], [tag])

    @rx.event
    def open_score(self):
        try:
            self._prepare_score_dialog()
        except DomainError as exc:
            return error_toast(exc)
        return None

    def _prepare_score_dialog(self) -> None:
        found = self.call(score_schemas.list_score_schemas)
        self.schemas = [SchemaOption(s.id, s.name, s.type, [c.label for c in s.categories],
                                     f"{s.min_value:g} – {s.max_value:g}" if s.type == "continuous" else "")
                        for s in found]
        self.score_id, self.score_error, self.score_open = "", "", True
        self.score_schema = self.schemas[0].id if self.schemas else "free"
        self.score_label = self.score_value = self.score_name = self.score_comment = ""

    @rx.event
    def edit_score(self, score_id: str):
        try:
            self._prepare_score_dialog()
        except DomainError as exc:
            return error_toast(exc)
        s = next((s for s in self.scores if s.id == score_id), None)
        if s is None:
            return None
        self.score_id, self.score_schema = s.id, s.schema_id or "free"
        self.score_label, self.score_value, self.score_name, self.score_comment = s.label, s.value, s.name, s.comment
        return None

    @rx.event
    def set_score_field(self, name: str, value: str):
        if name in ("score_schema", "score_label", "score_value", "score_name", "score_comment"):
            setattr(self, name, value)

    @rx.event
    def set_score_open(self, value: bool):
        self.score_open = value

    @rx.event
    def save_score(self, _form: dict | None = None):
        kw = dict(value=self.score_value or None, label=self.score_label or None, comment=self.score_comment)
        try:
            if self.score_id:
                self.call(scores.update_score, self.score_id, **kw)
            elif self.score_schema and self.score_schema != "free":
                self.call(scores.add_human_score, self.step.id, schema_id=self.score_schema, **kw)
            else:
                self.call(scores.add_human_score, self.step.id, name=self.score_name, **kw)
        except DomainError as exc:
            self.score_error = exc.message
            return None
        self.score_open, self.score_error = False, ""
        self._show_step(self.step.id)
        return rx.toast.success("Score saved.")

    @rx.event
    def delete_score(self, score_id: str):
        try:
            self.call(scores.delete_score, score_id)
        except DomainError as exc:
            return error_toast(exc)
        self._show_step(self.step.id)
        return rx.toast.success("Score deleted.")
