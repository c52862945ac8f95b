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
    "& .log-select": {"width": "28px"},
    "& .log-select input": {"accent_color": rx.color("accent", 9), "cursor": "pointer", "margin": "0"},
    "& .log-status": {"width": "20px"},
    "& .ok-dot": {"display": "inline-block", "width": "8px", "height": "8px", "border_radius": "50%",
                  "border": f"1.5px solid {rx.color('gray', 7)}"},
}


def _header(col: rx.Var, sort: rx.Var, direction: rx.Var, on_sort) -> rx.Component:
    key, title, sortable = col[0], col[1], col[2]
    arrow = rx.cond(sort == sortable, rx.cond(direction == "ASC", " ↑", " ↓"), "")
    return rx.table.column_header_cell(
        rx.cond(sortable != "",
                rx.button(title, arrow, variant="ghost", size="1", on_click=on_sort(sortable),
                          aria_label="Sort by " + title.to(str)),
                rx.text(title, size="1")),
        class_name="col-" + key.to(str),
    )


def _cell(value: rx.Var) -> rx.Component:
    return rx.el.td(value, title=value, class_name="rt-TableCell log-cell")


def data_table(*, columns: rx.Var, rows: rx.Var, selected: rx.Var, sort: rx.Var, direction: rx.Var,
               on_sort, on_toggle, on_toggle_all, selectable: rx.Var | bool = True,
               empty: rx.Component | None = None) -> rx.Component:
    """``rows`` are RowView (id, href, cells, tags, has_error); ``columns`` [key, header, sort]."""

    def row(r) -> rx.Component:
        return rx.el.tr(
            rx.cond(selectable, rx.el.td(rx.el.input(
                type="checkbox", checked=selected.contains(r.id), on_change=lambda _v: on_toggle(r.id),
                aria_label="Select " + r.id.to(str)), class_name="rt-TableCell log-select",
                on_click=rx.stop_propagation)),
            rx.el.td(rx.cond(r.has_error, rx.icon("circle-alert", size=14, color=rx.color("red", 9),
                                                  aria_label="error"),
                             rx.el.span(class_name="ok-dot")), class_name="rt-TableCell log-status"),
            rx.foreach(r.cells, _cell),
            class_name="rt-TableRow log-row", data_id=r.id,
            on_click=rx.cond(r.href != "", rx.redirect(r.href), rx.noop()),
        )

    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.cond(selectable, rx.table.column_header_cell(rx.checkbox(
                    on_change=lambda _v: on_toggle_all(), aria_label="Select all rows"))),
                rx.table.column_header_cell(""),
                rx.foreach(columns, lambda c: _header(c, sort, direction, on_sort)),
            )),
            rx.table.body(rx.foreach(rows, row)),
            size="1", variant="surface", width="100%", style=TABLE_STYLE,
        ),
        *([rx.cond(rows.length() == 0, empty)] if empty is not None else []),
        width="100%", overflow_x="auto",
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
