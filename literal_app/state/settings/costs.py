"""Settings → LLM costs: editing the model price rules and watching the re-pricing each
edit starts (the cost service starts it; this state only polls its progress)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, timezone

import reflex as rx

from literal_app.services.costs import model_costs, repricing
from literal_app.services.kernel.errors import DomainError, Invalid
from literal_app.state.fmt import when
from literal_app.state.session import SessionState, error_toast


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
                self.call(model_costs.update_cost_rule, self.editing_id, **kw)
            else:
                self.call(model_costs.create_cost_rule, **kw)
        except DomainError as exc:
            self.error = exc.message
            return None
        was_editing = bool(self.editing_id)
        self._fill()
        clear = [rx.set_value(f"cost-{name}", "") for name in ("pattern", "input", "output", "valid_from", "valid_to")]
        return [*self._refresh(), *clear, rx.toast.success(("Rule saved" if was_editing else "Rule added")
                                                           + ": matching generations are being re-priced.")]

    @rx.event
    def delete(self, rule_id: str):
        try:
            self.call(model_costs.delete_cost_rule, rule_id)
        except DomainError as exc:
            return error_toast(exc)
        return [*self._refresh(), rx.toast.success("Rule deleted: its generations are being re-priced.")]

    @rx.event
    def restore_defaults(self):
        try:
            self.call(model_costs.restore_default_rules)
        except DomainError as exc:
            return error_toast(exc)
        return [*self._refresh(), rx.toast.success("Default prices restored.")]
