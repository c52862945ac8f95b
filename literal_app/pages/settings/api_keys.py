"""Settings → API keys: create a named key (shown once), list, revoke. Hidden from roles
without the ``secrets:read`` scope (Domain Experts)."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.ui import (
    choice,
    confirm,
    empty_row,
    form_error,
    secret_box,
    section_card,
)
from literal_app.state.session import can, guarded
from literal_app.state.settings.api_keys import ROLE_CHOICES, ApiKeysState, KeyRow


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
