"""A Playground tab: provider credential, model and the settings its provider accepts, Run/Stop,
and the streamed answer with its tokens, cost, latency and TTFT."""

from __future__ import annotations

import reflex as rx

from literal_app.state.playground.editor import SETTING_FIELDS, PlaygroundState as P, Tab
from literal_app.state.playground.runs import PlaygroundRunState as R, PlaygroundStreamState as L


def _setting(tab: Tab, name: str, label: str, hint: str) -> rx.Component:
    return rx.cond(tab.accepted.contains(name), rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.input(default_value=tab.settings[name].to(str), placeholder=hint, size="1", width="100%",
                 key=tab.id + tab.credential_id + name, aria_label=label,
                 on_blur=lambda v: P.set_tab_setting(tab.id, name, v)),
        spacing="1", width="100%"))


def _settings(tab: Tab) -> rx.Component:
    return rx.accordion.root(
        rx.accordion.item(
            header=rx.text("Settings", size="1"),
            content=rx.grid(*[_setting(tab, *f) for f in SETTING_FIELDS], columns="2", spacing="2", width="100%"),
            value="settings"),
        collapsible=True, type="single", variant="ghost", width="100%",
    )


def tab_answer(tab: Tab, index) -> rx.Component:
    """The answer pane under a tab (its own grid cell): only this reads the streamed text, so a
    flush of tokens re-renders the panes and not the editor or the tab settings."""
    out = R.outputs[tab.id]
    status = out["status"].to(str)
    text = L.live[tab.id].to(str)
    tools = L.live_tools[tab.id].to(str)
    return rx.el.div(  # outputs of a tab that never ran are undefined: test truthiness, not == ""
        rx.cond(out["error"], rx.callout(out["error"].to(str), icon="triangle_alert", color_scheme="red",
                                         size="1", role="alert", width="100%")),
        rx.el.div(id="pg-live-" + tab.id, class_name="pg-live",  # filled by window.pgLive while streaming
                  display=rx.cond(status == "streaming", "block", "none")),
        rx.cond(text.to(bool) & (status != "streaming"), rx.el.div(text, class_name="pg-answer")),
        rx.cond(tools, rx.el.div(rx.el.div("Tool calls", class_name="pg-label"),
                                 rx.el.pre(tools, class_name="pg-tools"), class_name="pg-tool-calls")),
        rx.cond(status == "streaming", rx.el.div("Streaming…", class_name="pg-label")),
        rx.cond(out["check"], rx.el.div(out["check"].to(str), class_name="pg-check")),
        rx.cond(out["metrics"], rx.el.div(out["metrics"].to(str), class_name="pg-metrics")),
        rx.cond((status == "done") & (text.to(bool) | tools.to(bool)),
                rx.button(rx.icon("corner-down-left", size=14), "Append", size="1", variant="soft",
                          title="Append the answer to the messages to continue the conversation",
                          aria_label="Append the answer of tab " + (index + 1).to_string() + " to the messages",
                          on_click=R.append_answer(tab.id))),
        rx.cond(status, rx.fragment(),
                rx.el.div("Run to see the answer here (Ctrl/⌘+Enter runs every tab).", class_name="pg-label")),
        class_name="pg-pane",
    )


ANSWER_CSS = {
    ".pg-pane": {"display": "flex", "flex_direction": "column", "gap": "8px", "padding": "12px",
                 "border": "1px solid var(--gray-a5)", "border_radius": "8px", "min_height": "140px",
                 "min_width": "0", "max_height": "70vh", "overflow_y": "auto", "contain": "content"},
    ".pg-answer, .pg-live": {"white_space": "pre-wrap", "font_size": "14px", "overflow_wrap": "anywhere"},
    ".pg-label": {"font_size": "12px", "color": "var(--gray-11)"},
    ".pg-metrics": {"font_size": "12px", "color": "var(--gray-11)"},
    ".pg-check": {"font_size": "12px", "color": "var(--orange-11)"},
    ".pg-tools": {"font_size": "12px", "white_space": "pre-wrap", "overflow_wrap": "anywhere", "margin": "0",
                  "font_family": "var(--code-font-family)", "background": "var(--gray-a3)", "padding": "6px",
                  "border_radius": "4px"},
}


def tab_card(tab: Tab, index) -> rx.Component:
    streaming = R.outputs[tab.id]["status"].to(str) == "streaming"
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text("Tab " + (index + 1).to_string(), weight="medium", size="2", white_space="nowrap"),
                rx.spacer(),
                rx.cond(streaming,
                        rx.button(rx.icon("square", size=12), "Stop", size="1", color_scheme="red", variant="soft",
                                  on_click=R.stop_tab(tab.id), aria_label="Stop tab " + (index + 1).to_string()),
                        rx.button(rx.icon("play", size=12), "Run", size="1", on_click=R.run_tab(tab.id),
                                  aria_label="Run tab " + (index + 1).to_string())),
                rx.cond(P.tabs.length() > 1, rx.icon_button(rx.icon("x", size=14), size="1", variant="ghost",
                                                            color_scheme="gray", on_click=P.remove_tab(tab.id),
                                                            aria_label="Close tab " + (index + 1).to_string())),
                width="100%", align="center", spacing="2",
            ),
            rx.cond(P.creds.length() == 0,
                    rx.callout(rx.text("No LLM provider yet: ", rx.link("add a credential", href="/settings/llm-providers"),
                                       " to run prompts."), icon="info", size="1", width="100%"),
                    rx.vstack(
                        rx.select.root(
                            rx.select.trigger(placeholder="Provider credential", width="100%",
                                              aria_label="Provider of tab " + (index + 1).to_string()),
                            rx.select.content(rx.foreach(P.creds, lambda c: rx.select.item(c.label, value=c.id))),
                            value=tab.credential_id, on_change=lambda v: P.set_tab_credential(tab.id, v), size="1"),
                        rx.select.root(
                            rx.select.trigger(placeholder="Model", width="100%",
                                              aria_label="Model of tab " + (index + 1).to_string()),
                            rx.select.content(rx.foreach(tab.models, lambda m: rx.select.item(m, value=m))),
                            value=tab.model, on_change=lambda v: P.set_tab_model(tab.id, v), size="1"),
                        spacing="2", width="100%")),
            _settings(tab),
            spacing="2", width="100%",
        ),
        class_name="pg-tab", min_width="0",
    )
