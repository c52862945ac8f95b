"""Settings → General: the project's name and details."""

from __future__ import annotations

import reflex as rx

from literal_app.services.accounts import projects
from literal_app.services.kernel.errors import DomainError
from literal_app.state.fmt import when
from literal_app.state.session import (
    ProjectOption,
    SessionState,
    error_toast,
)


class GeneralState(SessionState):
    """``loaded`` gates the rename form: its input is keyed by the name (so it resets after a rename),
    and rendering it before ``load`` filled the name would remount it under the user's typing."""

    loaded: bool = False
    shown_name: str = ""
    created: str = ""
    error: str = ""

    @rx.event
    def load(self):
        if not self.project_id:
            return None
        try:
            p = self.call(projects.get_project)
        except DomainError as exc:
            return error_toast(exc)
        self.shown_name, self.created, self.error = p.name, when(p.created_at), ""
        self.loaded = True
        return None

    @rx.event
    def rename(self, form: dict):
        try:
            p = self.call(projects.rename_project, name=form.get("name", ""))
        except DomainError as exc:
            self.error = exc.message
            return None
        self.error = ""
        self.shown_name = self.project_name = p.name
        self.projects = [ProjectOption(o.id, p.name, o.role) if o.id == p.id else o for o in self.projects]
        return rx.toast.success("Project renamed.")
