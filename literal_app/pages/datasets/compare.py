"""Compare two experiments: the verdict per score (paired over the shared items), then the items
side by side, the ones that got worse first."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.shortcuts import ROW_KEYS, shortcut_scope, shortcuts_help
from literal_app.components.ui import form_error
from literal_app.state.datasets.compare import CompareState as C, PairRow, VerdictRow
from literal_app.state.session import guarded

TEXT = {"white_space": "pre-wrap", "font_size": "12px", "max_width": "280px", "max_height": "120px",
        "overflow": "auto", "display": "block"}


KEYS = [*ROW_KEYS, ("b", "open the base experiment"), ("c", "open the candidate experiment"),
        ("?", "these shortcuts")]


def _verdict(v: VerdictRow) -> rx.Component:
    color = rx.match(v.verdict, ("better", "green"), ("worse", "red"), "gray")
    return rx.table.row(
        rx.table.cell(rx.text(v.name, weight="medium")), rx.table.cell(v.base), rx.table.cell(v.candidate),
        rx.table.cell(v.difference), rx.table.cell(v.ci), rx.table.cell(v.p),
        rx.table.cell(rx.badge(v.verdict, color_scheme=color, class_name="verdict")),
        rx.table.cell(rx.text("+" + v.better.to_string() + " / −" + v.worse.to_string(), size="1")),
        class_name="verdict-row")


def _pair(p: PairRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(p.input, style=TEXT)), rx.table.cell(rx.text(p.expected, style=TEXT)),
        rx.table.cell(rx.text(p.base, style=TEXT)), rx.table.cell(rx.text(p.candidate, style=TEXT)),
        rx.table.cell(rx.badge(p.deltas, color_scheme=rx.match(p.direction, ("better", "green"), ("worse", "red"),
                                                                "gray"), variant="soft")),
        class_name="pair-row", data_kb_row="1")


@rx.page(route="/experiments/compare", title="Compare experiments · literal_app", on_load=guarded(C.load))
def compare_page() -> rx.Component:
    return layout(shortcut_scope(
        form_error(C.error),
        rx.hstack(rx.link("Experiments", href="/experiments", size="2"), rx.text("/", color_scheme="gray"),
                  rx.link(C.base_name, href="/experiments/" + C.base_id, data_shortcut="b"),
                  rx.text("(base) vs", color_scheme="gray"),
                  rx.link(C.candidate_name, href="/experiments/" + C.candidate_id, data_shortcut="c"),
                  rx.text("(candidate) · " + C.shared.to_string() + " shared items", color_scheme="gray"),
                  align="center", wrap="wrap"),
        rx.text("Candidate − base per score, paired over the shared items: mean difference, its 95% confidence "
                "interval (paired t-test) and the verdict.", size="1", color_scheme="gray"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                "Score", "Base", "Candidate", "Difference", "95% CI", "p", "Verdict", "Items better / worse")])),
            rx.table.body(rx.foreach(C.verdicts, _verdict)), width="100%", variant="surface"),
        rx.heading("Items (worst change first)", size="3", as_="h3"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                "Input", "Expected", "Base output", "Candidate output", "Score deltas")])),
            rx.table.body(rx.foreach(C.pairs, _pair)), width="100%", variant="surface", size="1")),
        title="Compare experiments",
        scope="datasets:read",
        actions=shortcuts_help(KEYS),
    )
