"""Settings → Score schemas: listing, creating, editing and deleting the schemas humans and
judges answer."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.errors import DomainError
from literal_app.state.session import SessionState, error_toast


@dataclass(frozen=True)
class SchemaView:
    id: str
    name: str
    type: str
    description: str
    summary: str


class ScoreSchemasState(SessionState):
    schemas: list[SchemaView] = []
    editing: str = ""  # schema id, "new", or "" (form closed)
    name: str = ""
    type: str = "categorical"
    description: str = ""
    categories: list[list[str]] = []  # [label, value, description]
    min_value: str = "0"
    max_value: str = "1"
    error: str = ""

    @rx.event
    def load(self):
        self.editing, self.error = "", ""
        if not self.project_id:
            return None
        return self._refresh()

    def _refresh(self):
        try:
            found = self.call(score_schemas.list_score_schemas)
        except DomainError as exc:
            return error_toast(exc)
        self.schemas = [SchemaView(s.id, s.name, s.type, s.description, ", ".join(
            f"{c.label} = {c.value:g}" for c in s.categories) if s.type == "categorical"
            else f"{s.min_value:g} to {s.max_value:g}") for s in found]
        return None

    @rx.event
    def new(self):
        self.editing, self.name, self.type, self.description, self.error = "new", "", "categorical", "", ""
        self.categories = [["bad", "0", ""], ["good", "1", ""]]
        self.min_value, self.max_value = "0", "1"

    @rx.event
    def edit(self, schema_id: str):
        try:
            s = self.call(score_schemas.get_score_schema, schema_id)
        except DomainError as exc:
            return error_toast(exc)
        self.editing, self.name, self.type, self.description, self.error = s.id, s.name, s.type, s.description, ""
        self.categories = [[c.label, f"{c.value:g}", c.description] for c in s.categories]
        self.min_value = f"{s.min_value:g}" if s.min_value is not None else "0"
        self.max_value = f"{s.max_value:g}" if s.max_value is not None else "1"
        return None

    @rx.event
    def cancel(self):
        self.editing = ""

    @rx.event
    def set_field(self, name: str, value: str):
        if name in ("name", "type", "description", "min_value", "max_value"):
            setattr(self, name, value)

    @rx.event
    def set_category(self, index: int, part: int, value: str):
        cats = [list(c) for c in self.categories]
        cats[index][part] = value
        self.categories = cats

    @rx.event
    def add_category(self):
        self.categories = [*self.categories, ["", str(len(self.categories)), ""]]

    @rx.event
    def remove_category(self, index: int):
        self.categories = [c for i, c in enumerate(self.categories) if i != index]

    @rx.event
    def save(self, _form: dict | None = None):
        kw = dict(name=self.name, type=self.type, description=self.description,
                  categories=[{"label": c[0], "value": c[1], "description": c[2]} for c in self.categories],
                  min_value=self.min_value, max_value=self.max_value)
        try:
            if self.editing == "new":
                self.call(score_schemas.create_score_schema, **kw)
            else:
                self.call(score_schemas.update_score_schema, self.editing, **kw)
        except DomainError as exc:
            self.error = exc.message
            return None
        self.editing, self.error = "", ""
        return self._refresh() or rx.toast.success("Score schema saved.")

    @rx.event
    def delete(self, schema_id: str):
        try:
            self.call(score_schemas.delete_score_schema, schema_id)
        except DomainError as exc:
            return error_toast(exc)
        return self._refresh() or rx.toast.success("Score schema deleted.")


S = ScoreSchemasState
