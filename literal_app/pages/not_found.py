"""The page for an address the app does not know: inside the app's layout (sidebar, theme), with
a way back, instead of a bare "404: Page not found" on a white page."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.ui import not_found_view
from literal_app.state.session import SessionState


@rx.page(route="404", title="Page not found · literal_app", on_load=SessionState.guard)
def not_found_page() -> rx.Component:
    return layout(
        not_found_view("There is no page at this address. It may have moved, or the link may be mistyped."),
        title="Page not found",
        scope="project:read",
    )
