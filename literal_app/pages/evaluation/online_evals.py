"""/online-evals (rules) and /online-evals/[rule_id] (a rule's runs, scores over time, cost)."""

from __future__ import annotations

import plotly.graph_objects as go
import reflex as rx

from literal_app.components.filter_bar import MAIN, MORE, filter_fields
from literal_app.components.layout import layout
from literal_app.components.ui import confirm, empty_row, form_error, notice, section_card
from literal_app.state.evaluation.online_evals import RuleView, RunView, S
from literal_app.state.session import can, guarded

def _rule_filters(table: str) -> rx.Component:
    """The Logs filters of the target's table (all but date range and environment, which a rule
    does not keep: it scores new steps, in its own environment)."""
    keys = [k for k in MAIN[table] + MORE[table] if k != "env"]
    return rx.grid(*filter_fields(table, keys, S.filters, S.set_filter, labelled=True), columns="4", spacing="3",
                   width="100%", class_name="rule-filters")


def _labelled(label: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", weight="medium"), control, spacing="1", width="100%")


def _field(key: str, label: str, placeholder: str = "") -> rx.Component:
    return _labelled(label, rx.input(value=getattr(S, key), on_change=lambda v: S.set_field(key, v),
                                     placeholder=placeholder, aria_label=label, width="100%"))


def _form() -> rx.Component:
    return rx.card(rx.form(rx.vstack(
        rx.hstack(_field("name", "Rule name", "Production answers"), _labelled("Scorer", rx.cond(
            S.scorer_options.length() > 0,
            rx.select.root(rx.select.trigger(placeholder="Scorer", aria_label="Scorer", width="100%"),
                           rx.select.content(rx.foreach(S.scorer_options, lambda o: rx.select.item(o.label, value=o.value))),
                           value=S.scorer_id, on_change=lambda v: S.set_field("scorer_id", v)),
            rx.link("Create a scorer first", href="/scorers", size="2"))), width="100%", spacing="3"),
        rx.hstack(
            _labelled("Target", rx.select.root(rx.select.trigger(aria_label="Target", width="100%"), rx.select.content(
                rx.select.item("Runs", value="run"), rx.select.item("Generations", value="generation")),
                value=S.log_type, on_change=lambda v: S.set_field("log_type", v))),
            _field("step_name", "Only steps named (optional)"), _field("sample", "Sample rate (%)", "100"),
            _field("environment", "Environment (empty: any)", "production"), width="100%", spacing="3"),
        rx.text("Filters (those of Logs → " , rx.cond(S.log_type == "generation", "Generations", "Runs"),
                "): a step is scored when it matches all of them. Scores are checked when the step is evaluated.",
                size="1", color_scheme="gray"),
        rx.cond(S.log_type == "generation", _rule_filters("generations"), _rule_filters("runs")),
        form_error(S.error),
        rx.hstack(rx.button("Cancel", variant="soft", color_scheme="gray", type="button", on_click=S.cancel),
                  rx.button("Save rule", type="submit"), justify="end", width="100%"),
        spacing="3", width="100%"), on_submit=S.save, reset_on_submit=False), width="100%", class_name="rule-form")


def _rule_row(r: RuleView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(r.name, href="/online-evals/" + r.id, weight="medium")),
        rx.table.cell(rx.text(r.scorer, size="1")), rx.table.cell(rx.text(r.target, size="1")),
        rx.table.cell(rx.text(r.sample, size="1")), rx.table.cell(rx.text(r.filters, size="1")),
        rx.table.cell(rx.cond(r.active, rx.badge("active", color_scheme="green"),
                              rx.tooltip(rx.badge("paused", color_scheme="gray"), content=rx.cond(
                                  r.paused_reason != "", r.paused_reason, "Paused by a member")))),
        rx.table.cell(rx.text(r.done, " done · ", r.failed, " failed · ", r.queued, " queued", size="1")),
        rx.table.cell(rx.text(r.cost, size="1")),
        rx.table.cell(rx.cond(can("observability:write"), rx.hstack(
            rx.button(rx.cond(r.active, "Pause", "Resume"), size="1", variant="soft", on_click=S.toggle(r.id, ~r.active)),
            rx.button("Edit", size="1", variant="soft", on_click=S.edit(r.id)),
            confirm(rx.button("Delete", size="1", variant="soft", color_scheme="red"), "Delete this rule?",
                    "Its runs go; the scores it gave stay on their logs.", "Delete", S.delete(r.id)), spacing="1"))),
        class_name="rule-row")


