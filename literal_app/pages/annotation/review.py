"""The review page (/annotation-queues/<id>/review): the item in its context on the left (step
or generation detail, the thread's conversation and steps, collapsible), the annotation panel on
the right, and keyboard shortcuts for everything repeated (listed in the help popover)."""

from __future__ import annotations

import reflex as rx

from literal_app.components.attachments import attachment_list
from literal_app.components.chat import CHAT_STYLE, chat_message
from literal_app.components.json_view import json_view
from literal_app.components.layout import layout
from literal_app.components.rich_text import PARTS_STYLE, markdown_text, message_part
from literal_app.components.ui import fact_list
from literal_app.pages.annotation.review_panel import annotation_panel
from literal_app.state.annotation.review import ReviewState as S

DETAILS_STYLE = {"& > summary": {"cursor": "pointer", "font_weight": "bold", "font_size": "var(--font-size-2)",
                                 "padding": "4px 0"}, "width": "100%"}


# plain elements styled once on the list (a Radix badge and link per node cost a visible share of
# the next item's render with 100 nodes; see docs/ui.md)
TREE_STYLE = {
    "padding_top": "6px", "display": "flex", "flex_direction": "column", "gap": "4px",
    "& .review-node": {"display": "flex", "gap": "8px", "align_items": "center", "font_size": "var(--font-size-1)"},
    "& .node-type": {"background": rx.color("accent", 3), "color": rx.color("accent", 11), "padding": "0 6px",
                     "border_radius": "4px"},
    "& .review-node a": {"color": rx.color("accent", 11)},
    "& .node-meta": {"color": rx.color("gray", 11)},
}


def _generation() -> rx.Component:
    """The generation as the step panel shows it (facts, messages with their parts, completion)."""
    return rx.cond(S.step.is_generation, rx.vstack(
        fact_list(S.step.facts, "generation-facts"),
        rx.text("Messages", weight="bold", size="2"),
        rx.foreach(S.step.messages, lambda m: rx.box(
            rx.text(m.role, size="1", weight="bold", color_scheme="gray"),
            rx.cond(m.parts.length() > 0,
                    rx.flex(rx.foreach(m.parts, message_part), direction="column", spacing="2", style=PARTS_STYLE),
                    markdown_text(m.text)),
            padding="6px 8px", border_radius="6px", background=rx.color("gray", 2), width="100%",
            class_name="gen-message")),
        rx.text("Completion", weight="bold", size="2"),
        rx.box(markdown_text(S.step.completion), padding="6px 8px", width="100%",
               background=rx.color("accent", 2), border_radius="6px", class_name="gen-completion"),
        json_view("Settings", S.settings),
        spacing="2", width="100%"))


def _step() -> rx.Component:
    return rx.cond(S.step.id != "", rx.vstack(
        rx.cond(S.step.error != "", rx.callout(S.step.error, icon="circle-alert", color_scheme="red", size="1")),
        _generation(),
        json_view("Input", S.input, S.load_whole("input")),
        json_view("Output", S.output, S.load_whole("output")),
        json_view("Metadata", S.metadata, S.load_whole("metadata")),
        attachment_list(S.attachments),
        spacing="3", width="100%", class_name="review-step"))


def _thread() -> rx.Component:
    conversation = rx.el.details(
        rx.el.summary("Conversation · ", S.thread_title),
        rx.vstack(rx.foreach(S.messages, chat_message), rx.link("Open the whole thread", href=S.thread_href, size="1"),
                  spacing="2", width="100%", style=CHAT_STYLE, padding_top="6px"),
        open=S.item_kind == "thread", style=DETAILS_STYLE, class_name="review-conversation")
    tree = rx.el.details(
        rx.el.summary("Steps of the thread"),
        rx.el.div(rx.foreach(S.tree, lambda n: rx.el.div(
            rx.el.span(n.type, class_name="node-type"), rx.el.a(n.name, href="/logs/steps/" + n.id),
            rx.el.span(n.duration, class_name="node-meta"), rx.el.span(n.children, class_name="node-meta"),
            class_name="review-node")), style=TREE_STYLE, class_name="review-nodes"),
        style=DETAILS_STYLE, class_name="review-tree")
    return rx.cond(S.thread_title != "", rx.vstack(conversation, tree, spacing="2", width="100%"))


def _item_header() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.badge(S.item_type, variant="soft"),
                  rx.heading(S.item_name, size="4", class_name="review-item-name", data_item=S.item_id),
                  rx.link("Open", href=S.item_href, size="1", is_external=True),
                  rx.cond(S.item_status == "reviewed", rx.badge("reviewed by " + S.reviewer, color_scheme="green")),
                  spacing="2", align="center", wrap="wrap"),
        rx.cond(S.held_by != "", rx.callout(S.held_by + " is reviewing this item right now: your review would be "
                                           "refused. Skip to the next one.", icon="user-lock", color_scheme="amber",
                                           size="1")),
        rx.cond(S.source_deleted, rx.callout(rx.hstack(
            rx.text("Source deleted: the log of this item no longer exists.", size="2"),
            rx.button("Remove from queue", size="1", color_scheme="red", variant="soft", on_click=S.remove_item),
            align="center", spacing="3"), icon="trash", color_scheme="red", size="1", class_name="source-deleted")),
        spacing="2", width="100%")


def _header() -> rx.Component:
    return rx.hstack(
        rx.link("Annotation queues", href="/annotation-queues", size="2"), rx.text("/", size="2"),
        rx.link(S.queue_name, href="/annotation-queues/" + S.queue_id, size="2", weight="bold"),
        rx.text("/ Review", size="2"), rx.spacer(),
        rx.text(S.progress_text, size="2", class_name="review-progress"),
        rx.progress(value=S.progress_value, width="140px", aria_label="Reviewed share of the queue"),
        width="100%", align="center", spacing="2", wrap="wrap")


def _done() -> rx.Component:
    return rx.callout(rx.vstack(
        rx.text("All caught up: no pending item is left for you in this queue.", size="2", weight="medium"),
        rx.text("Items assigned to other reviewers, or open in their browsers, are theirs. Skipped items come back "
                "when you reload this page.", size="1"),
        rx.link("Back to the queue", href="/annotation-queues/" + S.queue_id, size="2"), spacing="1"),
        icon="circle-check", color_scheme="green", class_name="review-done")


def _content() -> rx.Component:
    return rx.vstack(
        _header(),
        rx.cond(S.done, _done(), rx.grid(
            rx.vstack(_item_header(), _step(), _thread(), spacing="4", width="100%", min_width="0"),
            annotation_panel(),
            columns="minmax(0, 1.6fr) minmax(320px, 1fr)", width="100%", align_items="start",
            style={"gap": "28px"})),
        spacing="4", width="100%", class_name="review-page")


@rx.page(route="/annotation-queues/[queue_id]/review", title="Review · literal_app", on_load=S.open_page)
def review_page() -> rx.Component:
    return layout(rx.cond(S.not_found != "", rx.callout(S.not_found, icon="search-x", color_scheme="gray"),
                          _content()), title="Review", scope="annotations:read")
