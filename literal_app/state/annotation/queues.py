"""The queues list (/annotation-queues): counts, the create/edit dialog, delete."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from literal_app.services.annotation import queues
from literal_app.services.kernel.errors import DomainError
from literal_app.state.fmt import when
from literal_app.state.session import SessionState, error_toast


@dataclass(frozen=True)
class QueueView:
    id: str
    name: str
    description: str
    is_default: bool
    pending: str
    reviewed: str
    created_by: str
    created_at: str


def queue_view(q: queues.QueueRead) -> QueueView:
    return QueueView(q.id, q.name, q.description, q.is_default, f"{q.pending:,}", f"{q.reviewed:,}",
                     q.created_by or "—", when(q.created_at))


class QueuesState(SessionState):
    queues: list[QueueView] = []
    loaded: bool = False
    dialog_open: bool = False
    editing: str = ""  # queue id, or "" for a new queue
    name: str = ""
    description: str = ""
    error: str = ""

    @rx.event
    def load(self):
        if (stop := self.check_session()) is not None:
            return stop
        if not self.project_id:
            return None
        return self._refresh()

    def _refresh(self):
        try:
            self.queues = [queue_view(q) for q in self.call(queues.list_queues)]
        except DomainError as exc:
            return error_toast(exc)
        self.loaded = True
        return None

    @rx.event
    def new(self):
        self.editing, self.name, self.description, self.error, self.dialog_open = "", "", "", "", True

    @rx.event
    def edit(self, queue_id: str):
        q = next((q for q in self.queues if q.id == queue_id), None)
        if q is not None:
            self.editing, self.name, self.description, self.error, self.dialog_open = q.id, q.name, q.description, "", True

    @rx.event
    def set_dialog_open(self, value: bool):
        self.dialog_open = value

    @rx.event
    def set_name(self, value: str):
        self.name = value

    @rx.event
    def set_description(self, value: str):
        self.description = value

    @rx.event
    def save(self, _form: dict | None = None):
        try:
            if self.editing:
                self.call(queues.update_queue, self.editing, name=self.name, description=self.description)
            else:
                self.call(queues.create_queue, name=self.name, description=self.description)
        except DomainError as exc:
            self.error = exc.message
            return None
        self.dialog_open, self.error = False, ""
        return [rx.toast.success("Queue saved."), self._refresh()]

    @rx.event
    def delete(self, queue_id: str):
        try:
            gone = self.call(queues.delete_queue, queue_id)
        except DomainError as exc:
            return error_toast(exc)
        return [rx.toast.success(f"Deleted the queue {gone.name!r}; its logs and scores stay."), self._refresh()]
