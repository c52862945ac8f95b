"""Small stateless pieces every page uses: form errors, one-time secrets with a copy button,
confirmations, empty states."""

from __future__ import annotations

import reflex as rx

# One line cut with an ellipsis. Reflex 0.10's rx.text has no ``truncate`` prop: ``truncate=True``
# becomes a meaningless CSS property and long text runs over its neighbours.
TRUNCATE = {"overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap"}


def form_error(message: rx.Var[str]) -> rx.Component:
    """A red callout under a form, shown while ``message`` is not empty."""
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", size="1",
                   class_name="form-error"),
    )


def notice(message: str | rx.Var[str], icon: str = "info") -> rx.Component:
    return rx.callout(message, icon=icon, color_scheme="gray", size="1")


def copy_button(value: rx.Var[str] | str, label: str = "Copy") -> rx.Component:
    return rx.button(rx.icon("copy", size=14), label, variant="soft", size="1", type="button",
                     on_click=[rx.set_clipboard(value), rx.toast.success("Copied to the clipboard")])


def secret_box(value: rx.Var[str], hint: str) -> rx.Component:
    """A value shown only once (API key, invite link) with a copy button."""
    return rx.vstack(
        rx.hstack(
            rx.code(value, size="2", variant="outline", class_name="one-time-secret",
                    style={"word_break": "break-all", "padding": "6px 8px"}),
            copy_button(value),
            align="center", width="100%", spacing="2",
        ),
        rx.text(hint, size="1", color_scheme="gray"),
        spacing="1", width="100%",
    )


def confirm(trigger: rx.Component, title: str, description: str | rx.Var[str], confirm_label: str,
            on_confirm) -> rx.Component:
    """An alert dialog that runs ``on_confirm`` only after an explicit second click."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description, size="2"),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button(confirm_label, color_scheme="red", on_click=on_confirm)),
                spacing="3", justify="end", margin_top="16px",
            ),
            max_width="440px",
        ),
    )


def empty_row(text: str, columns: int) -> rx.Component:
    return rx.table.row(rx.table.cell(rx.text(text, color_scheme="gray", size="2"), col_span=columns))


def section_card(title: str, *children: rx.Component, description: str = "") -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4", as_="h2"),
            *([rx.text(description, size="2", color_scheme="gray")] if description else []),
            *children,
            spacing="3", width="100%",
        ),
        width="100%",
    )


def choice(options: list[str], label: str | rx.Var[str], **root_props) -> rx.Component:
    """A select whose trigger carries ``label`` as its accessible name (``name=`` for forms,
    ``value=``/``on_change=`` when controlled, ``default_value=`` otherwise)."""
    size = root_props.pop("size", "2")
    return rx.select.root(
        rx.select.trigger(aria_label=label),
        rx.select.content(*[rx.select.item(o, value=o) for o in options]),
        size=size, **root_props,
    )


# Label/value headers (thread page, step and generation panel): a definition list whose pairs
# wrap as units, with a fixed gap between them, so labels and values never run together.
FACTS_STYLE = {
    "display": "flex", "flex_wrap": "wrap", "column_gap": "28px", "row_gap": "10px", "margin": "0",
    "& .fact": {"display": "flex", "flex_direction": "column", "gap": "2px", "min_width": "0"},
    "& dt": {"font_size": "var(--font-size-1)", "line_height": "var(--line-height-1)",
             "color": rx.color("gray", 11)},
    "& dd": {"margin": "0", "font_size": "var(--font-size-2)", "line_height": "var(--line-height-2)",
             "font_variant_numeric": "tabular-nums", "white_space": "nowrap", "overflow": "hidden",
             "text_overflow": "ellipsis", "max_width": "280px"},
}


def fact_list(facts: rx.Var, class_name: str = "") -> rx.Component:
    """``facts``: a list of [label, value]; empty values are the caller's to drop."""
    return rx.el.dl(
        rx.foreach(facts, lambda f: rx.el.div(rx.el.dt(f[0]), rx.el.dd(f[1], title=f[1]), class_name="fact")),
        class_name=f"fact-list {class_name}".strip(), style=FACTS_STYLE,
    )


def not_found_view(message: str | rx.Var[str], back_href: str | rx.Var[str] = "/",
                   back_label: str | rx.Var[str] = "Back to the dashboard") -> rx.Component:
    """What a missing page or record shows inside the app's layout, with a way back."""
    return rx.center(rx.vstack(
        rx.icon("search-x", size=40, color=rx.color("gray", 9)),
        rx.heading("Not found", size="5"),
        rx.text(message, size="2", color_scheme="gray", text_align="center", max_width="420px"),
        rx.hstack(rx.link(rx.button(rx.icon("arrow-left", size=14), back_label, size="2"), href=back_href),
                  rx.link(rx.button("Go to Threads", size="2", variant="soft"), href="/logs/threads/"),
                  spacing="2"),
        spacing="3", align="center", class_name="not-found"), width="100%", padding="48px 16px")
