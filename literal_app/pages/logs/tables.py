"""Logs → Threads, Runs, Generations, Steps, Scores, and Users: filterable, sortable tables with
cursor pagination and bulk actions; an empty project shows how to start sending data."""

from __future__ import annotations

import reflex as rx

from literal_app.components.data_table import column_chooser, data_table, pager
from literal_app.components.filter_bar import filter_bar
from literal_app.components.layout import layout
from literal_app.components.ui import confirm, form_error
from literal_app.pages.datasets.add_from_logs import add_to_dataset_button, add_to_dataset_dialog
from literal_app.pages.annotation.add_to_queue import add_table_rows_button, add_to_queue_dialog
from literal_app.state.logs.table import LogsState
from literal_app.state.session import can

TITLES = {"threads": "Threads", "runs": "Runs", "generations": "Generations", "steps": "Steps",
          "scores": "Scores"}
BULK = ("threads", "runs", "generations", "steps")
ADD_TO_DATASET = ("runs", "generations", "steps")


def empty_state(what: str) -> rx.Component:
    return rx.cond(
        LogsState.filtered,
        rx.callout("No rows match these filters.", icon="search-x", color_scheme="gray", size="1",
                   class_name="no-match"),
        rx.card(rx.vstack(
            rx.heading(f"No {what} yet", size="3"),
            rx.cond(LogsState.show_chips, rx.text(
                "LLM-as-judge calls (environment \"evaluation\") are hidden by default: remove the Environment "
                "filter above to see them.", size="1", color_scheme="gray", class_name="env-default-note")),
            rx.text("Send logs from your application with the Literal AI SDK, pointed at this server "
                    "(create a key in Settings → API keys):", size="2"),
            rx.code_block(LogsState.snippet, language="python", width="100%", class_name="start-snippet"),
            spacing="2"), width="100%", class_name="empty-state"),
    )


def _bulk_bar(table: str) -> rx.Component:
    return rx.cond(LogsState.selected.length() > 0, rx.hstack(
        rx.text(LogsState.selected.length().to(str) + " selected", size="2"),
        rx.cond(can("annotations:write"), rx.hstack(
            rx.input(value=LogsState.bulk_tag, on_change=LogsState.set_bulk_tag, placeholder="Tag",
                     size="1", width="140px", aria_label="Tag to add"),
            rx.button(rx.icon("tag", size=14), "Add tag", size="1", on_click=LogsState.tag_selected),
            spacing="1")),
        *([add_to_dataset_button(LogsState.selected), add_to_dataset_dialog()] if table in ADD_TO_DATASET else []),
        rx.cond(can("observability:write"), confirm(
            rx.button(rx.icon("trash-2", size=14), "Delete", size="1", color_scheme="red", variant="soft"),
            "Delete the selected logs?",
            "They are removed with their steps and scores. This cannot be undone.", "Delete",
            LogsState.delete_selected)),
        spacing="3", align="center", class_name="bulk-bar", padding="6px 10px",
        background=rx.color("accent", 3), border_radius="6px", width="100%",
    ))


def table_view(table: str, title: str) -> rx.Component:
    return layout(
        rx.vstack(
            filter_bar(table, values=LogsState.filters, on_set=LogsState.set_filter, on_period=LogsState.set_period,
                       on_apply=LogsState.apply, on_clear=LogsState.clear, more_open=LogsState.more_filters,
                       on_toggle_more=LogsState.toggle_more, filtered=LogsState.show_chips, chips=LogsState.chips,
                       on_remove=LogsState.remove_filter,
                       trailing=column_chooser(choices=LogsState.column_choices, on_toggle=LogsState.toggle_column,
                                               on_move=LogsState.move_column, on_reset=LogsState.reset_columns,
                                               open=LogsState.columns_open,
                                               on_open_change=LogsState.set_columns_open)),
            form_error(LogsState.error),
            *([_bulk_bar(table)] if table in BULK else []),
            *([rx.hstack(rx.spacer(), add_table_rows_button(table, LogsState.selected, LogsState.filters),
                         add_to_queue_dialog(), width="100%")] if table in BULK else []),
            data_table(columns=LogsState.columns, rows=LogsState.rows, selected=LogsState.selected,
                       sort=LogsState.filters["sort"], direction=LogsState.filters["dir"],
                       on_sort=LogsState.sort_by, on_toggle=LogsState.toggle_row, on_toggle_all=LogsState.toggle_all,
                       selectable=table in BULK,
                       empty=rx.cond(LogsState.loading, rx.spinner(), empty_state(title.lower()))),
            pager(has_previous=LogsState.has_previous, has_next=LogsState.has_next,
                  on_previous=LogsState.previous_page, on_next=LogsState.next_page, count_text=LogsState.count_text),
            spacing="3", width="100%",
        ),
        title=title,
        scope="observability:read",
    )


@rx.page(route="/logs/threads", title="Threads · literal_app", on_load=LogsState.open_table("threads"))
def threads_page() -> rx.Component:
    return table_view("threads", "Threads")


@rx.page(route="/logs/runs", title="Runs · literal_app", on_load=LogsState.open_table("runs"))
def runs_page() -> rx.Component:
    return table_view("runs", "Runs")


@rx.page(route="/logs/generations", title="Generations · literal_app",
         on_load=LogsState.open_table("generations"))
def generations_page() -> rx.Component:
    return table_view("generations", "Generations")


@rx.page(route="/logs/steps", title="Steps · literal_app", on_load=LogsState.open_table("steps"))
def steps_page() -> rx.Component:
    return table_view("steps", "Steps")


@rx.page(route="/logs/scores", title="Scores · literal_app", on_load=LogsState.open_table("scores"))
def scores_page() -> rx.Component:
    return table_view("scores", "Scores")


@rx.page(route="/users", title="Users · literal_app", on_load=LogsState.open_table("users"))
def users_page() -> rx.Component:
    """The application's end users, by engagement period; a row opens the user's threads."""
    return table_view("users", "Users")
