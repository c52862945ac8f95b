"""A log table: sortable headers, selectable rows that link to their detail page, cursor
pagination. Stateless: the caller passes its state's vars and events."""

from __future__ import annotations

import reflex as rx

# One stylesheet on the table instead of a style per row and cell: the body is plain <tr>/<td>
# elements with Radix Themes' table classes (the same look as rx.table.row/cell), because a page
# of 50 rows x 13 cells rendered as styled components took ~0.4 s of the browser's main thread
# on each render (and a table re-renders on every change of its state).
TABLE_STYLE = {
    "& .log-row": {"cursor": "pointer"},
    "& .log-row:hover": {"background": rx.color("gray", 3)},
    "& .log-cell": {"max_width": "320px", "overflow": "hidden", "text_overflow": "ellipsis",
                    "white_space": "nowrap", "font_size": "var(--font-size-1)",
                    "line_height": "var(--line-height-1)", "letter_spacing": "var(--letter-spacing-1)"},
    # Fixed widths: the sticky cells' offsets below add them up.
    "& .log-select": {"width": "36px", "min_width": "36px", "max_width": "36px", "padding_left": "10px",
                      "padding_right": "10px"},
    "& .log-select input": {"accent_color": rx.color("accent", 9), "cursor": "pointer", "margin": "0"},
    "& .log-status": {"width": "28px", "min_width": "28px", "max_width": "28px", "padding_left": "6px",
                      "padding_right": "6px"},
    "& .ok-dot": {"display": "inline-block", "width": "8px", "height": "8px", "border_radius": "50%",
                  "border": f"1.5px solid {rx.color('gray', 7)}"},
    # Wider than the window: the box scrolls sideways while the selection, status and first column
    # stay in place (sticky cells need an opaque background).
    "& table": {"min_width": "100%", "width": "max-content", "overflow": "visible"},  # hidden breaks sticky
    # Radix's table scrolls inside a ScrollArea whose bar only shows on hover: keep the horizontal
    # bar visible so columns beyond the window can be found.
    "& .rt-ScrollAreaScrollbar[data-orientation=horizontal]": {"opacity": "1", "visibility": "visible"},
    "& .sticky": {"position": "sticky", "z_index": "1", "background": rx.color("gray", 1)},
    "& thead .sticky": {"z_index": "2", "background": rx.color("gray", 2)},
    "& .log-row:hover .sticky": {"background": rx.color("gray", 3)},
    "& .log-select.sticky": {"left": "0"},
    "&[data-selectable=true] .log-status.sticky": {"left": "36px"},
    "&[data-selectable=false] .log-status.sticky": {"left": "0"},
    "&[data-selectable=true] .log-first": {"left": "64px"},
    "&[data-selectable=false] .log-first": {"left": "28px"},
    "& .log-first": {"box_shadow": f"inset -1px 0 0 {rx.color('gray', 5)}"},
}


def _header(col: rx.Var, i: rx.Var, sort: rx.Var, direction: rx.Var, on_sort) -> rx.Component:
    key, title, sortable = col[0], col[1], col[2]
    arrow = rx.cond(sort == sortable, rx.cond(direction == "ASC", " ↑", " ↓"), "")
    return rx.table.column_header_cell(
        rx.cond(sortable != "",
                rx.button(title, arrow, variant="ghost", size="1", on_click=on_sort(sortable),
                          aria_label="Sort by " + title.to(str)),
                rx.text(title, size="1")),
        class_name="col-" + key.to(str) + rx.cond(i == 0, " sticky log-first", ""),
    )


def _cell(value: rx.Var, i: rx.Var) -> rx.Component:
    return rx.el.td(value, title=value, class_name=rx.cond(i == 0, "rt-TableCell log-cell sticky log-first",
                                                            "rt-TableCell log-cell"))


