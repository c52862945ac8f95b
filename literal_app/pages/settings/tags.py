"""Settings → Tags: the project's tag catalogue (everyone reads, Admins add and delete)."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.ui import confirm, form_error, notice, section_card
from literal_app.state.session import can, guarded
from literal_app.state.settings.tags import TagRead, TagsState


def _add_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.input(name="name", id="new-tag-name", placeholder="New tag", width="240px", aria_label="Tag"),
                rx.button("Add tag", type="submit"),
                spacing="2",
            ),
            form_error(TagsState.error),
            spacing="2",
        ),
        on_submit=TagsState.add,
    )


def _tag(t: TagRead) -> rx.Component:
    return rx.badge(
        rx.hstack(
            rx.text(t.name, class_name="tag-name"),
            rx.cond(can("project:write"), confirm(
                rx.icon_button(rx.icon("x", size=12), size="1", variant="ghost", aria_label="Delete tag " + t.name),
                "Delete this tag?", "The tag " + t.name + " is removed from the catalogue.", "Delete",
                TagsState.delete(t.id))),
            align="center", spacing="1",
        ),
        size="2", variant="soft", class_name="tag-chip",
    )


@rx.page(route="/settings/tags", title="Tags · literal_app", on_load=guarded(TagsState.load))
def tags_page() -> rx.Component:
    return layout(
        section_card(
            "Tags",
            rx.cond(can("project:write"), _add_form(), notice("Only Admins can add or delete tags.")),
            rx.cond(TagsState.tags.length() == 0, rx.text("No tags yet.", size="2", color_scheme="gray"),
                    rx.flex(rx.foreach(TagsState.tags, _tag), wrap="wrap", spacing="2")),
            description="Tags label threads, steps and dataset items; tags sent by the SDK appear here too.",
        ),
        title="Tags",
        scope="annotations:read",
    )
