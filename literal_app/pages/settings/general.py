"""Settings → General: the project's name (editable by Admins, read-only for other roles)."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.ui import form_error, notice, section_card
from literal_app.state.session import (
    SessionState,
    can,
    guarded,
)
from literal_app.state.settings.general import GeneralState


def _rename_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.input(name="name", default_value=GeneralState.shown_name, key=GeneralState.shown_name,
                         id="project-name", width="320px", aria_label="Project name"),
                rx.button("Save", type="submit"),
                spacing="2",
            ),
            form_error(GeneralState.error),
            spacing="2",
        ),
        on_submit=GeneralState.rename,
    )


def _read_only() -> rx.Component:
    return rx.vstack(
        rx.text(GeneralState.shown_name, size="3", weight="medium", class_name="project-name-readonly"),
        notice("Only Admins can change project settings."),
        spacing="2",
    )


@rx.page(route="/settings", title="Settings · literal_app", on_load=guarded(GeneralState.load))
def general_page() -> rx.Component:
    return layout(
        section_card("Project name", rx.cond(
            GeneralState.loaded,
            rx.cond(can("project:write"), _rename_form(), _read_only()),
            rx.skeleton(rx.box(height="32px", width="380px")),
        )),
        section_card(
            "Details",
            rx.data_list.root(
                rx.data_list.item(rx.data_list.label("Project id"),
                                  rx.data_list.value(rx.code(SessionState.project_id))),
                rx.data_list.item(rx.data_list.label("Created"), rx.data_list.value(GeneralState.created)),
                rx.data_list.item(rx.data_list.label("Your role"), rx.data_list.value(SessionState.role_label)),
            ),
        ),
        title="General settings",
        scope="project:read",
    )
