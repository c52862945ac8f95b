"""State of the Logs tables (threads, runs, generations, steps, scores) and of Users: the filter
values (mirrored in the URL so a view can be shared), one page of formatted rows, cursors,
the capped count and the bulk selection."""

from __future__ import annotations

from dataclasses import fields
from urllib.parse import urlencode

import reflex as rx

from literal_app.config import get_settings
from literal_app.services.kernel.errors import DomainError
from literal_app.services.logs import annotations, log_admin, log_lists
from literal_app.services.logs.log_filters import ALL_ENVIRONMENTS, DEFAULT_ENV_TABLES, URL_PARAMS, LogFilters
from literal_app.state.logs import column_prefs
from literal_app.state.logs.columns import RowView, to_view
from literal_app.state.session import SessionState, error_toast

ROUTES = {"threads": "/logs/threads", "runs": "/logs/runs", "generations": "/logs/generations",
          "steps": "/logs/steps", "scores": "/logs/scores", "users": "/users"}
EMPTY_FILTERS = {p: "" for p in URL_PARAMS.values()}
CHIP_LABELS = {  # the applied filters shown as chips (sort order is not a filter)
    "period": "Date", "from": "From", "to": "To", "q": "Search", "env": "Environment", "name": "Name",
    "tags": "Tags", "user": "User", "model": "Model", "provider": "Provider", "type": "Type", "error": "Errors",
    "dmin": "Min duration", "dmax": "Max duration", "tmin": "Min tokens", "tmax": "Max tokens",
    "cmin": "Min cost", "cmax": "Max cost", "score": "Score", "smin": "Min score", "smax": "Max score",
    "prompt": "Prompt version", "mkey": "Metadata key", "mval": "Metadata value", "target": "Target",
}
CHIP_VALUES = {("period", "1h"): "last hour", ("period", "24h"): "last 24 hours", ("period", "7d"): "last 7 days",
               ("period", "30d"): "last 30 days", ("period", "90d"): "last 90 days",
               ("period", "custom"): "custom range", ("error", "yes"): "with error",
               ("error", "no"): "without error", ("env", ALL_ENVIRONMENTS): "all, evaluation included"}
DEFAULT_ENV_CHIP = ["env", "Environment", "all but evaluation (default)"]  # judge calls stay out unless asked


def _filters_of(params: dict) -> LogFilters:
    return LogFilters.from_params(params)