@rx.page(route="/online-evals", title="Online evaluation · literal_app", on_load=guarded(S.load))
def online_evals_page() -> rx.Component:
    headers = ("Rule", "Scorer", "Target", "Sample", "Filters", "State", "Runs", "Judge cost", "")
    return layout(section_card(
        "Online evaluation",
        rx.cond(can("observability:write"),
                rx.cond(S.editing == "", rx.button(rx.icon("plus", size=14), "New rule", on_click=S.new), _form()),
                notice("Admins and AI Engineers create and edit rules.")),
        rx.table.root(rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                      rx.table.body(rx.cond(S.rules.length() > 0, rx.foreach(S.rules, _rule_row), empty_row(
                          "No rules yet: a rule scores a sample of new runs or generations with a scorer.", 9))),
                      width="100%", size="1"),
        description="Rules score production logs in the background, after ingestion, on the workers.",
    ), title="Online evaluation", scope="observability:read")


def _run_row(r: RunView) -> rx.Component:
    colors = {"done": "green", "failed": "red", "queued": "gray", "running": "blue", "skipped": "amber"}
    return rx.table.row(
        rx.table.cell(rx.link(r.step, href="/logs/steps/" + r.step_id, size="1")),
        rx.table.cell(rx.badge(r.status, color_scheme=rx.match(r.status, *colors.items(), "gray"))),
        rx.table.cell(rx.text(r.score, size="1")), rx.table.cell(rx.text(rx.cond(r.error != "", r.error, r.reason),
                                                                          size="1")),
        rx.table.cell(rx.text(r.cost, size="1")), rx.table.cell(rx.text(r.at, size="1")), class_name="run-row")


def _count(label: str, key: str) -> rx.Component:
    return rx.card(rx.vstack(rx.text(label, size="1", color_scheme="gray"),
                             rx.heading(S.counts.get(key, 0), size="5"), spacing="0"), class_name=f"count-{key}")


@rx.page(route="/online-evals/[rule_id]", title="Online rule · literal_app", on_load=guarded(S.load_rule))
def rule_page() -> rx.Component:
    return layout(rx.cond(S.rule, section_card(
        "Rule",
        rx.hstack(rx.heading(S.rule.name, size="5"), rx.text(S.rule.scorer, " · ", S.rule.target, " · ", S.rule.sample,
                                                             size="2", color_scheme="gray"),
                  rx.spacer(), rx.button(rx.icon("refresh-cw", size=14), "Refresh", variant="soft", on_click=S.refresh_rule),
                  rx.cond(can("observability:write"), rx.button("Retry failed", on_click=S.retry_failed,
                                                                disabled=S.counts.get("failed", 0) == 0)),
                  width="100%", align="center"),
        rx.cond(S.rule.paused_reason != "", rx.callout(S.rule.paused_reason, icon="pause", color_scheme="amber")),
        rx.hstack(_count("Done", "done"), _count("Failed", "failed"), _count("Queued", "queued"),
                  _count("Running", "running"), _count("Skipped", "skipped"),
                  rx.card(rx.vstack(rx.text("Judge cost", size="1", color_scheme="gray"), rx.heading(S.rule.cost, size="5"),
                                    spacing="0")), spacing="2", wrap="wrap"),
        rx.cond(S.counts.get("done", 0) > 0,
                rx.box(rx.text("Average score over the last 7 days", size="1", color_scheme="gray"),
                       rx.plotly(data=S.series.to(go.Figure), config={"displaylogo": False, "responsive": True},
                                 width="100%", height="240px"), width="100%", height="270px", class_name="rule-chart"),
                rx.text("The score over time appears with the first scored run.", size="1", color_scheme="gray")),
        rx.table.root(rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                                     ("Step", "Status", "Score", "Reason / error", "Judge cost", "At")])),
                      rx.table.body(rx.cond(S.runs.length() > 0, rx.foreach(S.runs, _run_row), empty_row(
                          "No runs yet: they appear as matching steps are ingested.", 6))), width="100%", size="1"),
        description="Each matching step is scored once; the newest 100 runs are listed."),
        rx.callout("Rule not found.", icon="search-x", color_scheme="gray")),
        title="Online rule", scope="observability:read")
