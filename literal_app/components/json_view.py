"""A logged value (input, output, metadata, settings) in text, JSON and YAML views, with copy,
full-screen, and "load whole" when the server sent only the start of a large value."""

from __future__ import annotations

import reflex as rx

PRE = {"white_space": "pre-wrap", "word_break": "break-word", "font_size": "12px", "margin": "0",
       "font_family": "var(--code-font-family)"}


def _views(payload: rx.Var, max_height: str) -> rx.Component:
    def pane(value: rx.Var, name: str) -> rx.Component:
        return rx.tabs.content(
            rx.box(rx.el.pre(value, style=PRE), max_height=max_height, overflow_y="auto", padding="8px",
                   background=rx.color("gray", 2), border_radius="6px", class_name="payload-" + name),
            value=name)

    return rx.tabs.root(
        rx.tabs.list(rx.tabs.trigger("Text", value="text"), rx.tabs.trigger("JSON", value="json"),
                     rx.tabs.trigger("YAML", value="yaml"), size="1"),
        pane(payload.text, "text"), pane(payload.json, "json"), pane(payload.yaml, "yaml"),
        default_value="text", width="100%",
    )


def json_view(title: str, payload: rx.Var, on_load_whole=None, max_height: str = "320px") -> rx.Component:
    """``payload`` is a ``PayloadView`` var; ``on_load_whole`` fetches the whole value when cut."""
    return rx.cond(
        payload.empty,
        rx.fragment(),
        rx.vstack(
            rx.hstack(
                rx.text(title, weight="bold", size="2"),
                rx.text(payload.size.to(str) + " chars", size="1", color_scheme="gray"),
                rx.spacer(),
                rx.cond(payload.truncated & (on_load_whole is not None),
                        rx.button("Load whole", size="1", variant="soft", on_click=on_load_whole,
                                  aria_label="Load whole " + title) if on_load_whole is not None else rx.fragment()),
                rx.icon_button(rx.icon("copy", size=12), size="1", variant="ghost", aria_label="Copy " + title,
                               on_click=[rx.set_clipboard(payload.json), rx.toast.success("Copied")]),
                rx.dialog.root(
                    rx.dialog.trigger(rx.icon_button(rx.icon("maximize-2", size=12), size="1", variant="ghost",
                                                     aria_label="Full screen " + title)),
                    rx.dialog.content(rx.dialog.title(title), _views(payload, "75vh"),
                                      rx.dialog.close(rx.button("Close", size="1", variant="soft")),
                                      max_width="92vw", width="92vw"),
                ),
                width="100%", align="center", spacing="2",
            ),
            rx.cond(payload.truncated, rx.text("Showing the start of a large value.", size="1",
                                               color_scheme="amber")),
            _views(payload, max_height),
            spacing="1", width="100%", class_name="json-view",
        ),
    )
