"""The version editor of the prompt library: a new prompt (``/prompts/new``) or a new version of one
(``/prompts/<id>/new-version``), built from the Playground's template editor components."""

from __future__ import annotations

import reflex as rx

from literal_app.components import template_editor as te
from literal_app.components.layout import layout
from literal_app.components.ui import form_error, section_card
from literal_app.state.prompts.editor import PromptEditorState as E
from literal_app.state.prompts.views import DiffRow

_BG = {"add": "var(--green-a4)", "del": "var(--red-a4)", "hunk": "var(--blue-a3)"}


def _diff_line(line: DiffRow) -> rx.Component:
    return rx.el.div(line.text, class_name="diff-" + line.kind, style={
        "white_space": "pre-wrap", "font_family": "var(--code-font-family)", "font_size": "12px", "padding": "0 6px",
        "background": rx.match(line.kind, ("add", _BG["add"]), ("del", _BG["del"]), ("hunk", _BG["hunk"]),
                               "transparent")})


def _model_card() -> rx.Component:
    return section_card(
        "Model",
        rx.hstack(
            rx.vstack(rx.text("Provider", size="1", as_="label"),
                      rx.input(default_value=E.provider, key="prov" + E.te_version.to_string(), on_blur=E.set_provider,
                               aria_label="Provider", placeholder="openai, anthropic, ...", size="1"), spacing="1"),
            rx.vstack(rx.text("Model", size="1", as_="label"),
                      rx.input(default_value=E.model, key="model" + E.te_version.to_string(), on_blur=E.set_model,
                               aria_label="Model", placeholder="gpt-4o-mini", size="1"), spacing="1"),
            spacing="3", wrap="wrap"),
        rx.grid(rx.foreach(E.setting_fields, lambda f: rx.vstack(
            rx.text(f[1], size="1", as_="label"),
            rx.input(default_value=E.settings[f[0]].to(str), key=f[0] + E.te_version.to_string(), placeholder=f[2],
                     on_blur=lambda v: E.set_setting(f[0], v), aria_label=f[1], size="1"), spacing="1")),
            columns="3", spacing="2", width="100%"),
    )


def _save_card() -> rx.Component:
    return section_card(
        rx.cond(E.mode == "new", "Save the new prompt", "Save as a new version"),
        rx.form(rx.vstack(
            rx.cond(E.mode == "new",
                    rx.input(name="name", placeholder="Prompt name, e.g. support-answer", aria_label="Prompt name",
                             width="100%"),
                    rx.text("Versions are immutable: saving makes a new version of " + E.prompt_name + ".", size="2")),
            rx.text_area(name="changelog", placeholder="Changelog: what changed and why (required)",
                         aria_label="Changelog", rows="3", width="100%"),
            rx.hstack(rx.checkbox(name="promote", id="editor-promote"),
                      rx.text("Promote: make it the only version served by name (100% of get_prompt calls)", size="2",
                              as_="label", html_for="editor-promote"), align="center", spacing="2"),
            form_error(E.error),
            rx.button(rx.icon("save", size=14), rx.cond(E.mode == "new", "Create prompt", "Save version"),
                      type="submit"),
            spacing="3", width="100%"), on_submit=E.save, reset_on_submit=False),
        rx.text(rx.cond(E.base_label != "", "Changes from " + E.base_label, "Content"), size="2", weight="medium"),
        rx.box(rx.cond(E.diff.length() == 0, rx.text("No changes yet.", size="1", color_scheme="gray"),
                       rx.foreach(E.diff, _diff_line)),
               max_height="360px", overflow_y="auto", width="100%", border="1px solid var(--gray-a5)",
               border_radius="6px", class_name="editor-diff"),
    )


@rx.page(route="/prompts/new", title="New prompt · literal_app", on_load=E.load)
def new_prompt_page() -> rx.Component:
    return _page("New prompt")


@rx.page(route="/prompts/[lineage_id]/new-version", title="New version · literal_app", on_load=E.load)
def new_version_page() -> rx.Component:
    return _page(rx.cond(E.prompt_name != "", "New version of " + E.prompt_name, "New version"))


def _page(title) -> rx.Component:
    return layout(
        rx.cond(E.load_error != "", rx.callout(E.load_error, icon="triangle_alert", color_scheme="red", role="alert")),
        rx.grid(
            rx.vstack(section_card("Messages", te.message_list(E), te.image_upload(E)),
                      section_card("Tools", te.tools_editor(E)),
                      section_card("Output", te.output_editor(E, E.schemas)), spacing="3", width="100%", min_width="0"),
            rx.vstack(_model_card(), section_card("Default variable values", te.variables_panel(E)), _save_card(),
                      spacing="3", width="100%", min_width="0"),
            columns="minmax(0, 3fr) minmax(0, 2fr)", spacing="4", width="100%", align_items="start"),
        title=title,
        scope="prompts:write",
    )
