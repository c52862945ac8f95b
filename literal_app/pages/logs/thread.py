"""Thread detail: the conversation beside the span tree (lazy children, keyboard navigation), the
selected step's panel and its run's waterfall; and the step page (breadcrumbs + the same panel)."""

from __future__ import annotations

import reflex as rx

from literal_app.components.chat import CHAT_STYLE, chat_message
from literal_app.components.layout import layout
from literal_app.components.span_tree import span_tree, waterfall
from literal_app.components.ui import fact_list, not_found_view
from literal_app.pages.annotation.add_to_queue import add_log_button, add_to_queue_dialog
from literal_app.pages.datasets.add_from_logs import add_to_dataset_button, add_to_dataset_dialog
from literal_app.pages.logs.panel import step_panel
from literal_app.state.logs.trace import TraceState


def _header() -> rx.Component:
    return rx.vstack(
        fact_list(TraceState.facts, "thread-facts"),
        rx.flex(rx.foreach(TraceState.tags, lambda t: rx.badge(t, variant="soft")), spacing="1"),
        spacing="2", width="100%",
    )


def _tree() -> rx.Component:
    return rx.vstack(
        rx.text("Steps", weight="bold", size="2"),
        span_tree(TraceState.nodes, TraceState.selected_id, on_select=TraceState.select, on_toggle=TraceState.toggle,
                  on_key=TraceState.key, has_more=TraceState.tree_next >= 0, on_more=TraceState.more_nodes),
        width="100%", spacing="1",
    )


def _waterfall() -> rx.Component:
    return rx.cond(TraceState.spans.length() > 0,
                   waterfall(TraceState.spans, TraceState.gaps, TraceState.waterfall_total, TraceState.select))


@rx.page(route="/logs/threads/[thread_id]", title="Thread · literal_app",
         on_load=TraceState.open_thread)
def thread_page() -> rx.Component:
    return layout(
        rx.cond(TraceState.not_found != "", not_found_view(TraceState.not_found, "/logs/threads/", "Back to Threads"),
                rx.vstack(
                    rx.hstack(rx.link("Threads", href="/logs/threads", size="2"), rx.text("/", size="2"),
                              rx.text(TraceState.title, size="2", weight="bold", class_name="thread-title"),
                              rx.spacer(), add_log_button("thread", TraceState.thread_id), add_to_queue_dialog(),
                              spacing="2", class_name="breadcrumbs", width="100%", align="center"),
                    _header(),
                    rx.grid(
                        rx.vstack(rx.text("Conversation", weight="bold", size="2"),
                                  rx.foreach(TraceState.messages, chat_message),
                                  rx.cond(TraceState.messages_next >= 0,
                                          rx.button("Later messages", size="1", variant="soft",
                                                    on_click=TraceState.more_messages)),
                                  spacing="2", width="100%", class_name="conversation", style=CHAT_STYLE),
                        _tree(),
                        rx.vstack(_waterfall(), step_panel(), spacing="4", width="100%"),
                        columns="minmax(240px, 1fr) minmax(220px, 0.8fr) minmax(360px, 1.6fr)", spacing="4",
                        width="100%", class_name="thread-columns",
                    ),
                    spacing="4", width="100%",
                )),
        title="Thread",
        scope="observability:read",
    )


@rx.page(route="/logs/steps/[step_id]", title="Step · literal_app", on_load=TraceState.open_step_page)
def step_page() -> rx.Component:
    return layout(
        rx.cond(TraceState.not_found != "", not_found_view(TraceState.not_found, "/logs/steps/", "Back to Steps"),
                rx.vstack(
                    rx.hstack(rx.foreach(TraceState.crumbs, lambda c: rx.hstack(
                        rx.link(c[0], href=c[1], size="2"), rx.text("/", size="2", color_scheme="gray"), spacing="2")),
                        rx.spacer(), add_to_dataset_button([TraceState.step.id]), add_to_dataset_dialog(),
                        add_log_button("step", TraceState.step.id), add_to_queue_dialog(),
                        spacing="2", wrap="wrap", class_name="breadcrumbs", width="100%", align="center"),
                    _waterfall(),
                    step_panel(),
                    spacing="4", width="100%", max_width="1100px",
                )),
        title="Step",
        scope="observability:read",
    )
