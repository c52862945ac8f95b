"""The "Add to queue" dialog of the Logs pages: the selected rows of a table, every row matching
its filters (capped, as the dialog says), or the one thread/run/step/generation of a detail page."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from literal_app.services.annotation import filling, queues
from literal_app.services.kernel.errors import DomainError
from literal_app.services.logs.log_filters import LogFilters
from literal_app.state.session import SessionState, error_toast

CAP_TEXT = f"{filling.ADD_CAP:,}"


@dataclass(frozen=True)
class QueueOption:
    id: str
    name: str


class AddToQueueState(SessionState):
    open: bool = False
    table: str = ""  # a Logs table ("matching"/"selected"), or "" for one log of a detail page
    kind: str = "step"
    ids: list[str] = []
    filters: dict[str, str] = {}
    mode: str = "selected"  # selected | matching
    queue_options: list[QueueOption] = []
    queue_id: str = ""
    error: str = ""
    busy: bool = False

    def _open(self):
        try:
            found = self.call(queues.list_queues)
        except DomainError as exc:
            return error_toast(exc)
        self.queue_options = [QueueOption(q.id, q.name) for q in found]
        if self.queue_id not in {q.id for q in found}:
            self.queue_id = found[0].id if found else ""
        self.error, self.busy, self.open = "", False, True
        return None

    @rx.event
    def open_for_table(self, table: str, selected: list[str], filters: dict[str, str]):
        """From a Logs table: its selected rows, or (nothing selected) every matching row."""
        self.table, self.kind = table, filling.TABLE_KINDS.get(table, "step")
        self.ids, self.filters = list(selected), dict(filters)
        self.mode = "selected" if selected else "matching"
        return self._open()

    @rx.event
    def open_for_log(self, kind: str, log_id: str):
        """From a thread, run, step or generation page."""
        self.table, self.kind, self.ids, self.filters, self.mode = "", kind, [log_id], {}, "selected"
        return self._open()

    @rx.event
    def set_open(self, value: bool):
        self.open = value

    @rx.event
    def set_mode(self, value: str):
        self.mode = value if value in ("selected", "matching") else "selected"

    @rx.event
    def set_queue(self, value: str):
        self.queue_id = value

    @rx.event
    def submit(self, _form: dict | None = None):
        if not self.queue_id:
            self.error = "Choose a queue."
            return None
        try:
            if self.mode == "matching" and self.table:
                result = self.call(filling.add_matching, self.queue_id, self.table,
                                   LogFilters.from_params(self.filters))
            else:
                result = self.call(filling.add_items, self.queue_id, self.kind, self.ids)
        except DomainError as exc:
            self.error = exc.message
            return None
        self.open, self.error = False, ""
        name = next((q.name for q in self.queue_options if q.id == self.queue_id), "the queue")
        return rx.toast.success(result.message(name), close_button=True)
