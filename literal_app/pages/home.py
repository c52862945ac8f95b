"""``/``: sends a signed-in member to the first sidebar entry their role may open."""

from __future__ import annotations

import reflex as rx

from literal_app.components import nav
from literal_app.components.layout import layout
from literal_app.state.session import SessionState, guarded


class HomeState(SessionState):
    @rx.event
    def go(self):
        if not self.project_id:
            return None
        for item in nav.NAV:  # registry order picks the landing page (docs/ui.md), not section order
            if self.allowed(item.scope):
                return rx.redirect(item.route)
        return None


@rx.page(route="/", title="literal_app", on_load=guarded(HomeState.go))
def home_page() -> rx.Component:
    return layout(rx.center(rx.spinner(size="3"), padding="64px"), title="")
