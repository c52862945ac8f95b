"""Settings → LLM costs: the model price rules (regex on the model name, USD per million input and
output tokens, optional validity period), and the progress of the re-pricing each edit starts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, timezone

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.ui import confirm, empty_row, form_error, notice, section_card
from literal_app.jobs.costs import enqueue_repricing
from literal_app.pages.fmt import when
from literal_app.services import model_costs, repricing
from literal_app.services.errors import DomainError, Invalid
from literal_app.state.session import SessionState, can, error_toast, guarded


@dataclass(frozen=True)
class RuleRow:
    id: str
    pattern: str
    input: str
    output: str
    valid_from: str
    valid_to: str


@dataclass(frozen=True)
class RepricingRow:
    id: str
    patterns: str
    status: str
    progress: str
    percent: int
    created: str


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value else ""


def _parse_day(value: str | None, what: str) -> datetime | None:
    if not value:
        return None
    try:
        d = date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"The {what} date must look like 2026-01-31.") from None
    return datetime(d.year, d.month, d.day, tzinfo=timezone.utc)


class CostsState(SessionState):
    rules: list[RuleRow] = []
    repricings: list[RepricingRow] = []
    editing_id: str = ""
    form_pattern: str = ""
    form_input: str = ""
    form_output: str = ""
    form_from: str = ""
    form_to: str = ""
    error: str = ""
    polling: bool = False

    @rx.event
    def load(self):
        self.error, self.editing_id = "", ""
        if not self.project_id:
            return None
        return self._refresh()

    def _refresh(self) -> list:
        try:
            rules = self.call(model_costs.list_cost_rules)
            runs = self.call(repricing.recent_repricings)
        except DomainError as exc:
            return [error_toast(exc)]
        self.rules = [RuleRow(r.id, r.pattern, f"{r.input_per_million:g}", f"{r.output_per_million:g}",
                              _day(r.valid_from), _day(r.valid_to)) for r in rules]
        self.repricings = [RepricingRow(r.id, ", ".join(r.patterns) or "(none)", r.status,
                                        f"{r.done:,} / {r.total:,} generations · {r.changed:,} changed",
                                        r.percent, when(r.created_at)) for r in runs]
        if any(r.status in ("queued", "running") for r in runs) and not self.polling:
            return [CostsState.poll]
        return []

    @rx.event(background=True)
    async def poll(self):
        """Refresh the re-pricing progress every second while one is running."""
        async with self:
            if self.polling:
                return
            self.polling = True
        try:
            for _ in range(600):
                await asyncio.sleep(1)
                async with self:
                    self._refresh()
                    if not any(r.status in ("queued", "running") for r in self.repricings):
                        break
        finally:
            async with self:
                self.polling = False

    def _fill(self, pattern="", inp="", out="", start="", end="", rule_id=""):
        self.form_pattern, self.form_input, self.form_output = pattern, inp, out
        self.form_from, self.form_to, self.editing_id, self.error = start, end, rule_id, ""

    @rx.event
    def edit(self, rule_id: str):
        r = next((r for r in self.rules if r.id == rule_id), None)
        if r is not None:
            self._fill(r.pattern, r.input, r.output, r.valid_from, r.valid_to, r.id)

    @rx.event
    def cancel_edit(self):
        self._fill()

    @rx.event
    def save(self, form: dict):
        try:
            kw = dict(pattern=form.get("pattern", ""), input_per_million=form.get("input", ""),
                      output_per_million=form.get("output", ""),
                      valid_from=_parse_day(form.get("valid_from"), "start"),
                      valid_to=_parse_day(form.get("valid_to"), "end"))
            if self.editing_id:
                change = self.call(model_costs.update_cost_rule, self.editing_id, **kw)
            else:
                change = self.call(model_costs.create_cost_rule, **kw)
        except DomainError as exc:
            self.error = exc.message
            return None
        enqueue_repricing(change.repricing_id)
        was_editing = bool(self.editing_id)
        self._fill()
        clear = [rx.set_value(f"cost-{name}", "") for name in ("pattern", "input", "output", "valid_from", "valid_to")]
        return [*self._refresh(), *clear, rx.toast.success(("Rule saved" if was_editing else "Rule added")
                                                           + ": matching generations are being re-priced.")]

    @rx.event
    def delete(self, rule_id: str):
        try:
            change = self.call(model_costs.delete_cost_rule, rule_id)
        except DomainError as exc:
            return error_toast(exc)
        enqueue_repricing(change.repricing_id)
        return [*self._refresh(), rx.toast.success("Rule deleted: its generations are being re-priced.")]

    @rx.event
    def restore_defaults(self):
        try:
            change = self.call(model_costs.restore_default_rules)
        except DomainError as exc:
            return error_toast(exc)
        enqueue_repricing(change.repricing_id)
        return [*self._refresh(), rx.toast.success("Default prices restored.")]


def _field(label: str, name: str, value, placeholder: str = "", type_: str = "text", width: str = "140px"):
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.input(name=name, default_value=value, placeholder=placeholder, type=type_, aria_label=label,
                 width=width, key=CostsState.editing_id + name, id=f"cost-{name}"),
        spacing="1",
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.flex(
                _field("Model pattern (regex)", "pattern", CostsState.form_pattern, "gpt-4o(-mini)?", width="220px"),
                _field("Input USD / 1M tokens", "input", CostsState.form_input, "2.5"),
                _field("Output USD / 1M tokens", "output", CostsState.form_output, "10"),
                _field("Valid from", "valid_from", CostsState.form_from, type_="date"),
                _field("Valid until", "valid_to", CostsState.form_to, type_="date"),
                rx.button(rx.cond(CostsState.editing_id != "", "Save rule", "Add rule"), type="submit"),
                rx.cond(CostsState.editing_id != "", rx.button("Cancel", type="button", variant="soft",
                                                               color_scheme="gray", on_click=CostsState.cancel_edit)),
                wrap="wrap", gap="3", align="end",
            ),
            form_error(CostsState.error),
            spacing="2", width="100%",
        ),
        on_submit=CostsState.save, reset_on_submit=False,
    )


def _rule(r: RuleRow) -> rx.Component:
    actions = rx.hstack(
        rx.button("Edit", size="1", variant="soft", on_click=CostsState.edit(r.id), aria_label="Edit " + r.pattern),
        confirm(rx.button("Delete", size="1", variant="soft", color_scheme="red", aria_label="Delete " + r.pattern),
                "Delete this cost rule?", "Generations it priced are re-priced by the remaining rules.",
                "Delete", CostsState.delete(r.id)),
        spacing="2",
    )
    return rx.table.row(
        rx.table.cell(rx.code(r.pattern)), rx.table.cell(r.input), rx.table.cell(r.output),
        rx.table.cell(r.valid_from), rx.table.cell(r.valid_to),
        rx.table.cell(rx.cond(can("secrets:write"), actions)),
        class_name="cost-rule-row",
    )


def _repricing(r: RepricingRow) -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.badge(r.status), rx.text(r.patterns, size="2", truncate=True), rx.spacer(),
                  rx.text(r.created, size="1", color_scheme="gray"), width="100%", align="center"),
        rx.progress(value=r.percent, max=100, width="100%"),
        rx.text(r.progress, size="1", color_scheme="gray"),
        spacing="1", width="100%", class_name="repricing-row",
    )


@rx.page(route="/settings/costs", title="LLM costs · literal_app", on_load=guarded(CostsState.load))
def costs_page() -> rx.Component:
    headers = ["Pattern", "Input $/1M", "Output $/1M", "From", "Until", ""]
    return layout(
        section_card(
            "Model cost rules",
            rx.cond(can("secrets:write"), _form(), notice("Only Admins and AI Engineers can change prices.")),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                rx.table.body(rx.cond(CostsState.rules.length() == 0, empty_row("No rules: generations are "
                                                                                "not priced.", 6),
                                      rx.foreach(CostsState.rules, _rule))),
                size="1", width="100%",
            ),
            rx.cond(can("secrets:write"), rx.button("Restore default prices", variant="soft", size="1",
                                                    on_click=CostsState.restore_defaults)),
            description="A rule prices the generations whose model name fully matches its pattern (case-"
                        "insensitive). A rule with a validity period wins over an open-ended one during its "
                        "period; otherwise the newest rule wins. Saving re-prices the matching generations.",
        ),
        section_card(
            "Re-pricing",
            rx.cond(CostsState.repricings.length() == 0, rx.text("No re-pricing yet.", size="2", color_scheme="gray"),
                    rx.vstack(rx.foreach(CostsState.repricings, _repricing), spacing="3", width="100%")),
        ),
        title="LLM costs",
        scope="secrets:read",
    )
