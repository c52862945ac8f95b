"""Pieces of the prompt page: the rendered version, the versions table, the diff, the results
table and chart, the rollout editor and its history, and the "With code" dialog."""

from __future__ import annotations

import plotly.graph_objects as go
import reflex as rx

from literal_app.components.ui import TRUNCATE, copy_button, form_error, section_card
from literal_app.state.prompts.detail import PromptState as S
from literal_app.state.prompts.views import DiffRow, MessageView, ResultRow, VersionRow
from literal_app.state.session import can

_DIFF_BG = {"add": "var(--green-a4)", "del": "var(--red-a4)", "hunk": "var(--blue-a3)"}
_CODE = {"font_family": "var(--code-font-family)", "font_size": "12px", "white_space": "pre-wrap"}
# The versions table scrolls sideways (one column per score): its Deprecate/Restore column stays in
# view, with a line on its left and the row's own bottom line (Radix draws it as a box shadow too).
_STICKY_END = {"position": "sticky", "right": "0", "background": "var(--color-panel-solid)",
               "box_shadow": "inset 1px 0 0 var(--gray-a5), inset 0 -1px 0 var(--gray-a5)"}


def _part(part) -> rx.Component:
    return rx.cond(part[0] == "var", rx.el.mark(part[1], class_name="prompt-var", style={
        "background": "var(--accent-a4)", "color": "var(--accent-11)", "border_radius": "3px", "padding": "0 2px"}),
        rx.el.span(part[1]))


def _message(m: MessageView) -> rx.Component:
    return rx.box(
        rx.badge(m.role, variant="soft", color_scheme="gray", size="1"),
        rx.el.div(rx.foreach(m.parts, _part), style={**_CODE, "margin_top": "4px"}),
        padding="8px", border="1px solid var(--gray-a5)", border_radius="6px", width="100%",
        class_name="prompt-message",
    )


def version_card() -> rx.Component:
    return section_card(
        "Version " + S.shown_label,
        rx.vstack(rx.foreach(S.shown_messages, _message), spacing="2", width="100%"),
        rx.heading("Settings", size="2", as_="h3"),
        rx.cond(S.shown_settings.length() == 0, rx.text("No settings saved.", size="1", color_scheme="gray"),
                rx.data_list.root(rx.foreach(S.shown_settings, lambda kv: rx.data_list.item(
                    rx.data_list.label(kv[0]), rx.data_list.value(rx.code(kv[1])))), size="1")),
        rx.hstack(rx.text("Output type:", size="2", weight="medium"), rx.code(S.shown_output, size="1"),
                  spacing="2", align="center"),
        rx.heading("Tools", size="2", as_="h3"),
        rx.cond(S.shown_tools == "", rx.text("No tools.", size="1", color_scheme="gray"),
                rx.code_block(S.shown_tools, language="json", font_size="12px", width="100%")),
        description="What get_prompt serves by name (the largest rollout share); pick another version in the table.",
    )


def chart_card() -> rx.Component:
    return section_card(
        "Generations per day",
        rx.plotly(data=S.figure.to(go.Figure), config={"displaylogo": False, "responsive": True}, width="100%",
                  height="260px"),
        description="Last 30 days, by version.",
    )


def _version_row(v: VersionRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.checkbox(checked=S.selected.contains(v.id), on_change=lambda _: S.toggle_select(v.id),
                                  aria_label="Compare " + v.label)),
        rx.table.cell(rx.hstack(rx.link(v.label, on_click=S.show_version(v.version), cursor="pointer",
                                        class_name="version-label"),
                                rx.cond(v.deprecated, rx.badge("deprecated", color_scheme="orange", size="1")),
                                spacing="1", align="center")),
        rx.table.cell(v.author), rx.table.cell(v.created, white_space="nowrap"),
        rx.table.cell(rx.text(v.changelog, size="1"), max_width="260px"),
        rx.table.cell(v.rollout, class_name="version-rollout"), rx.table.cell(v.tags),
        rx.table.cell(rx.link(v.generations, href=v.logs_href, title="Open these generations in Logs")),
        rx.table.cell(v.latency), rx.table.cell(v.cost),
        rx.foreach(v.scores, lambda c: rx.table.cell(c)),
        rx.table.cell(rx.cond(can("prompts:write"), rx.button(
            rx.cond(v.deprecated, "Restore", "Deprecate"), size="1", variant="ghost",
            color_scheme=rx.cond(v.deprecated, "gray", "orange"), on_click=S.set_deprecated(v.id, ~v.deprecated))),
            style=_STICKY_END),
        class_name="version-row",
    )


