"""The Prompt Playground (``/playground``): the template editor beside up to four tabs, each
with its own provider, model and settings, streaming concurrently. Opened fresh (examples), from
a prompt version (``?prompt_version=<id>`` or the SDKs' ``?name=...&version=N``) or from a logged
generation (``?generation=<step id>``)."""

from __future__ import annotations

import reflex as rx

from literal_app.components import template_editor as te
from literal_app.components.layout import layout
from literal_app.components.ui import section_card
from literal_app.pages.datasets.dialogs import run_dialog
from literal_app.pages.playground.dialogs import code_dialog, dataset_picker, save_dialog
from literal_app.state.playground.experiment import PlaygroundExperimentState as PX
from literal_app.pages.playground.tabs import ANSWER_CSS, tab_answer, tab_card
from literal_app.state.playground.editor import PlaygroundState as P
from literal_app.state.playground.runs import PlaygroundRunState as R
from literal_app.state.playground.saving import PlaygroundSaveState as S
from literal_app.state.session import can

# Ctrl/Cmd+Enter runs every tab without a server round trip per key press; blurring first sends the
# text field's pending (debounced) change before the run. The listener is on window in the capture
# phase and stops the event there, so the focused control never sees the key: a Radix Select trigger
# (focused again after picking a model) opens on Enter even with Ctrl held, and left open it keeps
# `pointer-events: none` on <body>, so the page took no more clicks. pgLive receives the streamed text.
_SHORTCUT = """
window.pgLive = (pieces, reset) => {  // streamed text, appended without a React render per piece
  for (const [id, text] of Object.entries(pieces)) {
    const el = document.getElementById('pg-live-' + id);
    if (!el) continue;
    if (reset) el.textContent = '';
    if (text) el.append(text);
  }
};
window.addEventListener('keydown', (e) => {
  if ((e.metaKey || e.ctrlKey) && e.key === 'Enter' && document.getElementById('run-all')) {
    e.preventDefault();
    e.stopPropagation();
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    setTimeout(() => document.getElementById('run-all').click(), 0);
  }
}, true);
"""


def _toolbar() -> rx.Component:
    return rx.hstack(
        rx.cond(P.origin_label != "", rx.badge("From " + P.origin_label, variant="soft", size="2")),
        rx.menu.root(
            rx.menu.trigger(rx.button(rx.icon("sparkles", size=14), "Examples", variant="soft", size="2")),
            rx.menu.content(rx.foreach(P.examples, lambda n: rx.menu.item(n, on_click=P.open_example(n)))),
        ),
        rx.spacer(),
        rx.button(rx.icon("plus", size=14), "Add tab", variant="soft", size="2", on_click=P.add_tab),
        rx.button(rx.icon("code", size=14), "With code", variant="soft", size="2", on_click=S.open_code),
        rx.cond(can("datasets:write"), rx.button(rx.icon("flask-round", size=14), "Experiment on dataset",
                                                 variant="soft", size="2", on_click=PX.open_picker)),
        rx.cond(can("prompts:write"), rx.button(rx.icon("save", size=14), "Save", variant="soft", size="2",
                                                on_click=S.open_save)),
        rx.button(rx.icon("square", size=14), "Stop all", variant="soft", color_scheme="red", size="2",
                  on_click=R.stop_all),
        rx.button(rx.icon("play", size=14), "Run all", rx.el.kbd("Ctrl ⏎", style={"font_size": "11px", "opacity": "0.8"}), size="2", id="run-all",
                  on_click=R.run_all),
        width="100%", align="center", spacing="2", wrap="wrap",
    )


def _editor() -> rx.Component:
    return rx.vstack(
        section_card("Messages", te.message_list(P), te.image_upload(P)),
        section_card("Variables", te.variables_panel(P)),
        section_card("Tools", te.tools_editor(P)),
        section_card("Output", te.output_editor(P, P.schemas)),
        spacing="3", width="100%",
    )


@rx.page(route="/playground", title="Playground · literal_app", on_load=P.load)
def playground_page() -> rx.Component:
    return layout(
        rx.script(_SHORTCUT),
        _toolbar(),
        rx.cond(P.load_error != "", rx.callout(P.load_error, icon="triangle_alert", color_scheme="red", role="alert")),
        rx.grid(
            rx.box(_editor(), min_width="0"),
            rx.grid(  # row 1: each tab's settings; row 2: its answer (a grid keeps them in columns)
                rx.foreach(P.tabs, tab_card), rx.foreach(P.tabs, tab_answer),
                grid_template_columns="repeat(" + P.tabs.length().to_string() + ", minmax(210px, 1fr))",
                spacing="3", align_items="start", min_width="0", overflow_x="auto", style=ANSWER_CSS),
            columns="minmax(360px, 2fr) 3fr", spacing="4", width="100%", align_items="start",
        ),
        save_dialog(),
        code_dialog(),
        dataset_picker(), run_dialog(),
        title="Playground",
        scope="prompts:read",
    )


@rx.page(route="/projects/[link_project]/playground", title="Playground · literal_app", on_load=P.load)
def project_playground_page() -> rx.Component:
    """The link the SDKs give as ``prompt.url`` (``?name=...&version=N``): the same Playground, in
    that project."""
    return playground_page()
