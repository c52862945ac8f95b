"""One prompt's page (``/prompts/<lineage id>``): the default version rendered, the versions table
with per-version results, the diff of two selected versions, tags, deprecation, the A/B rollout
editor and its history, "With code" snippets and deleting the prompt."""

from __future__ import annotations

import reflex as rx

from literal_app.services.kernel.errors import DomainError, Invalid
from literal_app.services.playground import saving
from literal_app.services.prompts import library, prompt_diff, prompt_results, prompt_rollouts
from literal_app.services.prompts.prompt_diff import output_type
from literal_app.state.dashboard.charts import NO_FIGURE
from literal_app.state.fmt import counted, when
from literal_app.state.prompts.views import (
    DiffRow,
    MessageView,
    ResultRow,
    VersionRow,
    daily_figure,
    diff_rows,
    message_views,
    result_rows,
    settings_rows,
    tools_text,
    version_rows,
)
from literal_app.state.session import SessionState, error_toast
from literal_app.models.types import utcnow


class PromptState(SessionState):
    lineage_id: str = ""
    name: str = ""
    tags: list[str] = []
    deleted_via_api: bool = False
    not_found: str = ""
    shown_id: str = ""
    shown_label: str = ""
    shown_messages: list[MessageView] = []
    shown_settings: list[list[str]] = []
    shown_tools: str = ""
    shown_output: str = ""
    versions: list[VersionRow] = []
    score_names: list[str] = []
    results: list[ResultRow] = []
    figure: dict = NO_FIGURE
    history: list[list[str]] = []  # [when, who, from, to]
    selected: list[str] = []
    diff_title: str = ""
    diff_messages: list[DiffRow] = []
    diff_settings: list[list[str]] = []
    diff_tools: list[DiffRow] = []
    diff_output: list[str] = []
    rollout_open: bool = False
    rollout_values: dict[str, str] = {}
    rollout_error: str = ""
    code_python: str = ""
    code_typescript: str = ""

    @rx.var
    def rollout_total(self) -> str:
        total = 0.0
        for value in self.rollout_values.values():
            try:
                total += float(value or 0)
            except ValueError:
                return "?"
        return f"{total:g}"

    @rx.event
    def load(self):
        if (stop := self.check_session()) is not None:
            return stop
        if not self.project_id or not self.allowed("prompts:view"):
            return None
        self.lineage_id = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.selected, self.diff_title, self.not_found = [], "", ""
        return self._refresh(self.router.url.query_parameters.get("version", ""))

    def _refresh(self, version: str = ""):
        try:
            detail = self.call(prompt_results.get_prompt_detail, self.lineage_id)
            results = self.call(prompt_results.get_prompt_results, self.lineage_id)
        except DomainError as exc:
            self.not_found, self.name = exc.message, ""
            return None
        self.name, self.tags, self.deleted_via_api = detail.name, detail.tags, detail.deleted_via_api
        self.score_names = results.score_names
        self.versions = version_rows(detail.versions, detail.authors, detail.rollout, results)
        self.results = result_rows(results)
        self.figure = daily_figure(results, utcnow().date())
        self.history = [[when(h.changed_at), h.changed_by, _split(h.before), _split(h.after)] for h in detail.history]
        by_number = {str(v.version): v for v in detail.versions}
        top = max(detail.rollout, key=lambda p: p[1])[0] if detail.rollout else None
        shown = by_number.get(version) or by_number.get(str(top)) or (detail.versions[0] if detail.versions else None)
        self._show(shown)
        snippets = saving.snippets(detail.name, None)
        self.code_python, self.code_typescript = snippets["python"], snippets["typescript"]
        return None

    def _show(self, v) -> None:
        self.shown_id = v.id if v else ""
        self.shown_label = f"v{v.version}" if v else ""
        self.shown_messages = message_views(v.template_messages) if v else []
        self.shown_settings = settings_rows(v.settings) if v else []
        self.shown_tools = tools_text(v)
        self.shown_output = output_type(v.settings) if v else ""

    @rx.event
    def show_version(self, version: int):
        return self._refresh(str(version))

    # --- diff --------------------------------------------------------------------------------

    @rx.event
    def toggle_select(self, version_id: str):
        chosen = [i for i in self.selected if i != version_id]
        if len(chosen) == len(self.selected):
            chosen = (chosen + [version_id])[-2:]
        self.selected = chosen
        if len(chosen) < 2:
            self.diff_title = ""
            return None
        try:
            d = self.call(prompt_diff.diff_versions, chosen[0], chosen[1])
        except DomainError as exc:
            return error_toast(exc)
        self.diff_title = f"v{d.old_version} → v{d.new_version}"
        self.diff_messages, self.diff_tools = diff_rows(d.messages), diff_rows(d.tools)
        self.diff_settings = [[c.key, c.old, c.new] for c in d.settings]
        self.diff_output = [d.old_output, d.new_output] if d.old_output != d.new_output else []
        return None

    @rx.event
    def clear_selection(self):
        self.selected, self.diff_title = [], ""

    # --- tags, deprecation, delete ------------------------------------------------------------

    @rx.event
    def add_tag(self, form: dict):
        try:
            self.tags = self.call(library.set_tags, self.lineage_id, add=[form.get("tag", "")])
        except DomainError as exc:
            return error_toast(exc)
        return rx.set_value("new-prompt-tag", "")

    @rx.event
    def remove_tag(self, tag: str):
        try:
            self.tags = self.call(library.set_tags, self.lineage_id, remove=[tag])
        except DomainError as exc:
            return error_toast(exc)
        return None

    @rx.event
    def set_deprecated(self, version_id: str, value: bool):
        try:
            self.call(library.set_deprecated, version_id, value)
        except DomainError as exc:
            return error_toast(exc)
        self._refresh(self.shown_label.lstrip("v"))
        return rx.toast.success("Version deprecated: name-only get_prompt no longer serves it." if value
                                else "Version restored.")

    @rx.event
    def delete(self):
        try:
            gone = self.call(library.delete_prompt, self.lineage_id)
        except DomainError as exc:
            return error_toast(exc)
        return [rx.toast.success(f"Deleted {gone.name} ({counted(gone.versions, 'version')}); generations "
                                 f"unlinked from it, their messages kept: {gone.generations_unlinked:,}."),
                rx.redirect("/prompts")]

    # --- rollout ------------------------------------------------------------------------------

    @rx.event
    def open_rollout(self):
        self.rollout_values = {v.id: v.rollout.rstrip("%") if v.rollout != "–" else ""
                               for v in self.versions if not v.deprecated}
        self.rollout_error, self.rollout_open = "", True

    @rx.event
    def set_rollout_open(self, value: bool):
        self.rollout_open = value

    @rx.event
    def set_share(self, version_id: str, value: str):
        self.rollout_values = {**self.rollout_values, version_id: value.strip()}

    @rx.event
    def save_rollout(self):
        try:
            shares = {vid: _percent(value) for vid, value in self.rollout_values.items() if value not in ("", "0")}
            self.call(prompt_rollouts.set_rollout, self.lineage_id, shares)
        except DomainError as exc:
            self.rollout_error = exc.message
            return None
        self.rollout_open = False
        self._refresh(self.shown_label.lstrip("v"))
        return rx.toast.success("Rollout saved: get_prompt serves the new split now.")


def _percent(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise Invalid(f"{value!r} is not a percentage: write a number between 0 and 100.") from None


def _split(pairs: list[tuple[int, float]]) -> str:
    return ", ".join(f"v{v} {p:g}%" for v, p in pairs) or "none"
