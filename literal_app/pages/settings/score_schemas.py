"""Settings → Score schemas: categorical (label, value, description per category) and continuous
(min, max) schemas that the score dialog and the evaluators offer."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.ui import confirm, form_error, notice, section_card
from literal_app.state.session import can, guarded
from literal_app.state.settings.score_schemas import S, SchemaView


def _category(c: rx.Var, i: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.input(value=c[0], on_change=lambda v: S.set_category(i, 0, v), placeholder="Label", size="1",
                 aria_label="Category label", width="140px"),
        rx.input(value=c[1], on_change=lambda v: S.set_category(i, 1, v), placeholder="Value", size="1",
                 aria_label="Category value", width="80px"),
        rx.input(value=c[2], on_change=lambda v: S.set_category(i, 2, v), placeholder="Description", size="1",
                 aria_label="Category description", flex="1"),
        rx.icon_button(rx.icon("x", size=12), size="1", variant="ghost", type="button",
                       on_click=S.remove_category(i), aria_label="Remove category"),
        width="100%", spacing="1", class_name="category-row",
    )


def _form() -> rx.Component:
    return rx.card(rx.form(rx.vstack(
        rx.input(value=S.name, on_change=lambda v: S.set_field("name", v), placeholder="Schema name",
                 aria_label="Schema name", width="100%"),
        rx.text_area(value=S.description, on_change=lambda v: S.set_field("description", v),
                     placeholder="What does it measure?", aria_label="Description", width="100%"),
        rx.radio_group.root(rx.radio_group.item("Categorical", value="categorical"),
                            rx.radio_group.item("Continuous", value="continuous"), value=S.type,
                            on_change=lambda v: S.set_field("type", v), direction="row", aria_label="Schema type"),
        rx.cond(S.type == "categorical", rx.vstack(
            rx.foreach(S.categories, _category),
            rx.button(rx.icon("plus", size=12), "Add category", size="1", variant="soft", type="button",
                      on_click=S.add_category), width="100%", spacing="1"),
            rx.hstack(rx.input(value=S.min_value, on_change=lambda v: S.set_field("min_value", v),
                               aria_label="Minimum", placeholder="Minimum", width="120px"),
                      rx.input(value=S.max_value, on_change=lambda v: S.set_field("max_value", v),
                               aria_label="Maximum", placeholder="Maximum", width="120px"))),
        form_error(S.error),
        rx.hstack(rx.button("Cancel", variant="soft", color_scheme="gray", type="button", on_click=S.cancel),
                  rx.button("Save schema", type="submit"), justify="end", width="100%"),
        spacing="3", width="100%"), on_submit=S.save, reset_on_submit=False), width="100%", class_name="schema-form")


def _schema(s: SchemaView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(s.name, weight="medium")), rx.table.cell(rx.badge(s.type, variant="soft")),
        rx.table.cell(rx.text(s.summary, size="1")), rx.table.cell(rx.text(s.description, size="1")),
        rx.table.cell(rx.cond(can("observability:write"), rx.hstack(
            rx.button("Edit", size="1", variant="soft", on_click=S.edit(s.id)),
            confirm(rx.button("Delete", size="1", variant="soft", color_scheme="red"), "Delete this schema?",
                    "Scores already given keep their values.", "Delete", S.delete(s.id)), spacing="1"))),
        class_name="schema-row",
    )


@rx.page(route="/settings/score-schemas", title="Score schemas · literal_app", on_load=guarded(S.load))
def score_schemas_page() -> rx.Component:
    return layout(section_card(
        "Score schemas",
        rx.cond(can("observability:write"),
                rx.cond(S.editing == "", rx.button(rx.icon("plus", size=14), "New schema", on_click=S.new), _form()),
                notice("Admins and AI Engineers configure score schemas.")),
        rx.table.root(rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                                     ("Name", "Type", "Values", "Description", "")])),
                      rx.table.body(rx.foreach(S.schemas, _schema)), width="100%", size="1"),
        description="What annotators and LLM judges may answer: categories with values, or a numeric range.",
    ), title="Score schemas", scope="annotations:read")
