"""The step detail panel shown beside the thread tree and on the step page: timings, input and
output, generation details, metadata, attachments, tags and scores with their dialog."""

from __future__ import annotations

import reflex as rx

from literal_app.components.attachments import attachment_list
from literal_app.components.json_view import json_view
from literal_app.components.span_tree import type_icon
from literal_app.components.rich_text import PARTS_STYLE, markdown_text, message_part
from literal_app.components.ui import TRUNCATE, fact_list, form_error
from literal_app.state.logs.panel import StepPanelState as S
from literal_app.state.session import can


def _tags() -> rx.Component:
    return rx.vstack(
        rx.text("Tags", weight="bold", size="2"),
        rx.flex(rx.foreach(S.step.tags, lambda t: rx.badge(
            t, rx.cond(can("annotations:write"), rx.icon_button(
                rx.icon("x", size=10), size="1", variant="ghost", on_click=S.remove_tag(t),
                aria_label="Remove tag " + t)), variant="soft", class_name="step-tag")), wrap="wrap", spacing="1"),
        rx.cond(can("annotations:write"), rx.form(rx.hstack(
            rx.input(value=S.new_tag, on_change=S.set_new_tag, placeholder="Add a tag", size="1", width="160px",
                     aria_label="New tag"),
            rx.button("Add tag", size="1", type="submit"), spacing="1"), on_submit=S.add_tag, reset_on_submit=False)),
        spacing="1", width="100%",
    )


def _score_row(s) -> rx.Component:
    return rx.hstack(
        rx.badge(s.type, variant="outline", size="1"), rx.text(s.name, weight="medium", size="2"),
        rx.text(s.value, size="2"), rx.cond(s.label != "", rx.badge(s.label, size="1")),
        rx.text(s.comment, size="1", color_scheme="gray", flex="1", title=s.comment, style=TRUNCATE),
        rx.text(s.by, size="1", color_scheme="gray"),
        rx.cond(s.mine | (can("project:write") & (s.type == "HUMAN")), rx.hstack(
            rx.icon_button(rx.icon("pencil", size=12), size="1", variant="ghost", on_click=S.edit_score(s.id),
                           aria_label="Edit score " + s.name),
            rx.icon_button(rx.icon("trash-2", size=12), size="1", variant="ghost", color_scheme="red",
                           on_click=S.delete_score(s.id), aria_label="Delete score " + s.name), spacing="1")),
        width="100%", align="center", class_name="score-row", spacing="2",
    )


def _score_dialog() -> rx.Component:
    schema = rx.select.root(
        rx.select.trigger(aria_label="Score schema", width="100%"),
        rx.select.content(rx.foreach(S.schemas, lambda o: rx.select.item(o.name, value=o.id)),
                          rx.select.item("Free numeric score", value="free")),
        value=S.score_schema, on_change=lambda v: S.set_score_field("score_schema", v), disabled=S.score_id != "",
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.score_id != "", "Edit score", "Add a score")),
            rx.form(rx.vstack(
                schema,
                rx.foreach(S.schemas, lambda o: rx.cond((o.id == S.score_schema) & (o.type == "categorical"),
                    rx.radio_group.root(rx.foreach(o.labels, lambda lab: rx.radio_group.item(lab, value=lab)),
                                        value=S.score_label, on_change=lambda v: S.set_score_field("score_label", v),
                                        aria_label="Category"),
                    rx.cond((o.id == S.score_schema) & (o.type == "continuous"),
                            rx.text("Value between " + o.bounds, size="1", color_scheme="gray")))),
                rx.cond(S.score_schema == "free", rx.input(value=S.score_name, placeholder="Score name",
                        on_change=lambda v: S.set_score_field("score_name", v), aria_label="Score name")),
                rx.cond(S.score_label == "", rx.input(
                    value=S.score_value, placeholder="Value", aria_label="Score value",
                    on_change=lambda v: S.set_score_field("score_value", v))),
                rx.text_area(value=S.score_comment, placeholder="Comment (optional)", aria_label="Comment",
                             on_change=lambda v: S.set_score_field("score_comment", v)),
                form_error(S.score_error),
                rx.hstack(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                          rx.button("Save score", type="submit"), justify="end", width="100%"),
                spacing="3"), on_submit=S.save_score, reset_on_submit=False),
            max_width="460px",
        ),
        open=S.score_open, on_open_change=S.set_score_open,
    )


def _generation() -> rx.Component:
    return rx.cond(S.step.is_generation, rx.vstack(
        fact_list(S.step.facts, "generation-facts"),
        rx.cond(S.step.prompt_label != "", rx.link(rx.icon("file-text", size=12), " Prompt " + S.step.prompt_label,
                                                    href=S.step.prompt_href, size="2", class_name="prompt-link")),
        rx.cond(can("prompts:read"), rx.link(rx.button(rx.icon("flask-conical", size=12), "Open in playground",
                                                       size="1", variant="soft"),
                                             href="/playground?generation=" + S.step.id, class_name="open-playground")),
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
        rx.cond(S.step.tool_calls != "", rx.vstack(rx.text("Tool calls", weight="bold", size="2"),
                                                   rx.code_block(S.step.tool_calls, language="json", width="100%"))),
        json_view("Settings", S.settings),
        spacing="2", width="100%", class_name="generation"))


def step_panel() -> rx.Component:
    return rx.cond(S.step.id != "", rx.vstack(
        rx.hstack(type_icon(S.step.type), rx.heading(S.step.name, size="4", class_name="step-title"),
                  rx.badge(S.step.type, variant="soft"), align="center", spacing="2"),
        fact_list(S.step.summary, "step-facts"),
        rx.hstack(
            rx.cond(S.step.thread_id != "", rx.link("Thread", href="/logs/threads/" + S.step.thread_id, size="1")),
            rx.cond(S.step.root_run_id != "", rx.link("Root run", href="/logs/steps/" + S.step.root_run_id, size="1")),
            rx.link("Open step page", href="/logs/steps/" + S.step.id, size="1"), spacing="3"),
        rx.cond(S.step.error != "", rx.callout(S.step.error, icon="circle-alert", color_scheme="red", size="1",
                                              class_name="step-error")),
        _generation(),
        json_view("Input", S.input, S.load_whole("input")),
        json_view("Output", S.output, S.load_whole("output")),
        json_view("Metadata", S.metadata, S.load_whole("metadata")),
        attachment_list(S.attachments),
        _tags(),
        rx.hstack(rx.text("Scores", weight="bold", size="2"), rx.spacer(),
                  rx.cond(can("annotations:write"), rx.button(rx.icon("plus", size=12), "Add score", size="1",
                                                             on_click=S.open_score)), width="100%"),
        rx.foreach(S.scores, _score_row),
        _score_dialog(),
        spacing="3", width="100%", class_name="step-panel",
    ))
