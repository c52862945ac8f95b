"""Settings → Tags: the project's tag catalogue."""

from __future__ import annotations

import reflex as rx

from literal_app.services.kernel.errors import DomainError
from literal_app.services.logs import tags
from literal_app.services.logs.tags import TagRead
from literal_app.state.session import SessionState, error_toast


class TagsState(SessionState):
    tags: list[TagRead] = []
    error: str = ""

    @rx.event
    def load(self):
        self.error = ""
        if not self.project_id:
            return []
        return self._refresh()

    def _refresh(self) -> list:
        try:
            self.tags = self.call(tags.list_tags)
        except DomainError as exc:
            return [error_toast(exc)]
        return []

    @rx.event
    def add(self, form: dict):
        try:
            self.call(tags.add_tag, form.get("name", ""))
        except DomainError as exc:
            self.error = exc.message
            return None
        self.error = ""
        return [*self._refresh(), rx.set_value("new-tag-name", "")]

    @rx.event
    def delete(self, tag_id: str):
        try:
            self.call(tags.delete_tag, tag_id)
        except DomainError as exc:
            return error_toast(exc)
        return [*self._refresh(), rx.toast.success("Tag deleted.")]
