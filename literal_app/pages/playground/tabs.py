"""A Playground tab: provider credential, model and the settings its provider accepts, Run/Stop,
and the streamed answer with its tokens, cost, latency and TTFT."""

from __future__ import annotations

import reflex as rx

from literal_app.state.playground.editor import SETTING_FIELDS, PlaygroundState as P, Tab
from literal_app.state.playground.runs import PlaygroundRunState as R


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
            content=rx.grid(*[_setting(tab, *f) for f in SETTING_FIELDS], columns="2", gap="2", width="100%"),
            value="settings"),
        collapsible=True, type="single", variant="ghost", width="100%",
    )


def _answer(tab: Tab) -> rx.Component:
    out = R.outputs[tab.id]
    status = out["status"].to(str)
    return rx.vstack(
        rx.cond(out["error"].to(str) != "", rx.callout(out["error"].to(str), icon="triangle_alert", color_scheme="red",
                                                       size="1", role="alert", width="100%")),
        rx.cond(out["text"].to(str) != "", rx.box(out["text"].to(str), class_name="pg-answer", white_space="pre-wrap",
                                                  font_size="14px", width="100%")),
        rx.cond(out["tools"].to(str) != "", rx.vstack(
            rx.text("Tool calls", size="1", weight="medium"),
            rx.code_block(out["tools"].to(str), language="json", font_size="12px", width="100%", wrap_long_lines=True),
            width="100%", spacing="1", class_name="pg-tool-calls")),
        rx.cond(status == "streaming", rx.hstack(rx.spinner(size="1"), rx.text("Streaming…", size="1"), spacing="2")),
        rx.cond(out["check"].to(str) != "", rx.text(out["check"].to(str), color_scheme="orange", size="1")),
        rx.cond(out["metrics"].to(str) != "", rx.text(out["metrics"].to(str), size="1", color_scheme="gray",
                                                      class_name="pg-metrics")),
        rx.cond((status == "done") & ((out["text"].to(str) != "") | (out["tools"].to(str) != "")),
                rx.button(rx.icon("corner-down-left", size=14), "Append to messages", size="1", variant="soft",
                          on_click=R.append_answer(tab.id))),
        rx.cond((status == "") | (status == "idle"),
                rx.text("Run to see the answer here (Ctrl/⌘+Enter runs every tab).", size="1", color_scheme="gray")),
        spacing="2", width="100%", min_height="120px",
    )


def tab_card(tab: Tab, index) -> rx.Component:
    streaming = R.outputs[tab.id]["status"].to(str) == "streaming"
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text("Tab " + (index + 1).to_string(), weight="medium", size="2"),
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
            rx.divider(),
            _answer(tab),
            spacing="2", width="100%",
        ),
        class_name="pg-tab", min_width="280px", flex="1",
    )
