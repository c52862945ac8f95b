"""Settings → API keys: creating (shown once), listing and revoking project keys."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from literal_app.auth.rbac import parse_role, role_label
from literal_app.services.accounts import api_keys
from literal_app.services.kernel.errors import DomainError, Invalid
from literal_app.state.fmt import when
from literal_app.state.session import SessionState, error_toast

ROLE_CHOICES = ["AI Engineer", "Admin", "Domain Expert"]


@dataclass(frozen=True)
class KeyRow:
    id: str
    name: str
    prefix: str
    role: str
    created_by: str
    created_at: str
    last_used: str


class ApiKeysState(SessionState):
    keys: list[KeyRow] = []
    error: str = ""
    new_key: str = ""
    new_key_name: str = ""

    @rx.event
    def load(self):
        self.new_key = self.new_key_name = self.error = ""
        if not self.project_id or not self.allowed("secrets:read"):
            self.keys = []
            return None
        return self._refresh()

    def _refresh(self) -> list:
        """Reload the list; returns the events to send (an error toast, or nothing)."""
        try:
            rows = self.call(api_keys.list_api_keys)
        except DomainError as exc:
            return [error_toast(exc)]
        self.keys = [KeyRow(k.id, k.name, k.prefix + "…", role_label(k.role), k.created_by or "CLI",
                            when(k.created_at), when(k.last_used_at)) for k in rows]
        return []

    @rx.event
    def create(self, form: dict):
        name = form.get("name") or ""
        try:
            try:
                role = parse_role(form.get("role") or "AI Engineer")
            except ValueError as exc:
                raise Invalid(str(exc)) from exc
            row, key = self.call(api_keys.create_api_key, project_id=self.project_id, name=name, role=role)
        except DomainError as exc:
            self.error = exc.message
            return None
        self.error, self.new_key, self.new_key_name = "", key, row.name
        return [*self._refresh(), rx.set_value("new-key-name", "")]

    @rx.event
    def revoke(self, key_id: str):
        try:
            self.call(api_keys.revoke_api_key, key_id)
        except DomainError as exc:
            return error_toast(exc)
        self.new_key = ""
        return [*self._refresh(), rx.toast.success("API key revoked: requests using it now fail.")]