def data_table(*, columns: rx.Var, rows: rx.Var, selected: rx.Var, sort: rx.Var, direction: rx.Var,
               on_sort, on_toggle, on_toggle_all, selectable: rx.Var | bool = True,
               empty: rx.Component | None = None) -> rx.Component:
    """``rows`` are RowView (id, href, cells, tags, has_error); ``columns`` [key, header, sort, index
    of the column's value in a row's ``cells``], in display order (the member's column choice)."""

    def row(r) -> rx.Component:
        return rx.el.tr(
            rx.cond(selectable, rx.el.td(rx.el.input(
                type="checkbox", checked=selected.contains(r.id), on_change=lambda _v: on_toggle(r.id),
                aria_label="Select " + r.id.to(str)), class_name="rt-TableCell log-select sticky",
                on_click=rx.stop_propagation)),
            rx.el.td(rx.cond(r.has_error, rx.icon("circle-alert", size=14, color=rx.color("red", 9),
                                                  aria_label="error"),
                             rx.el.span(class_name="ok-dot")), class_name="rt-TableCell log-status sticky"),
            rx.foreach(columns, lambda c, i: _cell(r.cells[c[3].to(int)], i)),
            class_name="rt-TableRow log-row", data_id=r.id,
            on_click=rx.cond(r.href != "", rx.redirect(r.href), rx.noop()),
        )

    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.cond(selectable, rx.table.column_header_cell(rx.checkbox(
                    on_change=lambda _v: on_toggle_all(), aria_label="Select all rows"),
                    class_name="log-select sticky")),
                rx.table.column_header_cell("", class_name="log-status sticky"),
                rx.foreach(columns, lambda c, i: _header(c, i, sort, direction, on_sort)),
            )),
            rx.table.body(rx.foreach(rows, row)),
            size="1", variant="surface", width="100%",
        ),
        *([rx.cond(rows.length() == 0, empty)] if empty is not None else []),
        width="100%", max_width="100%", overflow_x="auto", style=TABLE_STYLE, class_name="log-table",
        data_selectable=rx.cond(selectable, "true", "false"),
    )


def column_chooser(*, choices: rx.Var, on_toggle, on_move, on_reset, open: rx.Var, on_open_change) -> rx.Component:
    """A "Columns" popover: a checkbox per column (shown or not) and arrows to reorder them.
    ``choices``: [key, header, "1" when shown], in display order."""
    def item(c, i) -> rx.Component:
        return rx.hstack(
            rx.checkbox(c[1], checked=c[2] == "1", on_change=lambda _v: on_toggle(c[0]), size="1"),
            rx.spacer(),
            rx.icon_button(rx.icon("arrow-up", size=12), size="1", variant="ghost", type="button",
                           disabled=i == 0, on_click=on_move(c[0], -1), aria_label="Move " + c[1] + " up"),
            rx.icon_button(rx.icon("arrow-down", size=12), size="1", variant="ghost", type="button",
                           disabled=i == choices.length() - 1, on_click=on_move(c[0], 1),
                           aria_label="Move " + c[1] + " down"),
            width="100%", align="center", spacing="1", class_name="column-choice",
        )

    return rx.popover.root(
        rx.popover.trigger(rx.button(rx.icon("columns-3", size=14), "Columns", size="1", variant="soft",
                                     type="button", flex_shrink="0")),
        rx.popover.content(rx.vstack(
            rx.text("Columns shown, in order", size="1", weight="bold", color_scheme="gray"),
            rx.foreach(choices, item),
            rx.button("Reset to default", size="1", variant="ghost", type="button", on_click=on_reset),
            spacing="1", width="240px", class_name="column-chooser"), align="end"),
        open=open, on_open_change=on_open_change,
    )


def pager(*, has_previous: rx.Var, has_next: rx.Var, on_previous, on_next, count_text: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(count_text, size="1", color_scheme="gray", class_name="row-count"),
        rx.spacer(),
        rx.button(rx.icon("chevron-left", size=14), "Previous", size="1", variant="soft",
                  disabled=~has_previous, on_click=on_previous),
        rx.button("Next", rx.icon("chevron-right", size=14), size="1", variant="soft",
                  disabled=~has_next, on_click=on_next),
        width="100%", align="center",
    )
