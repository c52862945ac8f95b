"""The dataset page's dialogs: item editor (JSON / YAML), import (drop a file, map CSV columns,
read the report, confirm, progress; also into a new dataset from the Datasets page) and run an
experiment (also used by the Playground)."""

from __future__ import annotations

import reflex as rx

from literal_app.components.shortcuts import key_hint
from literal_app.components.ui import TRUNCATE, form_error
from literal_app.state.datasets.dataset import DatasetState as D
from literal_app.state.datasets.importing import ROLE_LABELS, ColumnMap, ImportState as I
from literal_app.state.datasets.runs import Choice, MapRow, RunState as R

UPLOAD_ID = "dataset-import"
MONO = {"font_family": "var(--code-font-family)", "font_size": "12px"}


def _area(label: str, field: str, value) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", weight="medium", as_="label", html_for="ed-" + field),
        rx.text_area(value=value, on_change=lambda v: D.set_ed(field, v), id="ed-" + field, aria_label=label,
                     rows="6", width="100%", style=MONO),
        spacing="1", width="100%")


def item_editor() -> rx.Component:
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(rx.cond(D.editing_id != "", "Edit item", "New item")),
        rx.segmented_control.root(rx.segmented_control.item("JSON", value="json"),
                                  rx.segmented_control.item("YAML", value="yaml"),
                                  value=D.fmt, on_change=D.set_fmt, size="1"),
        rx.vstack(_area("Input", "input", D.ed_input), _area("Expected output", "expected", D.ed_expected),
                  _area("Metadata", "metadata", D.ed_metadata), form_error(D.error),
                  rx.hstack(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                            rx.button("Save item", on_click=D.save_item), justify="end", width="100%"),
                  spacing="2", margin_top="8px"),
        max_width="640px"), open=D.editor_open, on_open_change=D.set_editor_open)


def _column(c: ColumnMap) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(c.name, weight="medium")),
        rx.table.cell(rx.select.root(
            rx.select.trigger(aria_label="Role of " + c.name),
            rx.select.content(*[rx.select.item(label, value=role) for role, label in ROLE_LABELS.items()]),
            value=c.role, on_change=lambda v: I.set_role(c.name, v), size="1")),
        rx.table.cell(rx.text(c.sample, size="1", color_scheme="gray", as_="div", max_width="300px", title=c.sample,
                              style=TRUNCATE)),
    )


def _pick() -> rx.Component:
    return rx.upload.root(
        rx.vstack(rx.icon("upload", size=24), rx.text("Drop a CSV or JSONL file here, or click to choose one"),
                  rx.text("CSV: columns mapped in the next step. JSONL: one item per line ({\"input\", "
                          "\"expectedOutput\", \"metadata\"}; generation datasets also take OpenAI chat lines). "
                          "Up to 100,000 rows.", size="1", color_scheme="gray", align="center"),
                  align="center", spacing="2", padding="28px"),
        id=UPLOAD_ID, multiple=False, accept={"text/csv": [".csv"], "application/x-ndjson": [".jsonl", ".ndjson"],
                                              "application/json": [".json"]},
        on_drop=I.upload(rx.upload_files(upload_id=UPLOAD_ID)),
        border=f"1px dashed {rx.color('gray', 8)}", border_radius="8px", width="100%", cursor="pointer",
    )


def _new_target() -> rx.Component:
    """Name and type of the dataset an import creates (the type only before a file is read: JSONL
    lines are read differently for generation datasets)."""
    return rx.cond(I.target_new, rx.hstack(
        rx.vstack(rx.text("New dataset name", size="1", weight="medium", as_="label", html_for="imp-name"),
                  rx.input(value=I.new_name, on_change=I.set_new_name, id="imp-name", width="100%",
                           aria_label="New dataset name", placeholder="Named after the file unless you type one"),
                  spacing="1", flex="1"),
        rx.vstack(rx.text("Type", size="1", weight="medium"),
                  rx.cond(I.step == "pick",
                          rx.select.root(rx.select.trigger(aria_label="New dataset type"),
                                         rx.select.content(rx.select.item("Key-value", value="key_value"),
                                                           rx.select.item("Generation (chats)", value="generation")),
                                         value=I.new_type, on_change=I.set_new_type),
                          rx.badge(rx.cond(I.new_type == "generation", "Generation", "Key-value"), variant="soft")),
                  spacing="1"),
        spacing="3", width="100%", align="end", margin_bottom="8px"))


def _map() -> rx.Component:
    return rx.vstack(
        rx.text("Map each column of ", rx.code(I.file_name), ": JSON-looking cells are read as JSON.", size="2"),
        rx.table.root(rx.table.header(rx.table.row(rx.table.column_header_cell("Column"),
                                                   rx.table.column_header_cell("Becomes"),
                                                   rx.table.column_header_cell("First rows"))),
                      rx.table.body(rx.foreach(I.columns, _column)), size="1", width="100%"),
        rx.hstack(rx.button("Check the file", on_click=I.check), justify="end", width="100%"),
        spacing="2", width="100%")


def _report() -> rx.Component:
    return rx.vstack(
        rx.callout(I.valid.to_string() + " row(s) ready to import; " + I.error_count.to_string()
                   + " line(s) with errors (they are skipped).",
                   icon=rx.cond(I.error_count > 0, "triangle_alert", "check"),
                   color_scheme=rx.cond(I.error_count > 0, "amber", "green"), size="1", class_name="import-summary"),
        rx.cond(I.error_count > 0, rx.scroll_area(rx.vstack(rx.foreach(I.errors, lambda e: rx.text(e, size="1")),
                                                            spacing="0", class_name="import-errors"),
                                                  max_height="180px", type="auto")),
        rx.hstack(rx.button("Choose another file", variant="soft", color_scheme="gray", on_click=I.set_open(True)),
                  rx.button(rx.cond(I.error_count > 0, "Import the valid rows", "Import"), on_click=I.confirm,
                            disabled=I.valid == 0), justify="end", width="100%"),
        spacing="2", width="100%")


