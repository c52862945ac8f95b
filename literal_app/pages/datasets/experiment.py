"""One experiment: progress (live), aggregates and distributions per score, and the items with
their outputs, diff against the expected output, scores with reasons, latency, cost and trace."""

from __future__ import annotations

import plotly.graph_objects as go
import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.shortcuts import ROW_KEYS, key_hint, shortcut_scope, shortcuts_help
from literal_app.components.ui import confirm
from literal_app.pages.datasets.experiment_list import status_badge
from literal_app.state.datasets.experiment import AggregateRow, ExperimentState as X, ResultRow, ScoreCell, Segment
from literal_app.state.session import can, guarded

TEXT = {"white_space": "pre-wrap", "font_size": "12px", "max_width": "340px", "max_height": "140px",
        "overflow": "auto", "display": "block"}
DIFF_COLORS = {"added": ("green", "none"), "removed": ("red", "line-through")}


KEYS = [*ROW_KEYS, ("Enter", "open the item's trace"), ("d", "diff of expected → actual"),
        ("← / →", "previous / next page"), ("?", "these shortcuts")]


def _segment(s: Segment) -> rx.Component:
    return rx.el.span(s.text, style={
        "background": rx.match(s.kind, ("added", rx.color("green", 4)), ("removed", rx.color("red", 4)), "transparent"),
        "text_decoration": rx.cond(s.kind == "removed", "line-through", "none")})


def _score(c: ScoreCell) -> rx.Component:
    return rx.tooltip(rx.badge(c.name + " " + c.value, variant="soft", size="1"), content=c.reason)


def _row(r: ResultRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r.number.to_string()),
        rx.table.cell(rx.text(r.input, style=TEXT)),
        rx.table.cell(rx.text(r.expected, style=TEXT)),
        rx.table.cell(rx.cond(r.status == "done",
                              rx.popover.root(
                                  rx.popover.trigger(rx.box(rx.text(r.actual, style=TEXT), cursor="pointer",
                                                            title="Click (or d) for the diff against the expected output",
                                                            data_row_shortcut="d")),
                                  rx.popover.content(rx.text("Expected → actual", size="1", weight="medium"),
                                                     rx.box(rx.foreach(r.diff, _segment), style=TEXT | {"max_width": "520px"},
                                                            class_name="item-diff"), max_width="560px")),
                              rx.vstack(rx.badge(r.status, color_scheme=rx.cond(r.status == "failed", "red", "gray")),
                                        rx.text(r.error, size="1", color_scheme="red", style=TEXT)))),
        rx.table.cell(rx.flex(rx.foreach(r.scores, _score), wrap="wrap", spacing="1")),
        rx.table.cell(rx.text(r.latency, size="1")), rx.table.cell(rx.text(r.cost, size="1")),
        rx.table.cell(rx.cond(r.step_id != "", rx.link("trace", href="/logs/steps/" + r.step_id, size="1",
                                                       data_row_shortcut="o"), "")),
        class_name="result-row", data_kb_row="1",
    )


def _aggregate(a: AggregateRow) -> rx.Component:
    return rx.table.row(rx.table.cell(rx.text(a.name, weight="medium")), rx.table.cell(a.mean), rx.table.cell(a.ci),
                        rx.table.cell(a.count.to_string()), class_name="aggregate-row")


def _progress() -> rx.Component:
    return rx.cond(X.active | (X.status == "cancelled"), rx.card(rx.vstack(
        rx.hstack(rx.text("Progress", weight="medium"), rx.spacer(),
                  rx.cond(X.active & can("datasets:write"),
                          confirm(rx.button("Cancel", size="1", color_scheme="red", variant="soft"),
                                  "Cancel this experiment?", "Items not started yet will not run; items running "
                                  "now finish.", "Cancel experiment", X.cancel)), width="100%"),
        rx.progress(value=X.percent, max=100, width="100%", aria_label="Experiment progress"),
        rx.text(X.done.to_string() + " done · " + X.failed.to_string() + " failed · " + X.remaining.to_string()
                + " remaining" + rx.cond(X.eta != "", " · " + X.eta, ""), size="1", class_name="experiment-progress"),
        width="100%", spacing="2"), width="100%"))


def _sorter() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder="Sort by…", aria_label="Sort items"),
        rx.select.content(rx.select.item("Dataset order", value="position"),
                          rx.foreach(X.score_names, lambda n: rx.fragment(
                              rx.select.item(n + " ↑", value=n + ":asc"), rx.select.item(n + " ↓", value=n + ":desc")))),
        on_change=X.sort_by, size="1")


@rx.page(route="/experiments/[experiment_id]", title="Experiment · literal_app", on_load=guarded(X.load))
def experiment_page() -> rx.Component:
    return layout(shortcut_scope(
        rx.hstack(
            rx.vstack(rx.hstack(rx.link("Experiments", href="/experiments", size="2"), rx.text("/", color_scheme="gray"),
                                rx.heading(X.name, size="5", as_="h2"), status_badge(X.status), align="center"),
                      rx.text(rx.cond(X.dataset != "", "Dataset " + X.dataset + " · ", "") + "model " + X.model
                              + " · " + X.total.to_string() + " items", size="1", color_scheme="gray"),
                      rx.text(X.params, size="1", color_scheme="gray", style={"font_family": "var(--code-font-family)"}),
                      spacing="1"),
            rx.spacer(),
            rx.cond(X.dataset_id != "", rx.link(rx.button(rx.icon("git-compare", size=14), "Compare", variant="soft"),
                                                href="/datasets/" + X.dataset_id)),
            rx.cond(X.server_run & ~X.active & can("datasets:write"),
                    rx.button(rx.icon("rotate-ccw", size=14), "Re-run", on_click=X.rerun)),
            width="100%", align="center"),
        _progress(),
        rx.cond(X.aggregates.length() > 0, rx.hstack(
            rx.table.root(rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                                         ("Score", "Mean", "95% CI", "Count")])),
                          rx.table.body(rx.foreach(X.aggregates, _aggregate)), size="1", variant="surface"),
            rx.flex(rx.foreach(X.charts, lambda f: rx.box(rx.plotly(data=f.to(go.Figure),
                                                                    config={"displaylogo": False, "displayModeBar": False}),
                                                          width="300px")), wrap="wrap", spacing="2"),
            width="100%", align="start", wrap="wrap")),
        rx.hstack(_sorter(), rx.spacer(),
                  rx.button("Previous", key_hint("←"), size="1", variant="soft", on_click=X.page(-1),
                            disabled=X.offset == 0, data_shortcut="ArrowLeft"),
                  rx.button("Next", key_hint("→"), size="1", variant="soft", on_click=X.page(1),
                            disabled=X.offset + 50 >= X.total_rows, data_shortcut="ArrowRight"),
                  width="100%"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                           ("#", "Input", "Expected", "Actual", "Scores", "Latency", "Cost", "")])),
            rx.table.body(rx.foreach(X.rows, _row)), width="100%", variant="surface", size="1")),
        title="Experiment",
        scope="datasets:read",
        actions=shortcuts_help(KEYS),
    )
