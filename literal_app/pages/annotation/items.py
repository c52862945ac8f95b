"""A queue's items (/annotation-queues/<id>): the admin view. Pending / Reviewed tabs with counts,
filters by assignee and reviewer, assignment, removal and per-reviewer progress."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.ui import confirm, form_error
from literal_app.state.annotation.queue_items import ANYONE, ItemView
from literal_app.state.annotation.queue_items import QueueItemsState as S
from literal_app.state.session import can

HEADERS = ("Item", "Type", "Added", "Assignee", "Reviewer", "Reviewed", "Scores")


def _people_select(value, on_change, label: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, width="170px"),
        rx.select.content(rx.select.item(label + ": anyone", value=ANYONE),
                          rx.foreach(S.people, lambda p: rx.select.item(p.name, value=p.id))),
        value=value, on_change=on_change, size="1")


def _row(r: ItemView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.checkbox(checked=S.selected.contains(r.id), on_change=lambda _v: S.toggle(r.id),
                                  aria_label="Select item " + r.name)),
        rx.table.cell(rx.hstack(rx.link(r.name, href=r.href, size="2", class_name="item-link"),
                                rx.cond(r.source_deleted, rx.badge("source deleted", color_scheme="red", size="1")),
                                spacing="2", align="center")),
        rx.table.cell(rx.badge(r.type, variant="soft", size="1")),
        rx.table.cell(rx.text(r.added, size="1", white_space="nowrap")),
        rx.table.cell(rx.text(r.assignee, size="1"), rx.cond(r.claimed_by != "", rx.text(
            "open by " + r.claimed_by, size="1", color_scheme="gray"))),
        rx.table.cell(rx.text(r.reviewer, size="1")),
        rx.table.cell(rx.text(r.reviewed_at, size="1", white_space="nowrap")),
        rx.table.cell(rx.text(r.scores, size="1"), class_name="item-scores"),
        class_name="item-row",
    )


def _tabs() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item("Pending (" + S.pending.to(str) + ")", value="pending"),
        rx.segmented_control.item("Reviewed (" + S.reviewed.to(str) + ")", value="reviewed"),
        value=S.status, on_change=S.set_status, class_name="status-tabs")


def _bulk() -> rx.Component:
    assign = rx.select.root(
        rx.select.trigger(placeholder="Assign to…", aria_label="Assign to", width="160px"),
        rx.select.content(rx.select.item("Nobody (unassign)", value="nobody"),
                          rx.foreach(S.people, lambda p: rx.select.item(p.name, value=p.id))),
        value=S.assign_to, on_change=S.set_assign_to, size="1")
    return rx.cond(S.selected.length() > 0, rx.hstack(
        rx.text(S.selected.length().to(str) + " selected", size="2"),
        rx.cond(can("queues:write"), rx.hstack(
            assign, rx.button("Assign", size="1", on_click=S.assign_selected, disabled=S.assign_to == ""),
            spacing="1")),
        confirm(rx.button(rx.icon("trash-2", size=14), "Remove from queue", size="1", color_scheme="red",
                          variant="soft"),
                "Remove the selected items?", "They leave this queue; the logs and their scores stay.", "Remove",
                S.remove_selected),
        spacing="3", align="center", padding="6px 10px", background=rx.color("accent", 3), border_radius="6px",
        width="100%", class_name="items-bulk-bar"))


def _even_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("users", size=14), "Assign next N evenly", size="2", variant="soft")),
        rx.dialog.content(
            rx.dialog.title("Assign the next pending items"),
            rx.dialog.description("The oldest unassigned pending items are shared round-robin between the "
                                  "reviewers you tick.", size="2"),
            rx.form(rx.vstack(
                rx.hstack(rx.text("Items", size="2", weight="medium"),
                          rx.input(value=S.even_count, on_change=S.set_even_count, width="100px",
                                   aria_label="Number of items", input_mode="numeric"), align="center"),
                rx.foreach(S.people, lambda p: rx.checkbox(p.name, checked=S.even_people.contains(p.id),
                                                           on_change=lambda _v: S.toggle_even_person(p.id))),
                form_error(S.even_error),
                rx.hstack(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                          rx.button("Assign", type="submit"), justify="end", width="100%"),
                spacing="2", margin_top="8px"), on_submit=S.assign_evenly, reset_on_submit=False),
            max_width="440px"),
        open=S.even_open, on_open_change=S.set_even_open)


def _progress() -> rx.Component:
    return rx.cond(S.progress.length() > 0, rx.vstack(
        rx.text("Reviewers", weight="bold", size="2"),
        rx.flex(rx.foreach(S.progress, lambda p: rx.card(rx.vstack(
            rx.text(p.name, weight="medium", size="2"),
            rx.text(p.today + " today · " + p.total + " in total", size="1", color_scheme="gray"), spacing="0"),
            size="1", class_name="reviewer-progress")), spacing="2", wrap="wrap"),
        spacing="1", width="100%"))


def _content() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.link("Annotation queues", href="/annotation-queues", size="2"), rx.text("/", size="2"),
                  rx.text(S.queue_name, size="2", weight="bold", class_name="queue-title"), spacing="2"),
        rx.cond(S.queue_description != "", rx.text(S.queue_description, size="2", color_scheme="gray")),
        rx.hstack(
            rx.link(rx.button(rx.icon("play", size=14), "Review", size="2"),
                    href="/annotation-queues/" + S.queue_id + "/review"),
            rx.cond(can("queues:write"), _even_dialog()), spacing="2"),
        _progress(),
        rx.hstack(_tabs(), rx.spacer(), _people_select(S.assignee, S.set_assignee, "Assignee"),
                  _people_select(S.reviewer, S.set_reviewer, "Reviewer"), width="100%", align="center", wrap="wrap"),
        _bulk(),
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(rx.checkbox(on_change=lambda _v: S.toggle_all(), aria_label="Select all")),
                *[rx.table.column_header_cell(h) for h in HEADERS])),
            rx.table.body(rx.foreach(S.rows, _row)), width="100%", size="1"),
        rx.cond(S.rows.length() == 0, rx.callout(
            rx.cond(S.status == "pending",
                    "Nothing to review here. Add logs from the Logs tables (select rows, then Add to queue) "
                    "or from a thread, run or generation page.",
                    "No item has been reviewed yet."), icon="inbox", color_scheme="gray", size="1",
            class_name="items-empty")),
        rx.hstack(rx.text(S.total.to(str) + " items", size="1", color_scheme="gray"), rx.spacer(),
                  rx.button("Previous", size="1", variant="soft", on_click=S.previous_page, disabled=S.offset == 0),
                  rx.button("Next", size="1", variant="soft", on_click=S.next_page, disabled=~S.has_next),
                  width="100%", align="center"),
        spacing="3", width="100%")


@rx.page(route="/annotation-queues/[queue_id]", title="Annotation queue · literal_app", on_load=S.open_page)
def queue_items_page() -> rx.Component:
    return layout(
        rx.cond(S.not_found != "", rx.callout(S.not_found, icon="search-x", color_scheme="gray"), _content()),
        title="Annotation queue", scope="annotations:read")
