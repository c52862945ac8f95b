"""Annotation queues (/annotation-queues): every queue of the project with its pending and
reviewed counts; Admins and AI Engineers create, edit and delete queues."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.ui import confirm, form_error
from literal_app.state.annotation.queues import QueuesState as S
from literal_app.state.annotation.queues import QueueView
from literal_app.state.session import can


def _dialog() -> rx.Component:
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(rx.cond(S.editing != "", "Edit queue", "New annotation queue")),
        rx.dialog.description("Reviewers work through a queue one item at a time.", size="2"),
        rx.form(rx.vstack(
            rx.text("Name", as_="label", size="2", weight="medium", html_for="queue-name"),
            rx.input(id="queue-name", value=S.name, on_change=S.set_name, placeholder="e.g. Refund answers",
                     width="100%", auto_focus=True),
            rx.text("Description", as_="label", size="2", weight="medium", html_for="queue-description"),
            rx.text_area(id="queue-description", value=S.description, on_change=S.set_description,
                         placeholder="What should reviewers look for?", width="100%"),
            form_error(S.error),
            rx.hstack(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                      rx.button("Save queue", type="submit"), justify="end", width="100%"),
            spacing="2", margin_top="12px"), on_submit=S.save, reset_on_submit=False),
        max_width="480px"), open=S.dialog_open, on_open_change=S.set_dialog_open)


def _row(q: QueueView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.hstack(rx.link(q.name, href="/annotation-queues/" + q.id, weight="medium"),
                                rx.cond(q.is_default, rx.badge("default", variant="soft", size="1")),
                                spacing="2", align="center")),
        rx.table.cell(rx.text(q.description, size="1", color_scheme="gray", class_name="queue-description")),
        rx.table.cell(rx.text(q.pending, size="2"), class_name="queue-pending"),
        rx.table.cell(rx.text(q.reviewed, size="2"), class_name="queue-reviewed"),
        rx.table.cell(rx.text(q.created_by, size="1")),
        rx.table.cell(rx.text(q.created_at, size="1", white_space="nowrap")),
        rx.table.cell(rx.hstack(
            rx.link(rx.button(rx.icon("play", size=12), "Review", size="1"), href="/annotation-queues/" + q.id + "/review"),
            rx.cond(can("queues:write"), rx.hstack(
                rx.button("Edit", size="1", variant="soft", on_click=S.edit(q.id)),
                rx.cond(~q.is_default, confirm(
                    rx.button("Delete", size="1", variant="soft", color_scheme="red"), "Delete this queue?",
                    "Its items are removed. Logs, scores and datasets are kept.", "Delete", S.delete(q.id))),
                spacing="1")), spacing="1")),
        class_name="queue-row", data_name=q.name,
    )


@rx.page(route="/annotation-queues", title="Annotation queues · literal_app", on_load=S.load)
def queues_page() -> rx.Component:
    return layout(
        rx.vstack(
            rx.hstack(
                rx.text("Logs selected for human review. Add them from the Logs tables or a thread, run or "
                        "generation page; reviewers score them one at a time.", size="2", color_scheme="gray"),
                rx.spacer(),
                rx.cond(can("queues:write"), rx.button(rx.icon("plus", size=14), "New queue", on_click=S.new)),
                width="100%", align="center"),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                    "Name", "Description", "Pending", "Reviewed", "Created by", "Created", "")])),
                rx.table.body(rx.foreach(S.queues, _row)), width="100%", size="1"),
            _dialog(),
            spacing="4", width="100%"),
        title="Annotation queues",
        scope="annotations:read",
    )
