"""A dataset's page: its items a page at a time (search, bulk delete), the item editor (JSON or
YAML) and the export links. Import and "Run experiment" have their own states."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import reflex as rx
import yaml

from literal_app.services.datasets import datasets, item_admin
from literal_app.services.datasets import dataset_items
from literal_app.services.kernel.errors import DomainError, Invalid
from literal_app.state.datasets.catalog import TYPE_LABELS
from literal_app.state.fmt import when
from literal_app.state.session import SessionState, error_toast

PAGE = 50
PREVIEW = 160


@dataclass(frozen=True)
class ItemRow:
    id: str
    input: str
    expected: str
    metadata: str
    step_id: str
    created: str


def short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= PREVIEW else text[:PREVIEW] + "…"


def dump(value: Any, fmt: str) -> str:
    if value in (None, {}) and fmt == "yaml":
        return ""
    if fmt == "yaml":
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)
    return "" if value in (None, {}) else json.dumps(value, indent=2, ensure_ascii=False)


def parse(text: str, fmt: str, what: str) -> Any:
    """The editor's text as a value (empty = none), or ``Invalid`` saying where it is wrong."""
    if not text.strip():
        return None
    try:
        return yaml.safe_load(text) if fmt == "yaml" else json.loads(text)
    except json.JSONDecodeError as exc:
        raise Invalid(f"{what}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}.")
    except yaml.YAMLError as exc:
        raise Invalid(f"{what}: invalid YAML ({str(exc).splitlines()[0]}).")


class DatasetState(SessionState):
    dataset_id: str = ""
    name: str = ""
    description: str = ""
    type: str = ""
    type_label: str = ""
    item_count: int = 0
    experiment_count: int = 0
    rows: list[ItemRow] = []
    total: int = 0
    offset: int = 0
    search: str = ""
    selected: list[str] = []
    editor_open: bool = False
    editing_id: str = ""
    fmt: str = "json"
    ed_input: str = ""
    ed_expected: str = ""
    ed_metadata: str = ""
    error: str = ""

    @rx.var
    def page_text(self) -> str:
        if not self.total:
            return ""
        return f"{self.offset + 1:,}–{min(self.offset + PAGE, self.total):,} of {self.total:,} items"

    @rx.var
    def export_jsonl(self) -> str:
        return f"/api/datasets/{self.dataset_id}/export?format=jsonl&project={self.project_id}"

    @rx.var
    def export_openai(self) -> str:
        return f"/api/datasets/{self.dataset_id}/export?format=openai&project={self.project_id}"

    @rx.event
    def load(self):
        self.dataset_id = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.offset, self.search, self.selected = 0, "", []
        if self.project_id:
            return self._fill()

    def _fill(self):
        try:
            d = self.call(datasets.get_dataset, self.dataset_id)
            page = self.call(item_admin.list_items_page, self.dataset_id, offset=self.offset, limit=PAGE,
                             search=self.search or None)
        except DomainError as exc:
            self.name = ""
            return error_toast(exc)
        self.name, self.description, self.type = d.name, d.description or "", d.type
        self.type_label, self.item_count, self.experiment_count = TYPE_LABELS.get(d.type, d.type), d.item_count, \
            d.experiment_count
        self.total = page.total
        self.rows = [ItemRow(i.id, short(i.input), short(i.expected_output), short(i.metadata or {}),
                             i.step_id or "", when(i.created_at)) for i in page.items]
        return None

    @rx.event
    def set_search(self, value: str):
        self.search, self.offset, self.selected = value, 0, []
        return self._fill()

    @rx.event
    def next_page(self):
        if self.offset + PAGE < self.total:
            self.offset, self.selected = self.offset + PAGE, []
            return self._fill()

    @rx.event
    def previous_page(self):
        self.offset, self.selected = max(0, self.offset - PAGE), []
        return self._fill()

    @rx.event
    def toggle(self, item_id: str):
        self.selected = [s for s in self.selected if s != item_id] if item_id in self.selected \
            else [*self.selected, item_id]

    @rx.event
    def toggle_all(self):
        ids = [r.id for r in self.rows]
        self.selected = [] if set(ids) <= set(self.selected) else ids

    @rx.event
    def delete_selected(self):
        try:
            n = self.call(item_admin.delete_items, self.dataset_id, self.selected)
        except DomainError as exc:
            return error_toast(exc)
        self.selected = []
        return [rx.toast.success(f"Deleted {n} item(s)."), DatasetState.refresh]

    @rx.event
    def refresh(self):
        return self._fill()

    # --- the item editor ---------------------------------------------------------------------

    @rx.event
    def new_item(self):
        self.editing_id, self.error, self.editor_open = "", "", True
        self.ed_input, self.ed_expected, self.ed_metadata = dump({"question": ""}, self.fmt), "", ""

    @rx.event
    def edit_item(self, item_id: str):
        try:
            item = self.call(dataset_items.get_item, item_id)
        except DomainError as exc:
            return error_toast(exc)
        if item is None:
            return rx.toast.error("This item no longer exists.")
        self.editing_id, self.error, self.editor_open = item_id, "", True
        self.ed_input, self.ed_expected = dump(item.input, self.fmt), dump(item.expected_output, self.fmt)
        self.ed_metadata = dump(item.metadata or {}, self.fmt)

    @rx.event
    def set_fmt(self, fmt: str | list[str]):
        """Switch JSON <-> YAML, converting what is typed (left as is when it does not parse)."""
        fmt = fmt if isinstance(fmt, str) else (fmt[0] if fmt else "json")
        try:
            values = [parse(t, self.fmt, w) for t, w in ((self.ed_input, "Input"), (self.ed_expected, "Expected"),
                                                         (self.ed_metadata, "Metadata"))]
        except Invalid as exc:
            self.error = exc.message
            return
        self.fmt, self.error = fmt, ""
        self.ed_input, self.ed_expected, self.ed_metadata = (dump(v, fmt) for v in values)

    @rx.event
    def set_editor_open(self, value: bool):
        self.editor_open = value

    @rx.event
    def set_ed(self, field: str, value: str):
        setattr(self, {"input": "ed_input", "expected": "ed_expected", "metadata": "ed_metadata"}[field], value)

    @rx.event
    def save_item(self):
        try:
            inp = parse(self.ed_input, self.fmt, "Input")
            expected = parse(self.ed_expected, self.fmt, "Expected output")
            meta = parse(self.ed_metadata, self.fmt, "Metadata")
            if self.editing_id:
                self.call(item_admin.update_item, self.editing_id, input=inp, expected_output=expected, metadata=meta)
            else:
                self.call(dataset_items.create_item, dataset_id=self.dataset_id, input=inp, expected_output=expected,
                          metadata=meta)
        except DomainError as exc:
            self.error = exc.message
            return None
        self.editor_open, self.error = False, ""
        return [rx.toast.success("Item saved."), DatasetState.refresh]
