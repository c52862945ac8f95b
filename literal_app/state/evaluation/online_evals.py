"""/online-evals and /online-evals/[rule_id]: rules (create, edit, pause, delete), and a rule's
page: counts per status, judge cost, score over time, runs log, retry failed."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from literal_app.services.evaluation import online_rules, rule_runs, scorers
from literal_app.services.evaluation.online_rules import RuleInput
from literal_app.services.kernel.errors import DomainError
from literal_app.services.logs.log_filters import URL_PARAMS
from literal_app.state.evaluation.scorers import Option
from literal_app.state.logs.table import CHIP_LABELS
from literal_app.state.session import SessionState, error_toast

EMPTY_FILTERS = {p: "" for p in URL_PARAMS.values()}  # every Logs filter, as the filter inputs expect


@dataclass(frozen=True)
class RuleView:
    id: str
    name: str
    scorer: str
    target: str
    sample: str
    environment: str
    filters: str
    active: bool
    paused_reason: str
    done: int
    failed: int
    queued: int
    cost: str


@dataclass(frozen=True)
class RunView:
    id: str
    step_id: str
    step: str
    status: str
    score: str
    reason: str
    cost: str
    error: str
    at: str


def _view(r: online_rules.RuleRead) -> RuleView:
    target = ("Generations" if r.log_type == "generation" else "Runs") + (f" named {r.step_name}" if r.step_name else "")
    return RuleView(r.id, r.name, r.scorer_name, target, f"{r.sample_percent:g}%", r.environment or "any",
                    ", ".join(f"{CHIP_LABELS.get(k, k)}: {v}" for k, v in r.filters.items()) or "none", r.active, r.paused_reason,
                    r.counts["done"], r.counts["failed"], r.counts["queued"] + r.counts["running"], f"${r.total_cost:.4f}")


class OnlineEvalsState(SessionState):
    rules: list[RuleView] = []
    scorer_options: list[Option] = []
    editing: str = ""
    name: str = ""
    scorer_id: str = ""
    log_type: str = "run"
    step_name: str = ""
    sample: str = "100"
    environment: str = ""
    filters: dict[str, str] = {}
    error: str = ""
    rule: RuleView | None = None
    counts: dict[str, int] = {}
    runs: list[RunView] = []
    series: dict = {}

    @rx.event
    def load(self):
        self.editing, self.error = "", ""
        return self._refresh() if self.project_id else None

    def _refresh(self):
        try:
            self.rules = [_view(r) for r in self.call(online_rules.list_rules)]
        except DomainError as exc:
            return error_toast(exc)
        return None

    @rx.event
    def new(self):
        self.scorer_options = [Option(s.id, s.name) for s in self.call(scorers.list_scorers)]
        self.editing, self.name, self.scorer_id, self.log_type, self.step_name = "new", "", "", "run", ""
        self.sample, self.environment, self.filters, self.error = "100", "", dict(EMPTY_FILTERS), ""

    @rx.event
    def edit(self, rule_id: str):
        try:
            r = self.call(online_rules.get_rule, rule_id)
        except DomainError as exc:
            return error_toast(exc)
        self.scorer_options = [Option(s.id, s.name) for s in self.call(scorers.list_scorers)]
        self.editing, self.name, self.scorer_id, self.log_type, self.step_name = r.id, r.name, r.scorer_id, r.log_type, r.step_name
        self.sample, self.environment, self.error = f"{r.sample_percent:g}", r.environment, ""
        self.filters = {**EMPTY_FILTERS, **r.filters}
        return None

    @rx.event
    def cancel(self):
        self.editing = ""

    @rx.event
    def set_field(self, field: str, value: str):
        if field in ("name", "scorer_id", "log_type", "step_name", "sample", "environment"):
            setattr(self, field, value)

    @rx.event
    def set_filter(self, key: str, value: str):
        if key in EMPTY_FILTERS:
            self.filters = {**self.filters, key: "" if value == "any" else value}

    @rx.event
    def save(self, _form: dict | None = None):
        active = True
        if self.editing != "new":
            active = next((r.active for r in self.rules if r.id == self.editing), True)
        data = RuleInput(self.name, self.scorer_id, self.log_type, self.sample or "0",
                         {k: v for k, v in self.filters.items() if v}, self.environment, self.step_name, active)
        try:
            if self.editing == "new":
                self.call(online_rules.create_rule, data)
            else:
                self.call(online_rules.update_rule, self.editing, data)
        except DomainError as exc:
            self.error = exc.message
            return None
        self.editing = ""
        return self._refresh() or rx.toast.success("Rule saved: it scores steps ingested from now on.")

    @rx.event
    def toggle(self, rule_id: str, active: bool):
        try:
            self.call(online_rules.set_active, rule_id, active)
        except DomainError as exc:
            return error_toast(exc)
        return self._refresh() or self._load_rule(rule_id)

    @rx.event
    def delete(self, rule_id: str):
        try:
            self.call(online_rules.delete_rule, rule_id)
        except DomainError as exc:
            return error_toast(exc)
        return self._refresh() or rx.toast.success("Rule deleted; the scores it gave stay.")

    # --- the rule page -----------------------------------------------------------------------

    @rx.event
    def load_rule(self):
        return self._load_rule(self.router.page.params.get("rule_id", "")) if self.project_id else None

    def _load_rule(self, rule_id: str):
        if not rule_id:
            return None
        try:
            r = self.call(online_rules.get_rule, rule_id)
            runs = self.call(rule_runs.list_runs, rule_id, limit=100)
            points = self.call(rule_runs.score_series, rule_id, 7)
        except DomainError as exc:
            return error_toast(exc)
        self.rule, self.counts = _view(r), r.counts
        self.runs = [RunView(x.id, x.step_id, x.step_name or x.step_id[:12], x.status,
                             "" if x.value is None else f"{x.value:g}{' · ' + x.label if x.label else ''}",
                             x.reason, "" if x.cost is None else f"${x.cost:.5f}", x.error,
                             x.created_at.strftime("%Y-%m-%d %H:%M:%S")) for x in runs]
        self.series = {"data": [{"type": "scatter", "mode": "lines+markers", "x": [p.bucket for p in points],
                                 "y": [p.average for p in points], "name": "average score"}],
                       "layout": {"height": 240, "margin": {"l": 40, "r": 10, "t": 10, "b": 40},
                                  "xaxis": {"type": "category"},  # days or hours: one tick each, even for one
                                  "yaxis": {"title": "average score"}}}
        return None

    @rx.event
    def refresh_rule(self):
        return self._load_rule(self.rule.id) if self.rule else None

    @rx.event
    def retry_failed(self):
        if self.rule is None:
            return None
        try:
            n = self.call(rule_runs.retry_failed, self.rule.id)
        except DomainError as exc:
            return error_toast(exc)
        return self._load_rule(self.rule.id) or rx.toast.success(f"{n} failed run(s) queued again.")


S = OnlineEvalsState