def versions_table() -> rx.Component:
    heads = ["Compare", "Version", "Created by", "Created", "Changelog", "Rollout", "Tags", "Generations", "Avg latency",
             "Total cost"]
    return section_card(
        "Versions",
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in heads],
                                         rx.foreach(S.score_names, lambda n: rx.table.column_header_cell("Avg " + n)),
                                         rx.table.column_header_cell("", style=_STICKY_END))),
            rx.table.body(rx.foreach(S.versions, _version_row)),
            width="100%", size="1"), overflow_x="auto", width="100%"),
        description="Tick two versions to compare them. Scores are averaged over the generations that used each version.",
    )


def _diff_line(line: DiffRow) -> rx.Component:
    return rx.el.div(rx.cond(line.kind == "add", "+ ", rx.cond(line.kind == "del", "- ", "  ")), line.text,
                     class_name="diff-" + line.kind, style={
                         **_CODE, "padding": "0 6px", "background": rx.match(
                             line.kind, ("add", _DIFF_BG["add"]), ("del", _DIFF_BG["del"]), "transparent")})


def _settings_diff() -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in ("Setting", "Before", "After")])),
        rx.table.body(rx.foreach(S.diff_settings, lambda c: rx.table.row(
            rx.table.cell(c[0]), rx.table.cell(rx.code(c[1]), background=_DIFF_BG["del"]),
            rx.table.cell(rx.code(c[2]), background=_DIFF_BG["add"])))),
        size="1")


def diff_card() -> rx.Component:
    box = dict(width="100%", border="1px solid var(--gray-a5)", border_radius="6px", max_height="420px",
               overflow_y="auto")
    return rx.cond(S.diff_title != "", section_card(
        "Diff " + S.diff_title,
        rx.heading("Messages", size="2", as_="h3"),
        rx.box(rx.foreach(S.diff_messages, _diff_line), class_name="prompt-diff", **box),
        rx.heading("Settings", size="2", as_="h3"),
        rx.cond(S.diff_settings.length() == 0, rx.text("Same settings.", size="1", color_scheme="gray"),
                _settings_diff()),
        rx.heading("Tools", size="2", as_="h3"),
        rx.cond(S.diff_tools.length() == 0, rx.text("No tools in either version.", size="1", color_scheme="gray"),
                rx.box(rx.foreach(S.diff_tools, _diff_line), **box)),
        rx.heading("Output type", size="2", as_="h3"),
        rx.cond(S.diff_output.length() == 0, rx.text("Same output type.", size="1", color_scheme="gray"),
                rx.text(S.diff_output[0] + " → " + S.diff_output[1], size="2")),
        rx.button("Close diff", size="1", variant="soft", on_click=S.clear_selection),
    ))


def _result_row(r: ResultRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(r.label, href=r.logs_href, title="Open these generations in Logs")),
        rx.table.cell(r.generations), rx.table.cell(r.latency), rx.table.cell(r.cost), rx.table.cell(r.tokens),
        rx.foreach(r.scores, lambda c: rx.table.cell(c)),
        class_name="result-row",
    )


