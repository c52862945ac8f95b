"""The Playground's template and tabs: opened fresh (examples), from a prompt version or from a
logged generation; every edit is saved as the member's draft so a reload loses nothing."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

import reflex as rx

from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.errors import DomainError
from literal_app.services.playground import drafts, sources
from literal_app.services.providers import credentials
from literal_app.services.providers.catalog import accepted_settings
from literal_app.state.session import SessionState, error_toast
from literal_app.state.template_editor import TemplateEditorMixin

MAX_TABS = 4
SETTING_FIELDS = [("temperature", "Temperature", "0-2"), ("max_tokens", "Max tokens", "e.g. 1024"),
                  ("top_p", "Top P", "0-1"), ("frequency_penalty", "Frequency penalty", "-2-2"),
                  ("presence_penalty", "Presence penalty", "-2-2"), ("stop", "Stop sequences", "comma separated, max 4")]


@dataclass
class CredOption:
    id: str
    label: str
    provider: str
    models: list[str] = field(default_factory=list)


@dataclass
class Tab:
    id: str
    credential_id: str = ""
    provider: str = ""
    model: str = ""
    models: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)


@dataclass
class SchemaOption:
    id: str
    name: str


def _plain(value):
    """The object behind a Reflex MutableProxy (a wrapt proxy), for JSON encoding."""
    inner = getattr(value, "__wrapped__", None)
    if inner is None:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")
    return inner


class PlaygroundState(TemplateEditorMixin, SessionState):
    creds: list[CredOption] = []
    tabs: list[Tab] = []
    schemas: list[SchemaOption] = []
    origin: dict[str, str] = {}
    examples: list[str] = list(sources.EXAMPLES)
    load_error: str = ""

    @rx.var
    def origin_label(self) -> str:
        return self.origin.get("label", "")

    # --- loading -----------------------------------------------------------------------------

    @rx.event
    def load(self):
        if (stop := self.check_session()) is not None:
            return stop
        self.load_error = ""
        path = self.router.url.path.strip("/").split("/")
        if len(path) == 3 and path[0] == "projects":  # the SDKs' prompt.url: /projects/<id>/playground?name=
            project = next((p for p in self.projects if p.id == path[1]), None)
            if project is None:
                self.load_error = "This link is for a project you are not a member of."
                return None
            self._select(project)
        if not self.project_id or not self.allowed("prompts:read"):
            return None
        try:
            self.creds = [CredOption(c.id, f"{c.name} · {c.provider_label}", c.provider, c.models)
                          for c in self.call(credentials.list_credentials)] if self.allowed("secrets:read") else []
            self.schemas = [SchemaOption(s.id, s.name) for s in self.call(score_schemas.list_score_schemas)]
            return self._open(self.router.url.query_parameters)
        except DomainError as exc:
            self.load_error = exc.message
            return error_toast(exc)

    def _open(self, params: dict) -> list:
        """Open what the URL names (a version, a generation, an example), else the saved draft."""
        template = None
        if params.get("prompt_version"):
            template = self.call(sources.from_prompt_version, params["prompt_version"])
        elif params.get("name"):
            version = int(params["version"]) if str(params.get("version", "")).isdigit() else None
            template = self.call(sources.from_prompt_version,
                                 self.call(sources.prompt_version_id, params["name"], version))
        elif params.get("generation"):
            template = self.call(sources.from_generation, params["generation"])
        if template is not None:
            self._apply(template)
            self._persist()
            return [rx.redirect("/playground", replace=True)]  # a reload then shows the draft
        draft = self.call(drafts.load_draft)
        if draft:
            self._restore(draft)
        else:
            self._apply(sources.EXAMPLES["Support answer"])
        return []

    def _apply(self, t: sources.Template) -> None:
        self.te_load(t.messages, t.variables, t.tools, t.output)
        self.origin = {k: str(v) for k, v in t.origin.items()} or {"kind": "example", "label": "an example"}
        cred = next((c for c in self.creds if c.provider == t.provider), None) or (self.creds[0] if self.creds else None)
        self.tabs = [self._tab(cred, t.model if cred and cred.provider == t.provider else "",
                               {k: ",".join(v) if isinstance(v, list) else str(v) for k, v in t.settings.items()})]

    def _tab(self, cred: CredOption | None, model: str = "", settings: dict | None = None) -> Tab:
        if cred is None:
            return Tab(uuid.uuid4().hex[:8], settings=settings or {}, accepted=list(accepted_settings("")))
        model = model or (cred.models[0] if cred.models else "")
        models = cred.models if model in cred.models or not model else [model, *cred.models]
        return Tab(uuid.uuid4().hex[:8], cred.id, cred.provider, model, models, list(accepted_settings(cred.provider)),
                   settings or {})

    def _restore(self, d: dict) -> None:
        self.te_load(d.get("messages") or [], d.get("values") or {}, [], d.get("output") or {})
        self.te_tools_text = d.get("tools_text") or ""
        self.te_tool_choice = d.get("tool_choice") or "auto"
        self.origin = d.get("origin") or {"kind": "example", "label": "an example"}
        tabs = []
        for t in d.get("tabs") or []:
            cred = next((c for c in self.creds if c.id == t.get("credential_id")), None)
            tabs.append(self._tab(cred, t.get("model", ""), t.get("settings") or {}))
        self.tabs = tabs or [self._tab(self.creds[0] if self.creds else None)]

    def _persist(self) -> None:
        data = {"messages": self.te_messages_plain(), "values": self.te_values, "tools_text": self.te_tools_text,
                "tool_choice": self.te_tool_choice,
                "output": self.te_output(), "origin": self.origin,
                "tabs": [{"credential_id": t.credential_id, "model": t.model, "settings": t.settings} for t in self.tabs]}
        data = json.loads(json.dumps(data, default=_plain))  # state values arrive wrapped in Reflex proxies
        try:
            self.call(drafts.save_draft, data)
        except DomainError:
            pass  # the draft is a convenience: the page keeps working (the error shows on save)

    def te_changed(self) -> None:
        self._persist()

    # --- examples and tabs ---------------------------------------------------------------------

    @rx.event
    def open_example(self, name: str):
        if name in sources.EXAMPLES:
            self._apply(sources.EXAMPLES[name])
            self._persist()

    @rx.event
    def add_tab(self):
        if len(self.tabs) >= MAX_TABS:
            return rx.toast.error(f"At most {MAX_TABS} tabs.", close_button=True)
        base = self.tabs[-1] if self.tabs else None
        cred = next((c for c in self.creds if base and c.id == base.credential_id), None) or (
            self.creds[0] if self.creds else None)
        self.tabs = [*self.tabs, self._tab(cred, base.model if base else "", dict(base.settings) if base else {})]
        self._persist()
        return None

    @rx.event
    def remove_tab(self, tab_id: str):
        if len(self.tabs) > 1:
            self.tabs = [t for t in self.tabs if t.id != tab_id]
            self._persist()

    def _replace_tab(self, tab_id: str, tab: Tab) -> None:
        self.tabs = [tab if t.id == tab_id else t for t in self.tabs]
        self._persist()

    @rx.event
    def set_tab_credential(self, tab_id: str, cred_id: str):
        cred = next((c for c in self.creds if c.id == cred_id), None)
        old = next((t for t in self.tabs if t.id == tab_id), None)
        if cred is not None and old is not None:
            tab = self._tab(cred, "", old.settings)
            tab.id = tab_id
            self._replace_tab(tab_id, tab)

    @rx.event
    def set_tab_model(self, tab_id: str, model: str):
        tab = next((t for t in self.tabs if t.id == tab_id), None)
        if tab is not None:
            self._replace_tab(tab_id, Tab(**{**tab.__dict__, "model": model}))

    @rx.event
    def set_tab_setting(self, tab_id: str, name: str, value: str):
        tab = next((t for t in self.tabs if t.id == tab_id), None)
        if tab is not None:
            self._replace_tab(tab_id, Tab(**{**tab.__dict__, "settings": {**tab.settings, name: value.strip()}}))
