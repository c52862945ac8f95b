"""Settings → API keys: create a named key (shown once), list, revoke. Hidden from roles
without the ``secrets:read`` scope (Domain Experts)."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from literal_app.auth.rbac import parse_role, role_label
from literal_app.components.layout import layout
from literal_app.components.ui import choice, confirm, empty_row, form_error, secret_box, section_card
from literal_app.pages.fmt import when
from literal_app.services import api_keys
from literal_app.services.errors import DomainError, Invalid
from literal_app.state.session import SessionState, can, error_toast, guarded

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


def _create_form() -> rx.Component:
    return section_card(
        "Create a key",
        rx.form(
            rx.vstack(
                rx.hstack(
                    rx.input(name="name", id="new-key-name", placeholder="Key name, e.g. production",
                             width="280px", aria_label="Key name"),
                    choice(ROLE_CHOICES, "Key role", name="role", default_value="AI Engineer"),
                    rx.button("Create key", type="submit"),
                    spacing="2", align="center", wrap="wrap",
                ),
                form_error(ApiKeysState.error),
                spacing="2",
            ),
            on_submit=ApiKeysState.create,
        ),
        rx.cond(
            ApiKeysState.new_key != "",
            rx.vstack(
                rx.callout(rx.text("Key ", rx.text.strong(ApiKeysState.new_key_name),
                                   " created. Copy it now: it is not shown again."),
                           icon="circle_check", color_scheme="green", width="100%"),
                secret_box(ApiKeysState.new_key, "Use it as LITERAL_API_KEY or LiteralClient(api_key=...)."),
                width="100%", spacing="2",
            ),
        ),
        description="A key acts with the role you give it; it cannot get more rights than yours.",
    )


def _row(k: KeyRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(k.name, class_name="key-name"),
        rx.table.cell(rx.code(k.prefix)),
        rx.table.cell(k.role),
        rx.table.cell(k.created_by),
        rx.table.cell(k.created_at),
        rx.table.cell(k.last_used),
        rx.table.cell(rx.cond(can("secrets:write"), confirm(
            rx.button("Revoke", size="1", variant="soft", color_scheme="red"),
            "Revoke this key?", "Applications using " + k.name + " (" + k.prefix
            + ") will get 401 errors at once. This cannot be undone.",
            "Revoke key", ApiKeysState.revoke(k.id)))),
        class_name="key-row",
    )


def _table() -> rx.Component:
    heads = ["Name", "Prefix", "Role", "Created by", "Created", "Last used", ""]
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in heads])),
        rx.table.body(rx.cond(ApiKeysState.keys.length() == 0, empty_row("No API keys yet.", 7),
                              rx.foreach(ApiKeysState.keys, _row))),
        width="100%", variant="surface",
    )


@rx.page(route="/settings/api-keys", title="API keys · literal_app", on_load=guarded(ApiKeysState.load))
def api_keys_page() -> rx.Component:
    return layout(
        rx.cond(can("secrets:write"), _create_form()),
        _table(),
        title="API keys",
        scope="secrets:read",
    )