def _progress() -> rx.Component:
    finished = rx.cond(I.created_id != "",
                       rx.hstack(rx.dialog.close(rx.button("Close", size="1", variant="soft", color_scheme="gray")),
                                 rx.button("Open the dataset", size="1", on_click=I.open_created),
                                 spacing="2"),
                       rx.dialog.close(rx.button("Close", size="1")))
    return rx.vstack(
        rx.progress(value=I.percent, max=100, width="100%", aria_label="Import progress"),
        rx.text(I.done.to_string() + " of " + I.valid.to_string() + " rows imported", size="1",
                class_name="import-progress"),
        rx.cond(I.step == "done", rx.hstack(rx.text("Import finished.", size="2", color_scheme="green"),
                                            finished, justify="between", width="100%")),
        spacing="2", width="100%")


def import_dialog(new: bool = False) -> rx.Component:
    """The import button and dialog: into the dataset on screen, or (``new``) into a new dataset."""
    label = "Import file" if new else "Import"
    return rx.fragment(
        rx.button(rx.icon("file-up", size=14), label, key_hint("i"), variant="soft", on_click=I.start(new),
                  data_shortcut="i"),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title(rx.cond(I.target_new, "Import into a new dataset", "Import items")),
                rx.cond(I.step != "importing", rx.cond(I.step != "done", _new_target())),
                rx.match(I.step, ("pick", _pick()), ("map", _map()), ("report", _report()), _progress()),
                form_error(I.error),
                max_width="680px"),
            open=I.open, on_open_change=I.set_open))


def _choice_select(options, value, on_change, label: str, placeholder: str = "") -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, placeholder=placeholder, width="100%"),
        rx.select.content(rx.foreach(options, lambda c: rx.select.item(c.label, value=c.id))),
        value=value, on_change=on_change)


def _map_row(m: MapRow) -> rx.Component:
    return rx.hstack(
        rx.code("{{" + m.variable + "}}"), rx.text("←", color_scheme="gray"),
        rx.input(default_value=m.key, on_change=lambda v: R.set_key(m.variable, v).debounce(300),
                 on_blur=lambda v: R.set_key(m.variable, v), placeholder="input key (a.b for nested)",
                 aria_label="Input key for " + m.variable, list="input-keys", size="1", width="220px"),
        align="center", spacing="2")


def _labeled(label: str, child: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", weight="medium"), child, spacing="1", width="100%")


def run_dialog() -> rx.Component:
    prompt = rx.match(
        R.source,
        ("template", rx.vstack(
            rx.text_area(value=R.system, on_change=lambda v: R.set_field("system", v), rows="2", width="100%",
                         aria_label="System message", placeholder="System message (optional)"),
            rx.text_area(value=R.template, on_change=lambda v: R.set_field("template", v), rows="3", width="100%",
                         aria_label="User message template", placeholder="User message, e.g. {{question}}"),
            width="100%", spacing="1")),
        ("version", _choice_select(R.versions, R.version_id, lambda v: R.set_field("version_id", v),
                                   "Prompt version", "Choose a prompt version")),
        ("draft", rx.text("The Playground's current template.", size="1", color_scheme="gray")),
        rx.text("Each item's input.messages is sent as is (generation datasets).", size="1", color_scheme="gray"))
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title("Run an experiment"),
        rx.vstack(
            _labeled("Name", rx.input(value=R.name, on_change=lambda v: R.set_field("name", v), aria_label="Experiment name")),
            _labeled("Prompt", rx.vstack(rx.select.root(
                rx.select.trigger(aria_label="Prompt source"),
                rx.select.content(rx.select.item("Write a template", value="template"),
                                  rx.select.item("A saved prompt version", value="version"),
                                  rx.select.item("The items' own chats", value="items"),
                                  rx.select.item("The Playground draft", value="draft")),
                value=R.source, on_change=lambda v: R.set_field("source", v)), prompt, width="100%")),
            rx.hstack(
                _labeled("Credential", _choice_select(R.credentials, R.credential_id,
                                                      lambda v: R.set_field("credential_id", v), "Credential",
                                                      "Add one in Settings → LLM providers")),
                _labeled("Model", rx.input(value=R.model, on_change=lambda v: R.set_field("model", v),
                                           aria_label="Model", list="run-models", placeholder="e.g. gpt-4o-mini")),
                _labeled("Concurrency", rx.input(value=R.concurrency, on_change=lambda v: R.set_field("concurrency", v),
                                                 aria_label="Concurrency", type="number", min=1, max=32)),
                width="100%", spacing="2"),
            rx.el.datalist(rx.foreach(R.model_options, lambda m: rx.el.option(value=m)), id="run-models"),
            rx.el.datalist(rx.foreach(R.keys, lambda k: rx.el.option(value=k)), id="input-keys"),
            rx.cond(R.mapping.length() > 0, _labeled("Variables → item input keys",
                                                       rx.vstack(rx.foreach(R.mapping, _map_row), spacing="1"))),
            _labeled("Scorers", rx.flex(rx.foreach(R.scorers, lambda s: rx.checkbox(
                s.label, checked=R.chosen_scorers.contains(s.id), on_change=lambda _v: R.toggle_scorer(s.id))),
                wrap="wrap", spacing="3")),
            form_error(R.error),
            rx.hstack(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                      rx.button(rx.icon("play", size=14), "Start experiment", on_click=R.start),
                      justify="end", width="100%"),
            spacing="3", width="100%"),
        max_width="640px"), open=R.open, on_open_change=R.set_open)
