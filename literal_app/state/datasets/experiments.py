"""Evaluation → Experiments (global, and a dataset's Experiments tab): server-run and SDK-logged
experiments with model, params, items, failures and each score's average; filters by dataset,
prompt version and param text; pick two to compare."""

from __future__ import annotations

import json
from dataclasses import dataclass

import reflex as rx

from literal_app.services.datasets import experiment_views
from literal_app.services.kernel.errors import DomainError
from literal_app.state.fmt import when
from literal_app.state.session import SessionState, error_toast


@dataclass(frozen=True)
class ExperimentRow:
    id: str
    name: str
    dataset: str
    dataset_id: str
    prompt: str
    model: str
    params: str
    status: str
    item_count: int
    failures: int
    scores: str
    created: str


def experiment_row(e: experiment_views.ExperimentSummary) -> ExperimentRow:
    params = json.dumps({k: v for k, v in (e.params or {}).items() if k != "model"}, sort_keys=True) \
        if isinstance(e.params, dict) else ("" if e.params is None else json.dumps(e.params))
    scores = " · ".join(f"{n} {v:.3g}" for n, v in sorted(e.averages.items()))
    return ExperimentRow(e.id, e.name, e.dataset_name or "—", e.dataset_id or "", e.prompt_version_id or "",
                         e.model or "—", params[:160], e.status, e.items, e.failures, scores or "—", when(e.created_at))


class ExperimentsState(SessionState):
    rows: list[ExperimentRow] = []
    dataset_filter: str = ""
    param_filter: str = ""
    prompt_filter: str = ""
    selected: list[str] = []

    def _fill(self):
        try:
            found = self.call(experiment_views.list_summaries, dataset_id=self.dataset_filter or None,
                              prompt_version_id=self.prompt_filter or None, param=self.param_filter or None)
        except DomainError as exc:
            return error_toast(exc)
        self.rows = [experiment_row(e) for e in found]
        return None

    @rx.event
    def load(self):
        params = self.router.url.query_parameters
        self.dataset_filter, self.prompt_filter = params.get("dataset", ""), params.get("prompt_version", "")
        self.param_filter, self.selected = params.get("q", ""), []
        if self.project_id:
            return self._fill()

    @rx.event
    def load_for_dataset(self):
        self.dataset_filter = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.param_filter = self.prompt_filter = ""
        self.selected = []
        if self.project_id:
            return self._fill()

    @rx.event
    def set_param_filter(self, value: str):
        self.param_filter = value
        return self._fill()

    @rx.event
    def toggle(self, experiment_id: str):
        if experiment_id in self.selected:
            self.selected = [s for s in self.selected if s != experiment_id]
        else:
            self.selected = [*self.selected[-1:], experiment_id]  # at most two: base, then candidate

    @rx.event
    def compare(self):
        if len(self.selected) != 2:
            return rx.toast.error("Select two experiments: the base first, then the candidate.")
        return rx.redirect(f"/experiments/compare?base={self.selected[0]}&candidate={self.selected[1]}")
