"""Attachment previews: zoomable images, audio and video players, PDFs and text in a frame, and a
download link for everything."""

from __future__ import annotations

import reflex as rx


def _preview(a: rx.Var) -> rx.Component:
    return rx.match(
        a.kind,
        ("image", rx.dialog.root(
            rx.dialog.trigger(rx.image(src=a.url, alt=a.name, max_height="160px", max_width="100%",
                                       cursor="zoom-in", border_radius="4px")),
            rx.dialog.content(rx.dialog.title(a.name), rx.image(src=a.url, alt=a.name, width="100%"),
                              max_width="90vw"))),
        ("audio", rx.el.audio(src=a.url, controls=True, width="100%")),
        ("video", rx.el.video(src=a.url, controls=True, width="100%", max_height="240px")),
        ("pdf", rx.el.iframe(src=a.url, width="100%", height="320px", title=a.name)),
        # sandbox="": no scripts and an opaque origin, whatever the server sends
        ("text", rx.el.iframe(src=a.url, width="100%", height="200px", title=a.name, sandbox="")),
        rx.fragment(),
    )


def attachment_list(items: rx.Var) -> rx.Component:
    """``items``: AttachmentView (id, name, kind, url, mime)."""
    return rx.cond(items.length() > 0, rx.vstack(
        rx.text("Attachments", weight="bold", size="2"),
        rx.foreach(items, lambda a: rx.card(rx.vstack(
            rx.hstack(rx.icon("paperclip", size=14), rx.text(a.name, size="2"),
                      rx.text(a.mime, size="1", color_scheme="gray"), rx.spacer(),
                      rx.link("Download", href=a.url, is_external=True, size="1", download=a.name),
                      width="100%", align="center"),
            _preview(a), spacing="2", width="100%"), width="100%", class_name="attachment")),
        spacing="2", width="100%",
    ))
