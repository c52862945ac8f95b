"""The annotation panel of the review page: a control per score schema (categorical: buttons
with their number keys; continuous: a number in its range), comment, tags, add to dataset, and
the navigation buttons that the keyboard shortcuts click."""

from __future__ import annotations

import reflex as rx

from literal_app.components.ui import TRUNCATE, form_error
from literal_app.state.annotation.keys import SHORTCUTS
from literal_app.state.annotation.review import ReviewState as S
from literal_app.state.session import can

PANEL_STYLE = {
    "& .schema-control": {"border": f"1px solid {rx.color('gray', 5)}", "border_radius": "8px", "padding": "8px 10px",
                          "width": "100%"},
    "& .schema-control[data-focused=true]": {"border_color": rx.color("accent", 8),
                                             "box_shadow": f"0 0 0 1px {rx.color('accent', 8)}"},
    "& .key-hint": {"font_family": "var(--code-font-family)", "font_size": "10px", "opacity": "0.7",
                    "margin_right": "4px"},
}


def _control(c, i) -> rx.Component:
    value = S.values[c.id]
    categorical = rx.flex(rx.foreach(c.options, lambda o: rx.button(
        rx.cond(o[1] != "", rx.el.span(o[1], class_name="key-hint")), o[0], size="1", type="button",
        variant=rx.cond(value == o[0], "solid", "outline"), on_click=S.choose(c.id, o[0]), data_key=o[1],
        aria_pressed=rx.cond(value == o[0], "true", "false"), class_name="category-button")), spacing="1", wrap="wrap")
    continuous = rx.hstack(
        rx.input(type="number", value=value, on_change=lambda v: S.set_number(c.id, v), min=c.low, max=c.high,
                 step=c.step, width="120px", size="1", aria_label=c.name + " value"),
        rx.text("between " + c.low.to(str) + " and " + c.high.to(str), size="1", color_scheme="gray"),
        align="center")
    return rx.box(
        rx.hstack(rx.text(c.name, weight="bold", size="2"), rx.text(c.description, size="1", color_scheme="gray",
                                                                     title=c.description, style=TRUNCATE),
                  spacing="2", align="baseline", min_width="0"),
        rx.cond(c.kind == "categorical", categorical, continuous),
        class_name="schema-control", data_focused=rx.cond(S.focus == i, "true", "false"), data_schema=c.name)


def _tags() -> rx.Component:
    return rx.vstack(
        rx.text("Tags", weight="bold", size="2"),
        rx.flex(rx.foreach(S.item_tags, lambda t: rx.badge(t, rx.icon_button(
            rx.icon("x", size=10), size="1", variant="ghost", on_click=S.remove_tag(t), aria_label="Remove tag " + t),
            variant="soft", class_name="review-tag")), spacing="1", wrap="wrap"),
        rx.form(rx.hstack(
            rx.input(value=S.new_tag, on_change=S.set_new_tag, placeholder="Add or create a tag (t)", size="1",
                     aria_label="New tag", data_shortcut="tag", list="review-tag-options", flex="1"),
            rx.el.datalist(rx.foreach(S.tag_options, lambda t: rx.el.option(value=t)), id="review-tag-options"),
            rx.button("Add tag", size="1", type="submit"), spacing="1", width="100%"),
            on_submit=S.add_tag, reset_on_submit=False, width="100%"),
        spacing="1", width="100%")


