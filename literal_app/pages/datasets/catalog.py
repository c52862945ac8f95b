"""Evaluation → Datasets: the list with create, import a file into a new dataset, rename and delete."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.shortcuts import ROW_KEYS, key_hint, shortcut_scope, shortcuts_help
from literal_app.components.ui import TRUNCATE, confirm, form_error
from literal_app.pages.datasets.dialogs import import_dialog
from literal_app.state.datasets.catalog import DatasetRow, DatasetsState as S
from literal_app.state.session import can, guarded


KEYS = [*ROW_KEYS, ("Enter", "open the dataset"), ("n", "new dataset"), ("i", "import a file into a new dataset"),
        ("/", "search"), ("?", "these shortcuts")]


def _create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("plus", size=14), "New dataset", key_hint("n"), size="2",
                                    data_shortcut="n")),
        rx.dialog.content(
            rx.dialog.title("New dataset"),
            rx.form(rx.vstack(
                rx.text("Name", size="1", as_="label", html_for="ds-name"),
                rx.input(name="name", id="ds-name", placeholder="e.g. Support questions", width="100%",
                         aria_label="Dataset name", auto_focus=True),
                rx.text("Description", size="1", as_="label", html_for="ds-desc"),
                rx.text_area(name="description", id="ds-desc", width="100%", aria_label="Description"),
                rx.text("Type", size="1"),
                rx.radio_group.root(rx.hstack(
                    rx.radio_group.item(value="key_value", id="t-kv"), rx.text("Key-value (input → expected)", size="2", as_="label", html_for="t-kv"),
                    rx.radio_group.item(value="generation", id="t-gen"), rx.text("Generation (chat messages)", size="2", as_="label", html_for="t-gen"),
                    spacing="2", align="center"), name="type", default_value="key_value"),
                form_error(S.error),
                rx.hstack(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                          rx.button("Create dataset", type="submit"), justify="end", width="100%"),
                spacing="2"), on_submit=S.create, reset_on_submit=False),
            max_width="480px",
        ),
        open=S.create_open, on_open_change=S.set_create_open,
    )


def _rename_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Rename dataset"),
            rx.form(rx.vstack(
                rx.input(name="name", default_value=S.rename_name, key=S.rename_id, width="100%",
                         aria_label="New name"),
                form_error(S.error),
                rx.hstack(rx.button("Cancel", variant="soft", color_scheme="gray", type="button",
                                    on_click=S.cancel_rename(False)),
                          rx.button("Rename", type="submit"), justify="end", width="100%"),
                spacing="2"), on_submit=S.rename, reset_on_submit=False),
            max_width="420px",
        ),
        open=S.rename_id != "", on_open_change=S.cancel_rename,
    )


def _row(r: DatasetRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(r.name, href="/datasets/" + r.id, weight="medium", data_row_shortcut="o"),
                      rx.cond(r.description != "", rx.text(r.description, size="1", color_scheme="gray", as_="div",
                                                            max_width="360px", title=r.description, style=TRUNCATE))),
        rx.table.cell(rx.badge(r.type, variant="soft")),
        rx.table.cell(r.item_count.to_string()), rx.table.cell(r.experiments.to_string()), rx.table.cell(r.updated),
        rx.table.cell(rx.cond(can("datasets:write"), rx.hstack(
            rx.button("Rename", size="1", variant="soft", on_click=S.start_rename(r.id, r.name),
                      aria_label="Rename " + r.name),
            confirm(rx.button("Delete", size="1", variant="soft", color_scheme="red", aria_label="Delete " + r.name),
                    "Delete " + r.name + "?",
                    "Its items are deleted. Its experiments stay, with their logged results, no longer tied "
                    "to a dataset.", "Delete", S.delete(r.id)), spacing="2"))),
        class_name="dataset-row", data_kb_row="1",
    )


@rx.page(route="/datasets", title="Datasets · literal_app", on_load=guarded(S.load))
def datasets_page() -> rx.Component:
    heads = ["Name", "Type", "Items", "Experiments", "Updated", ""]
    return layout(shortcut_scope(
        rx.hstack(
            rx.input(default_value=S.search, on_change=lambda v: S.set_search(v).debounce(300),
                     placeholder="Search datasets  ( / )", aria_label="Search datasets", width="280px",
                     data_shortcut="/"),
            rx.spacer(),
            rx.cond(can("datasets:write"), rx.hstack(import_dialog(new=True), _create_dialog(), spacing="2")),
            width="100%",
        ),
        _rename_dialog(),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in heads])),
            rx.table.body(rx.foreach(S.rows, _row)),
            width="100%", variant="surface",
        ),
        rx.cond(S.rows.length() == 0, rx.callout(
            rx.cond(S.search != "", "No dataset matches this search.",
                    "No datasets yet: import a CSV or JSONL file into a new one, create an empty one, add rows "
                    "from Logs, or log items with the SDK (client.api.create_dataset)."), icon="database", color_scheme="gray",
            size="1", class_name="empty-state"))),
        title="Datasets",
        scope="datasets:read",
        actions=shortcuts_help(KEYS),
    )
