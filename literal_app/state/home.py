"""The home route: sends a signed-in member to their project's Logs (or to setup)."""

from __future__ import annotations

import reflex as rx

from literal_app.components import nav
from literal_app.state.session import SessionState


class HomeState(SessionState):
    @rx.event
    def go(self):
        if not self.project_id:
            return None
        for item in nav.NAV:  # registry order picks the landing page (docs/ui.md), not section order
            if self.allowed(item.scope):
                return rx.redirect(item.route)
        return None
