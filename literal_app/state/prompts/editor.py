"""The prompt library's version editor (``/prompts/new`` and ``/prompts/<id>/new-version``): the
Playground's template editor (``TemplateEditorMixin``) with provider, model and settings, a required
changelog, "promote", and the diff against the version it starts from. Saving goes through the
Playground's save service, so both places make versions the same way; versions are immutable, so an
edit always makes a new version."""

from __future__ import annotations

import reflex as rx

from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.errors import DomainError, Invalid
from literal_app.services.playground import editor, runs, saving, sources
from literal_app.services.prompts import prompts
from literal_app.services.providers.catalog import ALL_SETTINGS
from literal_app.state.playground.editor import SETTING_FIELDS, SchemaOption
from literal_app.state.prompts.views import DiffRow
from literal_app.state.session import SessionState
from literal_app.state.template_editor import TemplateEditorMixin

STARTER = [editor.editor_message("system", "You are a helpful assistant for {{product}}."),
           editor.editor_message("user", "{{question}}")]


def _kind(line: str) -> str:
    return {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")


class PromptEditorState(TemplateEditorMixin, SessionState):
    mode: str = "new"  # new | version
    lineage_id: str = ""
    prompt_name: str = ""
    base_version_id: str = ""
    base_label: str = ""
    provider: str = "openai"
    model: str = "gpt-4o-mini"
    settings: dict[str, str] = {}
    setting_fields: list[list[str]] = [list(f) for f in SETTING_FIELDS]
    schemas: list[SchemaOption] = []
    diff: list[DiffRow] = []
    error: str = ""
    load_error: str = ""

    @rx.event
    def load(self):
        if (stop := self.check_session()) is not None:
            return stop
        self.error = self.load_error = ""
        if not self.project_id or not self.allowed("prompts:write"):
            return None
        parts = self.router.url.path.strip("/").split("/")
        try:
            self.schemas = [SchemaOption(s.id, s.name) for s in self.call(score_schemas.list_score_schemas)]
            if len(parts) >= 3 and parts[-1] == "new-version":
                self._open_version(parts[1])
            else:
                self.mode, self.lineage_id, self.base_version_id, self.base_label = "new", "", "", ""
                self.prompt_name = ""
                self.provider, self.model, self.settings = "openai", "gpt-4o-mini", {}
                self.te_load(STARTER, {"product": "Acme", "question": "How do I reset my password?"}, [], {})
            self._refresh_diff()
        except DomainError as exc:
            self.load_error = exc.message
        return None

    def _open_version(self, lineage_id: str) -> None:
        latest = self.call(prompts.list_versions, lineage_id)
        if not latest:
            raise Invalid("This prompt has no version yet.")
        t = self.call(sources.from_prompt_version, latest[0].id)
        self.mode, self.lineage_id, self.prompt_name = "version", lineage_id, latest[0].name
        self.base_version_id, self.base_label = latest[0].id, f"v{latest[0].version}"
        self.provider, self.model = t.provider or "openai", t.model
        self.settings = {k: ",".join(v) if isinstance(v, list) else str(v) for k, v in t.settings.items()}
        self.te_load(t.messages, t.variables, t.tools, t.output)

    def _payload(self) -> tuple[list, dict, list]:
        if not self.provider.strip() or not self.model.strip():
            raise Invalid("Give the provider and model this prompt is written for.")
        output = self.te_output()
        if output["kind"] == "json_schema":
            output = {"kind": "json_schema", "schema": editor.parse_schema(self.te_schema_text)}
        settings = runs.clean_settings(self.provider.strip(), dict(self.settings))
        messages = self.te_messages_plain()
        for i, m in enumerate(messages, 1):
            if not str(m.get("content") or "").strip() and not m.get("images") and not m.get("tool_calls"):
                raise Invalid(f"Message {i} ({m.get('role')}) is empty: write its text or remove it.")
        return (messages, saving.stored_settings(self.provider.strip(), self.model.strip(), settings, output),
                editor.parse_tools(self.te_tools_text))

    def _refresh_diff(self) -> None:
        try:
            messages, settings, tools = self._payload()
            lines = self.call(saving.diff, self.base_version_id or None, messages, settings, tools)
        except DomainError:
            return  # the save button reports what is wrong; the preview keeps the last good diff
        self.diff = [DiffRow(_kind(line), line) for line in lines[2:]]

    def te_changed(self) -> None:
        self._refresh_diff()

    @rx.event
    def set_provider(self, value: str):
        self.provider = value.strip()
        self._refresh_diff()

    @rx.event
    def set_model(self, value: str):
        self.model = value.strip()
        self._refresh_diff()

    @rx.event
    def set_setting(self, name: str, value: str):
        if name in ALL_SETTINGS:
            self.settings = {**self.settings, name: value.strip()}
            self._refresh_diff()

    @rx.event
    def save(self, form: dict):
        try:
            messages, settings, tools = self._payload()
            saved = self.call(saving.save_version, messages=messages, settings=settings, tools=tools,
                              variables=dict(self.te_values), changelog=form.get("changelog", ""),
                              lineage_id=self.lineage_id or None, new_name=form.get("name", ""),
                              promote=bool(form.get("promote")))
        except DomainError as exc:
            self.error = exc.message
            return None
        if not saved.created:
            self.error = f"Nothing changed since {saved.name} v{saved.version}: edit the template to make a version."
            return None
        promoted = " and promoted (the only version served by name)" if saved.promoted else ""
        return [rx.toast.success(f"Saved {saved.name} v{saved.version}{promoted}."),
                rx.redirect(f"/prompts/{saved.lineage_id}?version={saved.version}")]

