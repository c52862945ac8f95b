"""/scorers: code, LLM-as-judge (in the Playground's template editor) and embedding scorers;
built-in judges; "Try it" on a step picked from recent logs."""

from __future__ import annotations

import reflex as rx

from literal_app.components import template_editor as te
from literal_app.components.layout import layout
from literal_app.components.ui import TRUNCATE, confirm, empty_row, form_error, notice, section_card
from literal_app.state.evaluation.judge_editor import JUDGE_ROLES
from literal_app.state.evaluation.scorers import S, ScorerView, StepPick
from literal_app.state.session import can, guarded


def _select(options, value, on_change, label: str, placeholder: str) -> rx.Component:
    return rx.select.root(rx.select.trigger(placeholder=placeholder, aria_label=label, width="100%"),
                          rx.select.content(rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value))),
                          value=value, on_change=on_change, size="2")


def _labelled(label: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", weight="medium"), control, spacing="1", width="100%")


def _param(key: str, label: str, placeholder: str = "") -> rx.Component:
    return _labelled(label, rx.input(value=S.params.get(key, ""), on_change=lambda v: S.set_param(key, v),
                                     placeholder=placeholder, aria_label=label, width="100%"))


def _flag(key: str, label: str) -> rx.Component:
    return rx.hstack(rx.switch(checked=S.flags.get(key, False), on_change=lambda v: S.set_flag(key, v),
                               aria_label=label), rx.text(label, size="1"), spacing="2", align="center")


def _code_fields() -> rx.Component:
    m = S.metric
    compares = (m == "exact_match") | (m == "contains") | (m == "not_contains") | (m == "similarity") | (
        m == "numeric_distance")
    return rx.vstack(
        _labelled("Metric", _select(S.metrics, S.metric, lambda v: S.set_field("metric", v), "Metric", "Metric")),
        rx.cond(compares, _param("value", "Compare with (empty: the expected output)", "e.g. refund")),
        rx.cond(m == "regex", _param("pattern", "Regular expression", r"^\d{3}-\d{4}$")),
        rx.cond(m == "json_schema", _labelled("JSON schema", rx.text_area(
            value=S.params.get("schema", ""), on_change=lambda v: S.set_param("schema", v), aria_label="JSON schema",
            placeholder='{"type": "object", "required": ["answer"]}', width="100%", rows="5",
            font_family="monospace"))),
        rx.cond(m == "similarity", rx.hstack(_param("method", "Method (levenshtein | token_set)"),
                                             _param("threshold", "Pass threshold 0–1 (optional)"), width="100%")),
        rx.cond(m == "numeric_distance", _param("tolerance", "Pass tolerance (optional)", "0.5")),
        rx.cond(m == "length", rx.hstack(_param("min", "Minimum"), _param("max", "Maximum"),
                                         _param("unit", "Unit (characters | words)"), width="100%")),
        _param("output_key", "Read the output field (optional, dotted)", "e.g. answer.text"),
        rx.hstack(_flag("case_sensitive", "Case sensitive"), rx.cond(m == "regex", _flag("ignore_case", "Ignore case")),
                  rx.cond(m == "numeric_distance", _flag("relative", "Relative distance")), spacing="4"),
        spacing="2", width="100%")


def _variable_row(v) -> rx.Component:
    return rx.hstack(
        rx.vstack(rx.code("{{" + v[0] + "}}", size="1"), rx.text(v[1], size="1", color_scheme="gray"), spacing="0",
                  min_width="0", flex="1"),
        rx.button(rx.icon("plus", size=12), "Insert", size="1", variant="soft", type="button",
                  on_click=S.insert_variable(v[0]), aria_label="Insert " + v[0]),
        width="100%", align="center", spacing="2", class_name="judge-variable")


def _judge_variables() -> rx.Component:
    return rx.vstack(
        rx.text("Variables from the scored log", size="2", weight="medium"),
        rx.foreach(S.judge_variables, _variable_row),
        rx.text("Inside metadata, use a key: {{metadata.variables.name}}.", size="1", color_scheme="gray"),
        rx.cond(S.judge_unknown.length() > 0, rx.callout(
            "Not available to a judge: " + S.judge_unknown.join(", "), icon="triangle_alert", color_scheme="red",
            size="1", role="alert")),
        spacing="2", width="100%")


def _judge_model() -> rx.Component:
    return rx.vstack(
        rx.text("Model and settings", size="2", weight="medium"),
        _labelled("LLM credential", rx.cond(S.credentials.length() > 0, _select(
            S.credentials, S.credential_id, lambda v: S.set_field("credential_id", v), "LLM credential",
            "Credential"), rx.link("Add one in Settings → LLM providers", href="/settings/llm-providers", size="1"))),
        _labelled("Model", rx.input(value=S.model, on_change=lambda v: S.set_field("model", v),
                                    placeholder="gpt-4o-mini", aria_label="Model", width="100%")),
        rx.grid(rx.foreach(S.setting_fields, lambda f: _labelled(f[1], rx.input(
            value=S.judge_settings.get(f[0], ""), on_change=lambda v: S.set_judge_setting(f[0], v),
            placeholder=f[2], aria_label="Judge " + f[1], size="1", width="100%"))),
            columns="2", spacing="2", width="100%"),
        rx.text("Only the settings the credential's provider accepts are sent.", size="1", color_scheme="gray"),
        spacing="2", width="100%")


def _judge_answer() -> rx.Component:
    schema = _select(S.schemas, S.schema_id, lambda v: S.set_field("schema_id", v), "Score schema", "Score schema")
    return rx.vstack(
        rx.text("Answer", size="2", weight="medium"),
        _labelled("Score schema", rx.cond((S.builtin != "") & (S.schema_id == ""), rx.text(
            "The built-in's own schema (created on save)", size="1"), schema)),
        _labelled("Answer through", rx.select.root(
            rx.select.trigger(aria_label="Answer mode", width="100%"),
            rx.select.content(rx.foreach(S.answer_modes, lambda m: rx.select.item(m[1], value=m[0]))),
            value=S.answer_with, on_change=S.set_answer_with, size="2")),
        rx.text('The judge answers {"reason": ..., "category" or "value": ...} in the score schema.', size="1",
                color_scheme="gray"),
        spacing="2", width="100%")


def _judge_fields() -> rx.Component:
    return rx.grid(
        rx.vstack(
            rx.text("Template", size="2", weight="medium"),
            te.message_list(S, JUDGE_ROLES, images=False),
            rx.text("Preview", size="1", weight="medium", color_scheme="gray"),
            te.preview(S.judge_preview),
            spacing="2", width="100%", min_width="0"),
        rx.vstack(rx.card(_judge_variables(), width="100%"), rx.card(_judge_model(), width="100%"),
                  rx.card(_judge_answer(), width="100%"), spacing="3", width="100%", min_width="0"),
        columns="minmax(0, 3fr) minmax(0, 2fr)", spacing="4", width="100%", align_items="start",
        class_name="judge-editor")


def _form() -> rx.Component:
    return rx.card(rx.form(rx.vstack(
        rx.hstack(
            _labelled("Name", rx.input(value=S.name, on_change=lambda v: S.set_field("name", v),
                                       placeholder="Scorer name", aria_label="Scorer name", width="100%")),
            _labelled("Kind", rx.select.root(rx.select.trigger(aria_label="Kind", width="100%"), rx.select.content(
                rx.select.item("Code", value="code"), rx.select.item("LLM-as-judge", value="llm_judge"),
                rx.select.item("Embedding similarity", value="embedding")), value=S.kind,
                on_change=lambda v: S.set_field("kind", v))), width="100%", spacing="3"),
        _labelled("Description", rx.input(value=S.description, on_change=lambda v: S.set_field("description", v),
                                          placeholder="What it measures", aria_label="Description", width="100%")),
        rx.match(S.kind, ("code", _code_fields()), ("llm_judge", _judge_fields()),
                 _param("threshold", "Pass threshold 0–1 (optional)", "0.8")),
        form_error(S.error),
        rx.hstack(rx.button("Cancel", variant="soft", color_scheme="gray", type="button", on_click=S.cancel),
                  rx.button("Save scorer", type="submit"), justify="end", width="100%"),
        spacing="3", width="100%"), on_submit=S.save, reset_on_submit=False), width="100%", class_name="scorer-form")


def _choice(c: StepPick) -> rx.Component:
    picked = S.try_step == c.id
    return rx.el.button(
        rx.hstack(rx.badge(c.kind, size="1", variant="soft"),
                  rx.text(c.name, size="2", weight="medium", title=c.name, style=TRUNCATE),
                  rx.spacer(), rx.text(c.created, size="1", color_scheme="gray"), width="100%", align="center"),
        rx.text(c.input, " → ", c.output, size="1", color_scheme="gray", as_="div",
                title=c.input + " → " + c.output, style=TRUNCATE),
        on_click=S.pick_step(c.id), type="button", class_name="try-choice", custom_attrs={"aria-pressed": picked},
        style={"display": "block", "width": "100%", "text_align": "left", "padding": "6px 8px", "cursor": "pointer",
               "border_radius": "6px", "background": rx.cond(picked, "var(--accent-a4)", "transparent"),
               "border": rx.cond(picked, "1px solid var(--accent-8)", "1px solid var(--gray-a4)")})


def _try_result() -> rx.Component:
    r = S.try_result
    return rx.cond(r.get("status", "") != "", rx.vstack(
        rx.hstack(rx.badge(r.get("status", ""), color_scheme=rx.cond(r.get("status", "") == "error", "red", "green")),
                  rx.text("Score ", rx.code(r.get("value", "")), " ", r.get("label", ""), size="2"),
                  rx.text("Tokens ", r.get("tokens", ""), " · cost ", r.get("cost", ""), size="1",
                          color_scheme="gray"), spacing="3", align="center", wrap="wrap"),
        rx.text(r.get("reason", ""), size="2"), spacing="1", class_name="try-result", width="100%"))


def _try_panel(s: ScorerView) -> rx.Component:
    return rx.table.row(rx.table.cell(rx.grid(
        rx.vstack(
            rx.hstack(
                rx.select.root(rx.select.trigger(aria_label="Pick from", width="130px"), rx.select.content(
                    rx.select.item("Runs", value="runs"), rx.select.item("Generations", value="generations"),
                    rx.select.item("All steps", value="steps")), value=S.try_table, on_change=S.set_try_table,
                    size="1"),
                rx.input(default_value=S.try_search, on_change=S.set_try_search.debounce(300),
                         placeholder="Search input/output of recent logs", aria_label="Search logged steps",
                         size="1", flex="1"), width="100%", spacing="2"),
            rx.box(rx.cond(S.try_choices.length() > 0, rx.vstack(rx.foreach(S.try_choices, _choice), spacing="1",
                                                                   width="100%"),
                           rx.text("No logged step matches: send logs with an SDK, or change the search.", size="1",
                                   color_scheme="gray")),
                   max_height="260px", overflow_y="auto", width="100%", class_name="try-choices"),
            spacing="2", width="100%", min_width="0"),
        rx.vstack(
            rx.input(value=S.try_expected, on_change=lambda v: S.set_field("try_expected", v),
                     placeholder="Expected output (optional)", aria_label="Expected output", width="100%"),
            rx.button(rx.icon("play", size=14), "Run on the picked step", on_click=S.run_try, width="100%",
                      loading=S.try_result.get("status", "") == "Scoring…", disabled=S.try_step == ""),
            _try_result(), spacing="2", width="100%", min_width="0"),
        columns="minmax(0, 3fr) minmax(0, 2fr)", spacing="4", width="100%"), col_span=5), class_name="try-row")


def _row(s: ScorerView) -> rx.Component:
    return rx.fragment(rx.table.row(
        rx.table.cell(rx.text(s.name, weight="medium")), rx.table.cell(rx.badge(s.kind_label, variant="soft")),
        rx.table.cell(rx.text(s.summary, size="1")), rx.table.cell(rx.text(s.rules, size="1")),
        rx.table.cell(rx.cond(can("observability:write"), rx.hstack(
            rx.button("Try it", size="1", variant="soft", on_click=S.open_try(s.id)),
            rx.button("Edit", size="1", variant="soft", on_click=S.edit(s.id)),
            confirm(rx.button("Delete", size="1", variant="soft", color_scheme="red"), "Delete this scorer?",
                    "Scores it gave stay on their logs.", "Delete", S.delete(s.id)), spacing="1"))),
        class_name="scorer-row"), rx.cond(S.try_id == s.id, _try_panel(s)))


def _builtins() -> rx.Component:
    return rx.hstack(rx.text("Built-in judges:", size="2", weight="medium"), rx.foreach(
        S.builtin_judges, lambda b: rx.button(b.label, size="1", variant="outline", on_click=S.use_builtin(b.value))),
        spacing="2", wrap="wrap", align="center")


@rx.page(route="/scorers", title="Scorers · literal_app", on_load=guarded(S.load))
def scorers_page() -> rx.Component:
    return layout(section_card(
        "Scorers",
        rx.cond(can("observability:write"),
                rx.cond(S.editing == "", rx.vstack(rx.button(rx.icon("plus", size=14), "New scorer", on_click=S.new),
                                                   _builtins(), spacing="2"), _form()),
                notice("Admins and AI Engineers create and edit scorers.")),
        rx.table.root(rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                                     ("Name", "Kind", "Configuration", "Rules", "")])),
                      rx.table.body(rx.cond(S.scorers.length() > 0, rx.foreach(S.scorers, _row), empty_row(
                          "No scorers yet: create one, or start from a built-in judge.", 5))), width="100%", size="1"),
        description="Scorers are defined once and used by experiments and online evaluation rules.",
    ), title="Scorers", scope="observability:read")
