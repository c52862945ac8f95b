"""The "Add to queue" button and dialog, used by the Logs tables and the thread/step pages."""

from __future__ import annotations

import reflex as rx

from literal_app.components.ui import form_error
from literal_app.state.annotation.add_to_queue import CAP_TEXT
from literal_app.state.annotation.add_to_queue import AddToQueueState as A
from literal_app.state.session import can


def add_to_queue_dialog() -> rx.Component:
    """Rendered once per page; the buttons below open it."""
    queue = rx.select.root(
        rx.select.trigger(aria_label="Queue", width="100%"),
        rx.select.content(rx.foreach(A.queue_options, lambda q: rx.select.item(q.name, value=q.id))),
        value=A.queue_id, on_change=A.set_queue)
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title("Add to an annotation queue"),
        rx.form(rx.vstack(
            rx.cond(A.table != "", rx.radio_group.root(
                rx.radio_group.item(rx.cond(A.ids.length() > 0, "The " + A.ids.length().to(str) + " selected rows",
                                            "The selected rows (none selected)"), value="selected",
                                    disabled=A.ids.length() == 0),
                rx.radio_group.item(f"All rows matching the current filters (at most {CAP_TEXT})", value="matching"),
                value=A.mode, on_change=A.set_mode, aria_label="What to add", direction="column")),
            rx.text("Queue", size="2", weight="medium"),
            queue,
            rx.text("Logs already pending in the queue are not added twice.", size="1", color_scheme="gray"),
            form_error(A.error),
            rx.hstack(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                      rx.button("Add to queue", type="submit", class_name="add-to-queue-submit"),
                      justify="end", width="100%"),
            spacing="3", margin_top="8px"), on_submit=A.submit, reset_on_submit=False),
        max_width="480px"), open=A.open, on_open_change=A.set_open)


def add_table_rows_button(table: str, selected, filters) -> rx.Component:
    """On a Logs table: opens the dialog for the selected rows, or all matching when none are."""
    return rx.cond(can("queues:write"), rx.button(
        rx.icon("list-plus", size=14), "Add to queue", size="1", variant="soft", class_name="add-to-queue",
        on_click=A.open_for_table(table, selected, filters)))


def add_log_button(kind: str, log_id) -> rx.Component:
    """On a thread, run, step or generation page."""
    return rx.cond(can("queues:write"), rx.button(
        rx.icon("list-plus", size=14), "Add to queue", size="1", variant="soft", class_name="add-to-queue",
        on_click=A.open_for_log(kind, log_id)))
