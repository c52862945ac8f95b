"""The Playground's Save dialog (new version or new prompt, changelog, diff, promote) and its
"With code" dialog (Python and TypeScript SDK snippets)."""

from __future__ import annotations

import reflex as rx

from literal_app.components.ui import copy_button, form_error
from literal_app.state.playground.experiment import PlaygroundExperimentState as PX
from literal_app.state.playground.saving import DiffLine, PlaygroundSaveState as S

_DIFF_COLORS = {"add": "var(--green-a4)", "del": "var(--red-a4)", "hunk": "var(--blue-a3)", "same": "transparent"}


def _diff_line(line: DiffLine) -> rx.Component:
    return rx.el.div(line.text, class_name="pg-diff-" + line.kind, style={
        "background": rx.match(line.kind, ("add", _DIFF_COLORS["add"]), ("del", _DIFF_COLORS["del"]),
                                ("hunk", _DIFF_COLORS["hunk"]), "transparent"),
        "white_space": "pre-wrap", "font_family": "var(--code-font-family)", "font_size": "12px", "padding": "0 6px"})


def save_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Save prompt"),
            rx.form(rx.vstack(
                rx.radio_group.root(
                    rx.hstack(rx.radio_group.item(value="version", id="save-version"),
                              rx.text("New version of", as_="label", html_for="save-version", size="2"),
                              rx.radio_group.item(value="new", id="save-new"),
                              rx.text("New prompt", as_="label", html_for="save-new", size="2"), spacing="2",
                              align="center"),
                    value=S.save_mode, on_change=S.set_save_mode, name="mode"),
                rx.cond(S.save_mode == "version",
                        rx.cond(S.lineages.length() == 0, rx.text("No prompts yet: save as a new prompt.", size="2"),
                                rx.select.root(
                                    rx.select.trigger(aria_label="Prompt", width="100%"),
                                    rx.select.content(rx.foreach(S.lineages, lambda l: rx.select.item(l.name, value=l.id))),
                                    value=S.save_lineage_id, on_change=S.set_save_lineage)),
                        rx.input(name="name", placeholder="Prompt name, e.g. support-answer", aria_label="Prompt name",
                                 width="100%")),
                rx.text_area(name="changelog", placeholder="What changed and why (required)", aria_label="Changelog",
                             rows="3", width="100%"),
                rx.hstack(rx.checkbox(name="promote", id="save-promote"),
                          rx.text("Promote: serve this version by name (100% of get_prompt calls)", size="2",
                                  as_="label", html_for="save-promote"), align="center", spacing="2"),
                rx.text("Changes", size="2", weight="medium"),
                rx.box(rx.cond(S.save_diff.length() == 0, rx.text("No changes.", size="1", color_scheme="gray"),
                               rx.foreach(S.save_diff, _diff_line)),
                       max_height="280px", overflow_y="auto", width="100%", border="1px solid var(--gray-a5)",
                       border_radius="6px", class_name="pg-diff"),
                form_error(S.save_error),
                rx.hstack(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                          rx.button("Save version", type="submit"), justify="end", spacing="2", width="100%"),
                spacing="3", width="100%"),
                on_submit=S.save, reset_on_submit=False),
            max_width="720px",
        ),
        open=S.save_open, on_open_change=S.set_save_open,
    )


def code_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Use this prompt in code"),
            rx.dialog.description("Fetch the saved prompt with the Literal AI SDKs (they work against this server "
                                  "with LITERAL_API_URL set).", size="2"),
            rx.cond(S.code_note != "", rx.callout(S.code_note, icon="info", size="1", margin_top="8px")),
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
            max_width="720px",
        ),
        open=S.code_open, on_open_change=S.set_code_open,
    )


def dataset_picker() -> rx.Component:
    """"Experiment on dataset": choose the dataset; the Run experiment dialog follows."""
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title("Experiment on dataset"),
        rx.text("Run the current template over every item of a dataset (one job per item).", size="2"),
        rx.vstack(rx.foreach(PX.dataset_choices, lambda c: rx.button(c.label, variant="soft", width="100%",
                                                                      on_click=PX.choose(c.id))),
                  spacing="2", margin_top="12px"),
        max_width="420px"), open=PX.picker_open, on_open_change=PX.set_picker_open)
