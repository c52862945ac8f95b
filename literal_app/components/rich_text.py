"""Rich text of logged messages: Markdown (no raw HTML: react-markdown escapes it unless the
rehype-raw plugin is on, and drops ``javascript:`` links; code blocks are syntax-highlighted) and
the parts of multimodal messages (images as thumbnails that open full size, audio and video
players, links to files)."""

from __future__ import annotations

import reflex as rx

MARKDOWN_STYLE = {
    "font_size": "var(--font-size-2)", "line_height": "var(--line-height-2)", "overflow_wrap": "anywhere",
    "& p": {"margin": "0 0 6px 0"}, "& p:last-child": {"margin_bottom": "0"},
    "& pre": {"max_width": "100%", "overflow_x": "auto", "margin": "6px 0"},
    "& ul, & ol": {"margin": "4px 0", "padding_left": "20px"},
    "& img": {"max_width": "100%"},
}


def markdown_text(text: rx.Var[str] | str, class_name: str = "") -> rx.Component:
    return rx.box(rx.markdown(text, use_raw=False, use_math=False, use_katex=False),
                  class_name=f"md {class_name}".strip(), style=MARKDOWN_STYLE, width="100%")


def _image(p) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.el.button(
            rx.el.img(src=p.url, alt=p.name, class_name="part-thumb"), type="button",
            aria_label="Open image " + p.name.to(str), class_name="part-thumb-button")),
        rx.dialog.content(rx.dialog.title(p.name), rx.el.img(src=p.url, alt=p.name, style={"max_width": "100%"}),
                          rx.hstack(rx.link("Open in a new tab", href=p.url, is_external=True, size="1"),
                                    rx.dialog.close(rx.button("Close", size="1", variant="soft")),
                                    justify="between", width="100%", margin_top="8px"),
                          max_width="90vw", class_name="part-full"),
    )


def message_part(p) -> rx.Component:
    """``p``: PartView (kind: text | image | audio | video | file, text, url, name)."""
    return rx.match(
        p.kind,
        ("text", markdown_text(p.text)),
        ("image", _image(p)),
        ("audio", rx.el.audio(src=p.url, controls=True, class_name="part-audio", aria_label=p.name)),
        ("video", rx.el.video(src=p.url, controls=True, class_name="part-video", aria_label=p.name)),
        rx.link(rx.icon("paperclip", size=12), " ", p.name, href=p.url, is_external=True, size="2",
                class_name="part-file"),
    )


PARTS_STYLE = {
    "& .part-thumb-button": {"padding": "0", "border": "none", "background": "none", "cursor": "zoom-in",
                             "align_self": "flex-start", "width": "fit-content"},
    "& .part-thumb": {"height": "96px", "max_width": "200px", "object_fit": "contain", "border_radius": "6px",
                      "border": f"1px solid {rx.color('gray', 6)}", "display": "block",
                      "background": rx.color("gray", 3)},
    "& .part-file": {"display": "inline-flex", "align_items": "center", "gap": "4px", "align_self": "flex-start"},
    "& .part-audio": {"width": "100%", "max_width": "360px"},
    "& .part-video": {"max_width": "100%", "max_height": "240px"},
}
