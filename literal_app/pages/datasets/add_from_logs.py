"""The "Add to dataset" button and dialog used by the Logs tables' selection bar and the step page."""

from __future__ import annotations

import reflex as rx

from literal_app.components.ui import form_error
from literal_app.state.datasets.add_from_logs import NEW, AddToDatasetState as A
from literal_app.state.session import can


def add_to_dataset_button(step_ids) -> rx.Component:
    """``step_ids``: a Var holding the ids to add (the selection, or ``[step.id]``)."""
    return rx.cond(can("datasets:write"), rx.button(rx.icon("database", size=14), "Add to dataset", size="1",
                                                    variant="soft", on_click=A.open_with(step_ids)))


def add_to_dataset_dialog() -> rx.Component:
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title("Add to dataset"),
        rx.vstack(
            rx.text(A.step_ids.length().to(str) + " log(s): their input becomes the item's input, their output the "
                    "expected output (generations keep their chat in generation datasets).", size="2"),
            rx.select.root(rx.select.trigger(aria_label="Dataset", width="100%"),
                           rx.select.content(rx.foreach(A.choices, lambda c: rx.select.item(c.label, value=c.id))),
                           value=A.dataset_id, on_change=A.set_dataset),
            rx.cond(A.dataset_id == NEW, rx.hstack(
                rx.input(value=A.new_name, on_change=A.set_new_name, placeholder="New dataset name",
                         aria_label="New dataset name", width="60%"),
                rx.select.root(rx.select.trigger(aria_label="New dataset type"),
                               rx.select.content(rx.select.item("Key-value", value="key_value"),
                                                 rx.select.item("Generation", value="generation")),
                               value=A.new_type, on_change=A.set_new_type), width="100%")),
            rx.checkbox("Include intermediary steps (runs)", checked=A.include_steps, on_change=A.set_include_steps),
            form_error(A.error),
            rx.hstack(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                      rx.button("Add", on_click=A.add), justify="end", width="100%"),
            spacing="3", width="100%"),
        max_width="480px"), open=A.open, on_open_change=A.set_open)
