"""Saving the Playground's template as a prompt version (new version or new prompt, changelog,
diff against the version it started from, promote), and the "With code" snippets."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from literal_app.services.kernel.errors import DomainError, Invalid
from literal_app.services.playground import editor, runs, saving
from literal_app.services.prompts import prompts
from literal_app.state.playground.editor import PlaygroundState


@dataclass
class LineageOption:
    id: str
    name: str


@dataclass
class DiffLine:
    text: str
    kind: str  # add | del | hunk | same


def _diff_rows(lines: list[str]) -> list[DiffLine]:
    out = []
    for line in lines[2:]:  # skip the ---/+++ header
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        out.append(DiffLine(line, kind))
    return out


class PlaygroundSaveState(PlaygroundState):
    save_open: bool = False
    save_mode: str = "version"  # version | new
    lineages: list[LineageOption] = []
    save_lineage_id: str = ""
    save_error: str = ""
    save_diff: list[DiffLine] = []
    code_open: bool = False
    code_python: str = ""
    code_typescript: str = ""
    code_note: str = ""

    def _payload(self) -> tuple[list, dict, list]:
        tab = self.tabs[0] if self.tabs else None
        if tab is None or not tab.provider:
            raise Invalid("Pick a provider and model in the first tab: they are saved with the prompt.")
        settings = runs.clean_settings(tab.provider, tab.settings)
        output = self.te_output()
        if output["kind"] == "json_schema":
            output = {"kind": "json_schema", "schema": editor.parse_schema(self.te_schema_text)}
        return (self.te_messages_plain(), saving.stored_settings(tab.provider, tab.model, settings, output),
                editor.parse_tools(self.te_tools_text))

    def _refresh_diff(self) -> None:
        messages, settings, tools = self._payload()
        base = self.origin.get("version_id") if self.origin.get("lineage_id") == self.save_lineage_id else None
        if not base and self.save_mode == "version" and self.save_lineage_id:
            latest = self.call(prompts.list_versions, self.save_lineage_id)
            base = latest[0].id if latest else None
        if self.save_mode == "new":
            base = None
        self.save_diff = _diff_rows(self.call(saving.diff, base, messages, settings, tools))

    @rx.event
    def open_save(self):
        try:
            self.lineages = [LineageOption(l.id, l.name) for l in self.call(prompts.list_lineages) if not l.deleted_at]
            self.save_lineage_id = self.origin.get("lineage_id") or (self.lineages[0].id if self.lineages else "")
            self.save_mode = "version" if self.save_lineage_id else "new"
            self.save_error = ""
            self._refresh_diff()
        except DomainError as exc:
            return error_toast_of(exc)
        self.save_open = True
        return None

    @rx.event
    def set_save_open(self, value: bool):
        self.save_open = value

    @rx.event
    def set_save_mode(self, mode: str):
        self.save_mode = mode if mode in ("version", "new") else "version"
        self._safe_diff()

    @rx.event
    def set_save_lineage(self, lineage_id: str):
        self.save_lineage_id = lineage_id
        self._safe_diff()

    def _safe_diff(self) -> None:
        try:
            self._refresh_diff()
            self.save_error = ""
        except DomainError as exc:
            self.save_error = exc.message

    @rx.event
    def save(self, form: dict):
        try:
            messages, settings, tools = self._payload()
            saved = self.call(saving.save_version, messages=messages, settings=settings, tools=tools,
                              variables=dict(self.te_values), changelog=form.get("changelog", ""),
                              lineage_id=self.save_lineage_id if self.save_mode == "version" else None,
                              new_name=form.get("name", ""), promote=bool(form.get("promote")))
        except DomainError as exc:
            self.save_error = exc.message
            return None
        self.save_open = False
        self.origin = {"kind": "prompt", "label": f"{saved.name} v{saved.version}", "version_id": saved.version_id,
                       "lineage_id": saved.lineage_id, "name": saved.name, "version": str(saved.version)}
        self._persist()
        if not saved.created:
            return rx.toast.info(f"Nothing changed since {saved.name} v{saved.version}: no new version saved.")
        promoted = " and promoted (now served by name)" if saved.promoted else ""
        return rx.toast.success(f"Saved {saved.name} v{saved.version}{promoted}.")

    @rx.event
    def open_code(self):
        name = self.origin.get("name") or ""
        version = int(self.origin["version"]) if self.origin.get("version", "").isdigit() else None
        snippets = saving.snippets(name or "my-prompt", version)
        self.code_note = "" if name else ("This draft is not saved as a prompt yet: save it (Save), then the "
                                          "snippet fetches it by its name. Until then it shows a placeholder name.")
        self.code_python, self.code_typescript = snippets["python"], snippets["typescript"]
        self.code_open = True

    @rx.event
    def set_code_open(self, value: bool):
        self.code_open = value


def error_toast_of(exc: DomainError):
    return rx.toast.error(exc.message, close_button=True)
