"""The span tree of a thread: a flat list of visible nodes (the state expands and collapses and
loads children lazily), type icons, durations, keyboard navigation (arrows, enter); and the
waterfall of a run with idle gaps compressed."""

from __future__ import annotations

import reflex as rx
from reflex_base.event import key_event
from reflex_components_core.el.elements.typography import Div

ICONS = {"run": "play", "llm": "sparkles", "tool": "wrench", "retrieval": "search", "embedding": "binary",
         "rerank": "list-ordered", "user_message": "user", "assistant_message": "bot",
         "system_message": "settings", "undefined": "circle"}


class KeyNav(Div):
    """A focusable div that reports key presses (Box offers no keyboard triggers)."""

    on_key_down: rx.EventHandler[key_event]


def type_icon(step_type: rx.Var) -> rx.Component:
    return rx.match(step_type, *[(t, rx.icon(i, size=14)) for t, i in ICONS.items()], rx.icon("circle", size=14))


def _node(n: rx.Var, selected_id: rx.Var, on_select, on_toggle) -> rx.Component:
    """``n`` is a TreeRow: id, depth, type, name, duration, has_children, expanded, has_error."""
    selected = n.id == selected_id
    return rx.hstack(
        rx.box(width=(n.depth * 14).to(str) + "px", flex_shrink="0"),
        rx.cond(n.has_children,
                rx.icon_button(rx.cond(n.expanded, rx.icon("chevron-down", size=12), rx.icon("chevron-right", size=12)),
                               size="1", variant="ghost", on_click=on_toggle(n.id).stop_propagation,
                               aria_label=rx.cond(n.expanded, "Collapse ", "Expand ") + n.name.to(str),
                               tab_index=-1),
                rx.box(width="24px")),
        type_icon(n.type),
        rx.text(n.name, size="1", weight=rx.cond(selected, "bold", "regular"), truncate=True, flex="1"),
        rx.cond(n.has_error, rx.icon("circle-alert", size=12, color=rx.color("red", 9))),
        rx.text(n.duration, size="1", color_scheme="gray", white_space="nowrap"),
        on_click=on_select(n.id), class_name="tree-node", data_id=n.id,
        data_selected=rx.cond(selected, "true", "false"), role="treeitem",
        aria_selected=rx.cond(selected, "true", "false"), aria_expanded=rx.cond(n.expanded, "true", "false"),
        background=rx.cond(selected, rx.color("accent", 4), "transparent"), padding="2px 6px",
        border_radius="4px", width="100%", align="center", spacing="1", cursor="pointer",
    )


def span_tree(nodes: rx.Var, selected_id: rx.Var, *, on_select, on_toggle, on_key, has_more: rx.Var,
              on_more) -> rx.Component:
    return rx.vstack(
        KeyNav.create(
            rx.foreach(nodes, lambda n: _node(n, selected_id, on_select, on_toggle)),
            role="tree", aria_label="Steps", tab_index=0, class_name="span-tree",
            on_key_down=on_key,
            style={"width": "100%", "outline": "none", "border_radius": "6px", "padding": "2px",
                   "_focus": {"box_shadow": f"0 0 0 2px {rx.color('accent', 7)}"}},
        ),
        rx.cond(has_more, rx.button("Load more steps", size="1", variant="soft", on_click=on_more)),
        spacing="1", width="100%",
    )


def waterfall(spans: rx.Var, gaps: rx.Var, total: rx.Var, on_select) -> rx.Component:
    """``spans``: WaterfallRow (id, name, type, depth, left, width, duration, has_error) in percent."""
    def bar(s: rx.Var) -> rx.Component:
        return rx.hstack(
            rx.hstack(rx.box(width=(s.depth * 10).to(str) + "px"), type_icon(s.type),
                      rx.text(s.name, size="1", truncate=True), width="200px", min_width="200px", spacing="1",
                      align="center"),
            rx.box(
                rx.box(position="absolute", left=s.left.to(str) + "%", width=s.width.to(str) + "%", top="3px",
                       height="12px", border_radius="3px",
                       background=rx.cond(s.has_error, rx.color("red", 8), rx.color("accent", 8))),
                position="relative", flex="1", height="18px", background=rx.color("gray", 2), border_radius="3px",
            ),
            rx.text(s.duration, size="1", color_scheme="gray", width="70px", text_align="right"),
            width="100%", spacing="2", align="center", on_click=on_select(s.id), cursor="pointer",
            class_name="waterfall-row",
        )

    def gap(pos: rx.Var) -> rx.Component:
        return rx.box(position="absolute", left=pos.to(str) + "%", top="0", bottom="0", width="2px",
                      border_left=f"2px dashed {rx.color('gray', 8)}", title="idle time compressed")

    return rx.vstack(
        rx.hstack(rx.text("Waterfall", weight="bold", size="2"),
                  rx.text(total, size="1", color_scheme="gray"),
                  rx.text("dashed lines: idle time compressed", size="1", color_scheme="gray"), spacing="2"),
        rx.box(rx.box(rx.foreach(gaps, gap), position="absolute", left="210px", right="78px", top="0",
                      bottom="0", pointer_events="none"),
               rx.vstack(rx.foreach(spans, bar), spacing="1", width="100%"), position="relative", width="100%"),
        spacing="2", width="100%", class_name="waterfall",
    )