class LogsState(SessionState):
    table: str = "threads"
    filters: dict[str, str] = dict(EMPTY_FILTERS)
    rows: list[RowView] = []
    start_cursor: str = ""
    end_cursor: str = ""
    has_next: bool = False
    has_previous: bool = False
    count_text: str = ""
    loading: bool = False
    error: str = ""
    selected: list[str] = []
    more_filters: bool = False
    bulk_tag: str = ""
    applied: dict[str, str] = dict(EMPTY_FILTERS)  # the filters of the rows shown (chips)
    prompt_label: str = ""  # "name vN" of the applied prompt-version filter, for its chip

    # Column choice per member and table, in the browser (see state/logs/column_prefs.py).
    column_prefs: str = rx.LocalStorage("{}", name="literal_log_columns", sync=True)
    columns_open: bool = False

    @rx.var
    def columns(self) -> list[list[str]]:
        """[key, header, sort, cell index] of the columns shown, in the member's order."""
        return column_prefs.visible(self.table, *column_prefs.load(self.column_prefs, self.member_id, self.table))

    @rx.var
    def column_choices(self) -> list[list[str]]:
        """[key, header, "1" when shown] of every column of the table, in the member's order."""
        return column_prefs.choices(self.table, *column_prefs.load(self.column_prefs, self.member_id, self.table))

    @rx.event
    def toggle_column(self, key: str):
        order, hidden = column_prefs.load(self.column_prefs, self.member_id, self.table)
        hidden = hidden - {key} if key in hidden else hidden | {key}
        if len(hidden) < len(order):
            self.column_prefs = column_prefs.store(self.column_prefs, self.member_id, self.table, order, hidden)

    @rx.event
    def move_column(self, key: str, delta: int):
        order, hidden = column_prefs.load(self.column_prefs, self.member_id, self.table)
        if key not in order:
            return
        i = order.index(key)
        j = max(0, min(len(order) - 1, i + int(delta)))
        order.insert(j, order.pop(i))
        self.column_prefs = column_prefs.store(self.column_prefs, self.member_id, self.table, order, hidden)

    @rx.event
    def reset_columns(self):
        self.column_prefs = column_prefs.reset(self.column_prefs, self.member_id, self.table)

    @rx.event
    def set_columns_open(self, value: bool):
        self.columns_open = value

    @rx.var
    def filtered(self) -> bool:
        return LogFilters.from_params(self.applied).active_count() > 0

    @rx.var
    def show_chips(self) -> bool:
        """Chips show when a filter applies, and always where the environment default does."""
        return self.filtered or self.table in DEFAULT_ENV_TABLES

    @rx.var
    def chips(self) -> list[list[str]]:
        """[key, label, value] of each applied filter (with the environment default, where it applies)."""
        named = {"prompt": self.prompt_label} if self.prompt_label else {}
        out = [[k, label, named.get(k) or CHIP_VALUES.get((k, self.applied.get(k, "")), self.applied.get(k, ""))]
               for k, label in CHIP_LABELS.items() if self.applied.get(k)]
        if self.table in DEFAULT_ENV_TABLES and not self.applied.get("env"):
            out.insert(0, DEFAULT_ENV_CHIP)
        return out

    @rx.event
    def remove_filter(self, key: str):
        """Clear one applied filter (a chip's ×) and show the rows again; the environment default's
        × includes the evaluation environment (``*``)."""
        drop = {key, "from", "to"} if key == "period" else {key}
        self.filters = {**self.filters, **{k: "" for k in drop if k in EMPTY_FILTERS}}
        if key == "env" and not self.applied.get("env") and self.table in DEFAULT_ENV_TABLES:
            self.filters = {**self.filters, "env": ALL_ENVIRONMENTS}
        yield from self._apply()

    @rx.var
    def snippet(self) -> str:
        return ('from literalai import LiteralClient\n\n'
                f'client = LiteralClient(api_key="<your API key>", url="{get_settings().base_url}")\n\n'
                '@client.step(type="run")\ndef answer(question: str) -> str:\n    return "Hello!"\n\n'
                'with client.thread(name="First conversation"):\n    answer("Hi")\n\nclient.flush()')

    @rx.event
    def open_table(self, table: str):
        """on_load: check the sign-in, read the filters from the URL and show the first page, all in
        one event, so the rows reach the browser in the same delta as the member and project."""
        if (stop := self.check_session()) is not None:
            return stop
        self.table = table
        params = dict(self.router.url.query_parameters)
        self.filters = {**EMPTY_FILTERS, **{k: v for k, v in params.items() if k in EMPTY_FILTERS}}
        self.applied = dict(self.filters)
        self._name_prompt()
        self.selected, self.rows, self.count_text, self.error = [], [], "", ""
        self.more_filters = False
        if not self.project_id:
            return
        yield from self._load()

    def _load(self, after: str = "", before: str = ""):
        self.loading = True
        try:
            page = self.call(log_lists.list_rows, self.table, _filters_of(self.filters),
                             after=after or None, before=before or None)
        except DomainError as exc:
            self.loading, self.error, self.rows = False, exc.message, []
            return
        self.error = ""
        self.rows = [to_view(self.table, r) for r in page.rows]
        self.start_cursor, self.end_cursor = page.start_cursor or "", page.end_cursor or ""
        self.has_next, self.has_previous = page.has_next, page.has_previous
        self.loading = False
        yield
        try:
            n, more = self.call(log_lists.count_rows, self.table, _filters_of(self.filters))
            self.count_text = f"{n:,}{'+' if more else ''} {self.table}"
        except DomainError:
            self.count_text = ""

    def _url(self) -> str:
        query = urlencode({k: v for k, v in self.filters.items() if v})
        return ROUTES[self.table] + "/" + (f"?{query}" if query else "")

    @rx.event
    def set_filter(self, key: str, value: str):
        if key in EMPTY_FILTERS:
            value = str(value or "")
            self.filters = {**self.filters, key: "" if value == "any" else value}

    @rx.event
    def set_period(self, value: str):
        self.filters = {**self.filters, "period": "" if value == "all" else value}
        if value != "custom":
            self.filters = {**self.filters, "from": "", "to": ""}
        yield from self._apply()

    def _name_prompt(self) -> None:
        version_id = self.applied.get("prompt", "")
        try:
            self.prompt_label = self.call(log_lists.prompt_version_label, version_id) if version_id else ""
        except DomainError:
            self.prompt_label = ""

    def _apply(self):
        self.selected, self.count_text, self.more_filters = [], "", False
        self.applied = dict(self.filters)
        self._name_prompt()
        yield rx.call_script(f"window.history.replaceState(null, '', {self._url()!r})")
        yield from self._load()

    @rx.event
    def apply(self, _form: dict | None = None):
        yield from self._apply()

    @rx.event
    def clear(self):
        self.filters = dict(EMPTY_FILTERS)
        yield from self._apply()

    @rx.event
    def sort_by(self, column: str):
        if not column:
            return
        same = self.filters.get("sort") == column
        direction = "ASC" if same and self.filters.get("dir", "") != "ASC" else ""
        self.filters = {**self.filters, "sort": column, "dir": direction}
        yield from self._apply()

    @rx.event
    def next_page(self):
        self.selected = []
        yield from self._load(after=self.end_cursor)

    @rx.event
    def previous_page(self):
        self.selected = []
        yield from self._load(before=self.start_cursor)

    @rx.event
    def toggle_more(self):
        self.more_filters = not self.more_filters

    @rx.event
    def toggle_row(self, row_id: str):
        self.selected = [s for s in self.selected if s != row_id] if row_id in self.selected \
            else [*self.selected, row_id]

    @rx.event
    def toggle_all(self):
        ids = [r.id for r in self.rows]
        self.selected = [] if set(ids) <= set(self.selected) else ids

    @rx.event
    def set_bulk_tag(self, value: str):
        self.bulk_tag = value

    @rx.event
    def tag_selected(self):
        kind = "thread" if self.table == "threads" else "step"
        try:
            self.call(annotations.change_tags, kind, self.selected, add=[self.bulk_tag])
        except DomainError as exc:
            return error_toast(exc)
        n, self.bulk_tag = len(self.selected), ""
        return [rx.toast.success(f"Tagged {n} row(s)."), LogsState.reload]

    @rx.event
    def delete_selected(self):
        try:
            if self.table == "threads":
                n = self.call(log_admin.delete_threads, self.selected)
            else:
                n = self.call(log_admin.delete_steps, self.selected)
        except DomainError as exc:
            return error_toast(exc)
        return [rx.toast.success(f"Deleted {n} {'threads' if self.table == 'threads' else 'steps'}."),
                LogsState.reload]

    @rx.event
    def reload(self):
        self.selected = []
        yield from self._load()


assert {f.name for f in fields(LogFilters)} == set(URL_PARAMS)  # every filter has a URL name
