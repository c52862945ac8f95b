"""Evaluation → Experiments: the table (shared with a dataset's Experiments tab) and the page."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.shortcuts import ROW_KEYS, key_hint, shortcut_scope, shortcuts_help
from literal_app.state.datasets.experiments import ExperimentRow, ExperimentsState as E
from literal_app.state.session import guarded

SMALL = {"max_width": "190px", "overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap"}
STATUS_COLORS = {"completed": "green", "running": "blue", "queued": "gray", "cancelled": "amber", "failed": "red"}


KEYS = [*ROW_KEYS, ("Enter", "open the experiment"), ("x", "select it for a comparison"),
        ("c", "compare the two selected"), ("/", "filter"), ("?", "these shortcuts")]


def status_badge(status) -> rx.Component:
    return rx.badge(status, color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray"), variant="soft")


def _row(r: ExperimentRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.checkbox(checked=E.selected.contains(r.id), on_change=lambda _v: E.toggle(r.id),
                                  aria_label="Select experiment " + r.name, data_row_shortcut="x")),
        rx.table.cell(rx.link(r.name, href="/experiments/" + r.id, weight="medium", data_row_shortcut="o"),
                      min_width="140px"),
        rx.table.cell(rx.cond(r.dataset_id != "", rx.link(r.dataset, href="/datasets/" + r.dataset_id), r.dataset)),
        rx.table.cell(status_badge(r.status)),
        rx.table.cell(rx.text(r.model, size="1", style=SMALL),
                      rx.text(r.params, size="1", color_scheme="gray", style=SMALL, title=r.params)),
        rx.table.cell(rx.text(r.item_count.to_string()),
                      rx.cond(r.failures > 0, rx.text(r.failures.to_string() + " failed", size="1", color_scheme="red"))),
        rx.table.cell(rx.text(r.scores, size="1", style=SMALL, title=r.scores)),
        rx.table.cell(rx.text(r.created, size="1", white_space="nowrap")),
        class_name="experiment-row", data_kb_row="1",
    )


def experiments_table() -> rx.Component:
    heads = ["Name", "Dataset", "Status", "Model · params", "Items", "Scores (mean)", "Created"]
    return rx.vstack(
        rx.hstack(
            rx.input(default_value=E.param_filter, on_change=lambda v: E.set_param_filter(v).debounce(300),
                     placeholder="Filter by name or param (e.g. temperature)  ( / )",
                     aria_label="Filter experiments", width="340px", data_shortcut="/"),
            rx.spacer(),
            rx.text(E.selected.length().to(str) + " of 2 selected", size="1", color_scheme="gray"),
            rx.button(rx.icon("git-compare", size=14), "Compare", key_hint("c"), on_click=E.compare,
                      disabled=E.selected.length() != 2, data_shortcut="c"),
            width="100%", align="center"),
        rx.table.root(
            rx.table.header(rx.table.row(rx.table.column_header_cell(""),
                                         *[rx.table.column_header_cell(h) for h in heads])),
            rx.table.body(rx.foreach(E.rows, _row)), width="100%", variant="surface", size="1"),
        rx.cond(E.rows.length() == 0, rx.callout(
            "No experiments yet: open a dataset and click Run experiment, or log one with the SDK "
            "(client.api.create_experiment).", icon="flask-conical", color_scheme="gray", size="1",
            class_name="empty-state")),
        spacing="2", width="100%")


@rx.page(route="/experiments", title="Experiments · literal_app", on_load=guarded(E.load))
def experiments_page() -> rx.Component:
    return layout(shortcut_scope(experiments_table()), title="Experiments", scope="datasets:read",
                  actions=shortcuts_help(KEYS))