def results_card() -> rx.Component:
    heads = ["Version", "Generations", "Latency (95% CI)", "Cost", "Tokens (avg)"]
    return section_card(
        "Results by version",
        rx.cond(S.results.length() == 0,
                rx.text("No generation has used this prompt yet. Log generations made from it with the SDK "
                        "(prompt.format_messages, then an instrumented LLM call) to compare versions here.",
                        size="2", color_scheme="gray"),
                rx.box(rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in heads],
                                                 rx.foreach(S.score_names, lambda n: rx.table.column_header_cell(
                                                     n + " (95% CI, n)")))),
                    rx.table.body(rx.foreach(S.results, _result_row)), width="100%", size="1"),
                    overflow_x="auto", width="100%")),
        description="Means with their 95% confidence interval (Student t). Click a version to see its generations.",
    )


def _share_input(v: VersionRow) -> rx.Component:
    return rx.cond(~v.deprecated, rx.hstack(
        rx.text(v.label, width="48px", size="2"),
        rx.input(default_value=S.rollout_values[v.id].to(str), on_change=lambda x: S.set_share(v.id, x),
                 type="number", min="0", max="100", step="any", width="120px", aria_label="Rollout of " + v.label),
        rx.text("%", size="2"), rx.text(v.changelog, size="1", color_scheme="gray", max_width="260px", title=v.changelog, style=TRUNCATE),
        align="center", spacing="2"))


def rollout_card() -> rx.Component:
    return section_card(
        "A/B rollout",
        rx.hstack(rx.text("Served by name: ", rx.foreach(S.versions, lambda v: rx.cond(
            v.rollout != "–", rx.badge(v.label + " " + v.rollout, size="2", margin_right="4px"))), size="2"),
            rx.spacer(),
            rx.cond(can("prompts:write"), rx.button(rx.icon("split", size=14), "Edit rollout", size="2",
                                                    variant="soft", on_click=S.open_rollout)),
            width="100%", align="center"),
        rx.heading("History", size="2", as_="h3"),
        rx.cond(S.history.length() == 0, rx.text("The rollout has not been changed yet.", size="1", color_scheme="gray"),
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                                   ["When", "Who", "From", "To"]])),
                    rx.table.body(rx.foreach(S.history, lambda h: rx.table.row(
                        *[rx.table.cell(h[i]) for i in range(4)], class_name="rollout-history-row"))),
                    width="100%", size="1")),
        rx.dialog.root(rx.dialog.content(
            rx.dialog.title("Edit rollout"),
            rx.dialog.description("Share of name-only get_prompt calls per version; the shares add up to 100. "
                                  "Deprecated versions are not listed.", size="2"),
            rx.vstack(rx.foreach(S.versions, _share_input), spacing="2", margin_y="12px",
                      max_height="50vh", overflow_y="auto"),
            rx.text("Total: " + S.rollout_total + "%", weight="medium", size="2"),
            form_error(S.rollout_error),
            rx.hstack(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                      rx.button("Save rollout", on_click=S.save_rollout), justify="end", spacing="2", margin_top="12px"),
            max_width="560px"), open=S.rollout_open, on_open_change=S.set_rollout_open),
        description="Saving applies at once to what the SDKs' get_prompt serves.",
    )


def code_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("code", size=14), "With code", variant="soft", size="2")),
        rx.dialog.content(
            rx.dialog.title("Use this prompt in code"),
            rx.dialog.description("The SDKs fetch it by name (the A/B rollout picks the version) or pin a version.",
                                  size="2"),
            rx.tabs.root(
                rx.tabs.list(rx.tabs.trigger("Python", value="python"), rx.tabs.trigger("TypeScript", value="ts")),
                rx.tabs.content(rx.vstack(rx.code_block(S.code_python, language="python", width="100%",
                                                        wrap_long_lines=True), copy_button(S.code_python)),
                                value="python", padding_top="8px"),
                rx.tabs.content(rx.vstack(rx.code_block(S.code_typescript, language="typescript", width="100%",
                                                        wrap_long_lines=True), copy_button(S.code_typescript)),
                                value="ts", padding_top="8px"),
                default_value="python"),
            rx.hstack(rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")), justify="end",
                      margin_top="12px"),
            max_width="720px"),
    )
