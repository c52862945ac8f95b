"""``/``: sends a signed-in member to the first sidebar entry their role may open."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.state.home import HomeState
from literal_app.state.session import guarded


@rx.page(route="/", title="literal_app", on_load=guarded(HomeState.go))
def home_page() -> rx.Component:
    return layout(rx.center(rx.spinner(size="3"), padding="64px"), title="")
