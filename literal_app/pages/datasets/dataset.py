"""A dataset's page: header with counts and actions (new item, import, export, run an experiment),
the items table (search, paging, bulk delete, click to edit) and the dataset's experiments."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.shortcuts import ROW_KEYS, key_hint, shortcut_scope, shortcuts_help
from literal_app.components.ui import confirm
from literal_app.pages.datasets.dialogs import import_dialog, item_editor, run_dialog
from literal_app.pages.datasets.experiment_list import experiments_table
from literal_app.state.datasets.dataset import DatasetState as D, ItemRow
from literal_app.state.datasets.experiments import ExperimentsState as E
from literal_app.state.datasets.runs import RunState as R
from literal_app.state.session import can, guarded

CELL = {"overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap",
        "font_family": "var(--code-font-family)", "font_size": "12px"}
# Widths that keep every column (down to Edit) on screen at 1280 px wide; the full text is the title.
INPUT, EXPECTED, META = CELL | {"max_width": "230px"}, CELL | {"max_width": "200px"}, CELL | {"max_width": "170px"}


KEYS = [*ROW_KEYS, ("e / Enter", "edit the item"), ("x", "select the item (or the experiment)"),
        ("n", "new item"), ("i", "import a file"), ("r", "run an experiment"), ("← / →", "previous / next page"),
        ("/", "search"), ("c", "compare the two selected experiments"), ("?", "these shortcuts")]


def _row(r: ItemRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.checkbox(checked=D.selected.contains(r.id), on_change=lambda _v: D.toggle(r.id),
                                  aria_label="Select item " + r.id, data_row_shortcut="x")),
        rx.table.cell(rx.text(r.input, style=INPUT, title=r.input)),
        rx.table.cell(rx.text(r.expected, style=EXPECTED, title=r.expected)),
        rx.table.cell(rx.text(r.metadata, style=META, title=r.metadata)),
        rx.table.cell(rx.cond(r.step_id != "", rx.link("step", href="/logs/steps/" + r.step_id, size="1"), "")),
        rx.table.cell(rx.text(r.created, size="1", white_space="nowrap")),
        rx.table.cell(rx.cond(can("datasets:write"), rx.button("Edit", size="1", variant="soft",
                                                               on_click=D.edit_item(r.id), data_row_shortcut="e"))),
        class_name="item-row", data_kb_row="1",
    )


def _actions() -> rx.Component:
    return rx.hstack(
        rx.cond(can("datasets:write"), rx.hstack(
            rx.button(rx.icon("plus", size=14), "New item", key_hint("n"), variant="soft", on_click=D.new_item,
                      data_shortcut="n"),
            import_dialog(),
            rx.button(rx.icon("play", size=14), "Run experiment", key_hint("r"), on_click=R.open_dialog(D.dataset_id),
                      data_shortcut="r"),
            spacing="2")),
        rx.menu.root(rx.menu.trigger(rx.button(rx.icon("download", size=14), "Export", variant="soft")),
                     rx.menu.content(
                         rx.menu.item(rx.link("JSONL (items)", href=D.export_jsonl, is_external=True)),
                         rx.cond(D.type == "generation",
                                 rx.menu.item(rx.link("OpenAI fine-tuning (JSONL)", href=D.export_openai,
                                                      is_external=True))))),
        spacing="2")


def _bulk() -> rx.Component:
    return rx.cond(D.selected.length() > 0, rx.hstack(
        rx.text(D.selected.length().to(str) + " selected", size="2"),
        confirm(rx.button(rx.icon("trash-2", size=14), "Delete", size="1", color_scheme="red", variant="soft"),
                "Delete the selected items?", "Experiments that used them keep their results.", "Delete",
                D.delete_selected),
        spacing="3", align="center", padding="6px 10px", background=rx.color("accent", 3), border_radius="6px",
        width="100%", class_name="bulk-bar"))


def _items() -> rx.Component:
    heads = ["Input", "Expected output", "Metadata", "Source", "Created", ""]
    return rx.vstack(
        rx.hstack(rx.input(default_value=D.search, on_change=lambda v: D.set_search(v).debounce(300),
                           placeholder="Search inputs, outputs, metadata  ( / )", aria_label="Search items",
                           width="320px", data_shortcut="/"),
                  rx.spacer(), rx.text(D.page_text, size="1", color_scheme="gray"),
                  rx.button("Previous", key_hint("←"), size="1", variant="soft", on_click=D.previous_page,
                            disabled=D.offset == 0, data_shortcut="ArrowLeft"),
                  rx.button("Next", key_hint("→"), size="1", variant="soft", on_click=D.next_page,
                            disabled=D.offset + 50 >= D.total, data_shortcut="ArrowRight"),
                  width="100%", align="center"),
        _bulk(),
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(rx.checkbox(on_change=lambda _v: D.toggle_all(),
                                                        aria_label="Select all items")),
                *[rx.table.column_header_cell(h) for h in heads])),
            rx.table.body(rx.foreach(D.rows, _row)), width="100%", variant="surface", size="1"),
        rx.cond(D.total == 0, rx.callout(
            rx.cond(D.search != "", "No item matches this search.",
                    "No items yet: import a CSV or JSONL file, add one with New item, or add rows from "
                    "Logs (select rows, then Add to dataset)."), icon="inbox", color_scheme="gray", size="1",
            class_name="empty-state")),
        spacing="2", width="100%")


@rx.page(route="/datasets/[dataset_id]", title="Dataset · literal_app",
         on_load=guarded(D.load, E.load_for_dataset))
def dataset_page() -> rx.Component:
    return layout(shortcut_scope(
        rx.hstack(
            rx.vstack(rx.hstack(rx.link("Datasets", href="/datasets", size="2"), rx.text("/", color_scheme="gray"),
                                rx.heading(D.name, size="5", as_="h2"), rx.badge(D.type_label), align="center"),
                      rx.text(D.item_count.to_string() + " items · " + D.experiment_count.to_string()
                              + " experiments" + rx.cond(D.description != "", " · " + D.description, ""),
                              size="1", color_scheme="gray"), spacing="1"),
            rx.spacer(), _actions(), width="100%", align="center", wrap="wrap"),
        rx.tabs.root(
            rx.tabs.list(rx.tabs.trigger("Items", value="items"), rx.tabs.trigger("Experiments", value="experiments")),
            rx.tabs.content(_items(), value="items", padding_top="12px"),
            rx.tabs.content(experiments_table(), value="experiments", padding_top="12px"),
            default_value="items", width="100%"),
        item_editor(), run_dialog()),
        title="Dataset",
        scope="datasets:read",
        actions=shortcuts_help(KEYS),
    )