def _dataset_dialog() -> rx.Component:
    mono = {"font_family": "var(--code-font-family)", "font_size": "12px"}
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title("Add to a dataset"),
        rx.dialog.description("Edit the input and expected output before adding. The item keeps a link to "
                              "its source step.", size="2"),
        rx.form(rx.vstack(
            rx.select.root(rx.select.trigger(aria_label="Dataset", width="100%"), rx.select.content(
                rx.foreach(S.dataset_options, lambda d: rx.select.item(d.name, value=d.id)),
                rx.select.item("New dataset…", value="new")),
                value=S.dataset_choice, on_change=lambda v: S.set_dataset_field("dataset_choice", v)),
            rx.cond(S.dataset_choice == "new", rx.hstack(
                rx.input(value=S.dataset_new_name, placeholder="New dataset name", aria_label="New dataset name",
                         on_change=lambda v: S.set_dataset_field("dataset_new_name", v), flex="1"),
                rx.select.root(rx.select.trigger(aria_label="Dataset type"), rx.select.content(
                    rx.select.item("Key-value", value="key_value"), rx.select.item("Generation", value="generation")),
                    value=S.dataset_type, on_change=lambda v: S.set_dataset_field("dataset_type", v)),
                width="100%")),
            rx.text("Input (JSON)", size="2", weight="medium"),
            rx.text_area(value=S.dataset_input, on_change=lambda v: S.set_dataset_field("dataset_input", v),
                         aria_label="Dataset input", rows="8", width="100%", style=mono),
            rx.text("Expected output (JSON)", size="2", weight="medium"),
            rx.text_area(value=S.dataset_expected, on_change=lambda v: S.set_dataset_field("dataset_expected", v),
                         aria_label="Expected output", rows="6", width="100%", style=mono),
            form_error(S.dataset_error),
            rx.hstack(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                      rx.button("Add to dataset", type="submit"), justify="end", width="100%"),
            spacing="2", margin_top="8px"), on_submit=S.add_to_dataset, reset_on_submit=False),
        max_width="640px"), open=S.dataset_open, on_open_change=S.set_dataset_open)


def _help() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(rx.button(rx.icon("keyboard", size=14), "Shortcuts", size="1", variant="ghost",
                                     data_shortcut="help")),
        rx.popover.content(rx.vstack(
            rx.text("Keyboard shortcuts", weight="bold", size="2"),
            *[rx.hstack(rx.code(k, size="1"), rx.text(what, size="1"), spacing="2") for k, what in SHORTCUTS],
            spacing="1"), class_name="shortcuts-help"))


def _buttons() -> rx.Component:
    return rx.vstack(
        rx.button(rx.icon("check", size=14), "Mark reviewed", rx.el.span("r", class_name="key-hint"), width="100%",
                  on_click=S.mark_reviewed, data_shortcut="review", disabled=S.source_deleted | (S.held_by != ""),
                  loading=S.saving, class_name="mark-reviewed"),
        rx.hstack(
            rx.button(rx.icon("chevron-left", size=14), "Previous", size="1", variant="soft", on_click=S.previous_item,
                      data_shortcut="prev", disabled=S.pos <= 0),
            rx.button("Skip", size="1", variant="soft", color_scheme="gray", on_click=S.skip, data_shortcut="skip"),
            rx.button("Next", rx.icon("chevron-right", size=14), size="1", variant="soft", on_click=S.next_item,
                      data_shortcut="next"),
            rx.spacer(), _help(), width="100%"),
        rx.el.button(on_click=S.focus_next, data_shortcut="focus-next", hidden=True, type="button", tab_index=-1),
        rx.el.button(on_click=S.focus_previous, data_shortcut="focus-prev", hidden=True, type="button", tab_index=-1),
        spacing="2", width="100%")


def annotation_panel() -> rx.Component:
    return rx.vstack(
        _buttons(),
        rx.cond(S.controls.length() > 0, rx.foreach(S.controls, _control),
                rx.callout(rx.hstack(rx.text("No score schema yet.", size="2"),
                                     rx.link("Create one in Settings → Score schemas", href="/settings/score-schemas",
                                             size="2"), spacing="1", wrap="wrap"), icon="ruler", size="1")),
        rx.text_area(value=S.comment, on_change=S.set_comment, placeholder="Comment (saved with every score)",
                     aria_label="Review comment", width="100%", rows="2"),
        _tags(),
        rx.cond(can("datasets:add_from_review"), rx.button(
            rx.icon("database", size=14), "Add to dataset", rx.el.span("d", class_name="key-hint"), size="1",
            variant="soft", on_click=S.open_dataset, data_shortcut="dataset", width="100%")),
        _dataset_dialog(),
        spacing="3", width="100%", position="sticky", top="12px", style=PANEL_STYLE, class_name="annotation-panel")
