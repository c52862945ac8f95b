"""The span tree of a thread: a flat list of visible nodes (the state expands and collapses and
loads children lazily), type icons, durations, keyboard navigation (arrows, enter); and the
waterfall of a run with idle gaps compressed."""

from __future__ import annotations

import reflex as rx
from reflex_base.event import key_event
from reflex_components_core.el.elements.typography import Div

from literal_app.components.css_icons import icon_styles
from literal_app.components.ui import TRUNCATE

ICONS = {"run": "play", "llm": "sparkles", "tool": "wrench", "retrieval": "search", "embedding": "binary",
         "rerank": "list-ordered", "user_message": "user", "assistant_message": "bot",
         "system_message": "settings", "undefined": "circle"}


class KeyNav(Div):
    """A focusable div that reports key presses (Box offers no keyboard triggers)."""

    on_key_down: rx.EventHandler[key_event]


def type_icon(step_type: rx.Var) -> rx.Component:
    return rx.match(step_type, *[(t, rx.icon(i, size=14)) for t, i in ICONS.items()], rx.icon("circle", size=14))


MAX_INDENT = 40  # deeper nodes are drawn at this depth


def _tree_style() -> dict:
    """One stylesheet for the whole tree: nodes are plain elements styled by class (and by a
    ``depth-N`` class for the indent) instead of a styled component each, because a 200-node tree
    of styled Radix components took a large share of the thread page's render time."""
    style = {
        "width": "100%", "outline": "none", "border_radius": "6px", "padding": "2px",
        "_focus": {"box_shadow": f"0 0 0 2px {rx.color('accent', 7)}"},
        "& .tree-node": {"display": "flex", "align_items": "center", "gap": "var(--space-1)", "width": "100%",
                         "padding": "2px 6px", "border_radius": "4px", "cursor": "pointer",
                         "font_size": "var(--font-size-1)", "line_height": "var(--line-height-1)"},
        "& .tree-node[data-selected=true]": {"background": rx.color("accent", 4), "font_weight": "bold"},
        "& .tree-toggle": {"display": "inline-flex", "align_items": "center", "justify_content": "center",
                           "width": "24px", "height": "24px", "flex_shrink": "0", "border": "none",
                           "background": "transparent", "color": rx.color("accent", 11), "cursor": "pointer",
                           "border_radius": "var(--radius-2)", "padding": "0"},
        "& .tree-toggle:hover": {"background": rx.color("accent", 3)},
        "& .tree-spacer": {"width": "24px", "flex_shrink": "0"},
        "& .tree-name": {"flex": "1", "min_width": "0", "overflow": "hidden", "text_overflow": "ellipsis",
                         "white_space": "nowrap"},
        "& .tree-duration": {"color": rx.color("gray", 11), "white_space": "nowrap"},
        **icon_styles("14px", aliases={f"t-{t}": icon for t, icon in ICONS.items()}),
        "& .tree-toggle .ico": {"width": "12px", "height": "12px"},
        "& .tree-node .ico-circle-alert": {"width": "12px", "height": "12px", "color": rx.color("red", 9)},
    }
    for depth in range(1, MAX_INDENT + 1):
        style[f"& .depth-{depth}"] = {"padding_left": f"{6 + 14 * depth}px"}
    return style


def _node(n: rx.Var, selected_id: rx.Var, on_select, on_toggle) -> rx.Component:
    """``n`` is a TreeRow: id, depth, type, name, duration, has_children, expanded, has_error."""
    selected = n.id == selected_id
    depth = rx.cond(n.depth > MAX_INDENT, MAX_INDENT, n.depth)
    return rx.el.div(
        rx.cond(n.has_children,
                rx.el.button(rx.el.span(class_name=rx.cond(n.expanded, "ico ico-chevron-down", "ico ico-chevron-right")),
                             on_click=on_toggle(n.id).stop_propagation, class_name="tree-toggle", type="button",
                             aria_label=rx.cond(n.expanded, "Collapse ", "Expand ") + n.name.to(str),
                             tab_index=-1),
                rx.el.span(class_name="tree-spacer")),
        rx.el.span(class_name="ico ico-t-" + n.type.to(str)),
        rx.el.span(n.name, class_name="tree-name"),
        rx.cond(n.has_error, rx.el.span(class_name="ico ico-circle-alert", aria_label="error", role="img")),
        rx.el.span(n.duration, class_name="tree-duration"),
        on_click=on_select(n.id), class_name="tree-node depth-" + depth.to(str), data_id=n.id,
        data_selected=rx.cond(selected, "true", "false"), role="treeitem",
        aria_selected=rx.cond(selected, "true", "false"), aria_expanded=rx.cond(n.expanded, "true", "false"),
    )


def span_tree(nodes: rx.Var, selected_id: rx.Var, *, on_select, on_toggle, on_key, has_more: rx.Var,
              on_more) -> rx.Component:
    return rx.vstack(
        KeyNav.create(
            rx.foreach(nodes, lambda n: _node(n, selected_id, on_select, on_toggle)),
            role="tree", aria_label="Steps", tab_index=0, class_name="span-tree",
            on_key_down=on_key,
            style=_tree_style(),
        ),
        rx.cond(has_more, rx.button("Load more steps", size="1", variant="soft", on_click=on_more)),
        spacing="1", width="100%",
    )


def waterfall(spans: rx.Var, gaps: rx.Var, total: rx.Var, on_select) -> rx.Component:
    """``spans``: WaterfallRow (id, name, type, depth, left, width, duration, has_error) in percent."""
    def bar(s: rx.Var) -> rx.Component:
        return rx.hstack(
            rx.hstack(rx.box(width=(s.depth * 10).to(str) + "px"), type_icon(s.type),
                      rx.text(s.name, size="1", title=s.name, style=TRUNCATE),
                      width="200px", min_width="200px", spacing="1", align="center"),
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
