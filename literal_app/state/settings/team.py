"""Settings → Team: members, invites and roles."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from literal_app.auth.rbac import role_label
from literal_app.config import get_settings
from literal_app.services.accounts import team
from literal_app.services.kernel.errors import DomainError
from literal_app.state.fmt import when
from literal_app.state.session import SessionState, error_toast

ROLE_CHOICES = ["Admin", "AI Engineer", "Domain Expert"]


@dataclass(frozen=True)
class TeamRow:
    membership_id: str
    name: str
    email: str
    role: str
    pending: bool
    added: str


def invite_url(token: str) -> str:
    return f"{get_settings().base_url}/invite/{token}"


class TeamState(SessionState):
    rows: list[TeamRow] = []
    error: str = ""
    invite_link: str = ""
    invite_for: str = ""

    @rx.event
    def load(self):
        self.error = self.invite_link = self.invite_for = ""
        return self._refresh() if self.project_id else []

    def _refresh(self) -> list:
        try:
            members = self.call(team.list_team)
        except DomainError as exc:
            return [error_toast(exc)]
        self.rows = [TeamRow(m.membership_id, m.name, m.email, role_label(m.role), m.pending_invite,
                             when(m.added_at)) for m in members]
        return []

    @rx.event
    def add(self, form: dict):
        try:
            row, token = self.call(team.add_member, email=form.get("email", ""),
                                   role=form.get("role") or "AI Engineer", name=form.get("name") or None)
        except DomainError as exc:
            self.error = exc.message
            return None
        self.error = ""
        self.invite_link, self.invite_for = (invite_url(token), row.email) if token else ("", "")
        done = rx.toast.success(f"{row.email} added as {role_label(row.role)}.")
        return [*self._refresh(), done, rx.set_value("add-member-email", ""), rx.set_value("add-member-name", "")]

    @rx.event
    def change_role(self, membership_id: str, role: str):
        try:
            self.call(team.change_role, membership_id, role)
        except DomainError as exc:
            return [*self._refresh(), error_toast(exc)]
        return [*self._refresh(), rx.toast.success(f"Role changed to {role}.")]

    @rx.event
    def remove(self, membership_id: str):
        try:
            self.call(team.remove_member, membership_id)
        except DomainError as exc:
            return error_toast(exc)
        return [*self._refresh(), rx.toast.success("Member removed from the project.")]

    @rx.event
    def reinvite(self, membership_id: str):
        row = next((r for r in self.rows if r.membership_id == membership_id), None)
        try:
            token = self.call(team.new_invite, membership_id)
        except DomainError as exc:
            return error_toast(exc)
        self.invite_link, self.invite_for = invite_url(token), row.email if row else ""
        return None
