"""The template editor's state, as a mixin for any page that edits a prompt template (the
Playground, the prompt library's "new version" editor): messages with roles (add, remove, reorder),
images on user messages, variable values for the Mustache variables the messages use, the tools
JSON and the output type, each checked as it is edited.

A page state mixes it in (``class MyState(TemplateEditorMixin, SessionState)``), renders it with
``literal_app.components.template_editor`` and may override ``te_changed`` (e.g. to save a draft).
Messages are held as ``EditorMsg`` rows; ``te_messages_plain()`` gives the services' dicts."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field

import reflex as rx

from literal_app.services.kernel.errors import DomainError
from literal_app.services.playground import editor

MAX_IMAGE_BYTES = 4_000_000


@dataclass
class EditorMsg:
    id: str
    role: str
    content: str
    images: list[str] = field(default_factory=list)
    tool_call_id: str = ""
    tool_calls: str = ""  # JSON text of the assistant's tool calls, '' when none


def to_rows(messages: list[dict]) -> list[EditorMsg]:
    return [EditorMsg(uuid.uuid4().hex[:12], m["role"], m.get("content") or "", list(m.get("images") or []),
                      m.get("tool_call_id") or "", json.dumps(m["tool_calls"]) if m.get("tool_calls") else "")
            for m in messages]


def to_plain(rows: list[EditorMsg]) -> list[dict]:
    return [editor.editor_message(r.role, r.content, r.images, r.tool_call_id,
                                  json.loads(r.tool_calls) if r.tool_calls else None) for r in rows]


class TemplateEditorMixin(rx.State, mixin=True):
    te_messages: list[EditorMsg] = []
    te_values: dict[str, str] = {}
    te_tools_text: str = ""
    te_tools_error: str = ""
    te_tool_choice: str = "auto"  # auto | required | none | a tool's name
    te_output_kind: str = "text"
    te_schema_text: str = ""
    te_schema_error: str = ""
    te_score_schema_id: str = ""
    te_version: int = 0  # bumped when the template is replaced, so uncontrolled fields remount

    @rx.var
    def te_variables(self) -> list[str]:
        """The Mustache variables the messages use, in order of first use."""
        try:
            return editor.variables_of(to_plain(self.te_messages))
        except Exception:  # a half-typed tag ("{{#a}}" without its end) detects nothing until complete
            return []

    def te_changed(self) -> None:
        """Called after every edit; pages override it (the Playground saves the draft)."""

    def te_messages_plain(self) -> list[dict]:
        return to_plain(self.te_messages)

    def te_load(self, messages: list[dict], values: dict[str, str], tools: list, output: dict) -> None:
        """Replace the whole template (opening a prompt version, a generation, an example)."""
        self.te_messages = to_rows(messages)
        self.te_values = {k: str(v) for k, v in values.items()}
        self.te_tools_text = json.dumps(tools, indent=2) if tools else ""
        self.te_output_kind = output.get("kind") or "text"
        schema = output.get("schema")
        self.te_schema_text = json.dumps(schema, indent=2) if schema else output.get("schema_text", "")
        self.te_score_schema_id = output.get("score_schema_id") or ""
        self.te_tools_error = self.te_schema_error = ""
        self.te_tool_choice = "auto"
        self.te_version += 1

    def te_output(self) -> dict:
        return {"kind": self.te_output_kind, "schema_text": self.te_schema_text,
                "score_schema_id": self.te_score_schema_id}

    def _set_row(self, msg_id: str, **changes) -> None:
        self.te_messages = [EditorMsg(**{**r.__dict__, **changes}) if r.id == msg_id else r for r in self.te_messages]
        self.te_changed()

    @rx.event
    def te_add_message(self, role: str = "user"):
        last = self.te_messages[-1].role if self.te_messages else "assistant"
        role = role or ("assistant" if last == "user" else "user")
        self.te_messages = [*self.te_messages, EditorMsg(uuid.uuid4().hex[:12], role, "")]
        self.te_changed()

    @rx.event
    def te_remove_message(self, msg_id: str):
        self.te_messages = [r for r in self.te_messages if r.id != msg_id]
        self.te_changed()

    @rx.event
    def te_move_message(self, msg_id: str, delta: int):
        rows = list(self.te_messages)
        i = next((n for n, r in enumerate(rows) if r.id == msg_id), None)
        if i is None or not 0 <= i + delta < len(rows):
            return
        rows[i], rows[i + delta] = rows[i + delta], rows[i]
        self.te_messages = rows
        self.te_changed()

    @rx.event
    def te_set_role(self, msg_id: str, role: str):
        if role in editor.ROLES:
            self._set_row(msg_id, role=role)

    @rx.event
    def te_set_content(self, msg_id: str, content: str):
        self._set_row(msg_id, content=content)

    @rx.event
    def te_set_tool_call_id(self, msg_id: str, value: str):
        self._set_row(msg_id, tool_call_id=value.strip())

    @rx.event
    def te_add_image_url(self, msg_id: str, form: dict):
        url = (form.get("url") or "").strip()
        if not url.startswith(("http://", "https://", "data:image/")):
            return rx.toast.error("An image URL starts with http:// or https://.", close_button=True)
        row = next((r for r in self.te_messages if r.id == msg_id), None)
        if row is not None:
            self._set_row(msg_id, images=[*row.images, url])
        return None

    @rx.event
    def te_remove_image(self, msg_id: str, url: str):
        row = next((r for r in self.te_messages if r.id == msg_id), None)
        if row is not None:
            self._set_row(msg_id, images=[u for u in row.images if u != url])

    @rx.event
    async def te_upload_image(self, files: list[rx.UploadFile]):
        """Attach uploaded images (as data URLs) to the last user message."""
        target = next((r for r in reversed(self.te_messages) if r.role == "user"), None)
        if target is None:
            return rx.toast.error("Add a user message first: images go on user messages.", close_button=True)
        urls = []
        for f in files:
            data = await f.read()
            mime = f.content_type or "image/png"
            if not mime.startswith("image/") or len(data) > MAX_IMAGE_BYTES:
                return rx.toast.error(f"{f.name}: images only, at most 4 MB.", close_button=True)
            urls.append(f"data:{mime};base64,{base64.b64encode(data).decode()}")
        self._set_row(target.id, images=[*target.images, *urls])
        return rx.toast.success(f"Image added to the last user message.")

    @rx.event
    def te_set_value(self, name: str, value: str):
        self.te_values = {**self.te_values, name: value}
        self.te_changed()

    @rx.event
    def te_set_tools(self, text: str):
        self.te_tools_text = text
        try:
            editor.parse_tools(text)
            self.te_tools_error = ""
        except DomainError as exc:
            self.te_tools_error = exc.message
        self.te_changed()

    @rx.event
    def te_set_tool_choice(self, choice: str):
        self.te_tool_choice = choice or "auto"
        self.te_changed()

    @rx.event
    def te_set_output_kind(self, kind: str):
        if kind in editor.OUTPUT_KINDS:
            self.te_output_kind = kind
            self.te_changed()

    @rx.event
    def te_set_schema(self, text: str):
        self.te_schema_text = text
        try:
            editor.parse_schema(text)
            self.te_schema_error = ""
        except DomainError as exc:
            self.te_schema_error = exc.message
        self.te_changed()

    @rx.event
    def te_set_score_schema(self, schema_id: str):
        self.te_score_schema_id = schema_id
        self.te_changed()
