"""The "Run experiment" dialog (a dataset's page, and "Experiment on dataset" in the Playground):
a prompt (a saved version, a template written here or the Playground's draft, or the items' own
chats), a credential and model, the variable mapping (checked by the service before anything
runs), scorers and concurrency. Starting opens the experiment's page, where progress is live."""

from __future__ import annotations

import json
from dataclasses import dataclass

import reflex as rx

from literal_app.services.datasets import experiment_runs, experiment_setup
from literal_app.services.kernel.errors import DomainError
from literal_app.state.session import SessionState

DEFAULT_TEMPLATE = "{{question}}"


@dataclass(frozen=True)
class Choice:
    id: str
    label: str


@dataclass(frozen=True)
class MapRow:
    variable: str
    key: str


class RunState(SessionState):
    open: bool = False
    dataset_id: str = ""
    name: str = ""
    source: str = "template"  # template | version | items | draft
    system: str = "Answer briefly."
    template: str = DEFAULT_TEMPLATE
    draft_messages: str = ""  # the Playground's draft (JSON template messages), when opened from there
    version_id: str = ""
    versions: list[Choice] = []
    version_vars: dict[str, list[str]] = {}
    credentials: list[Choice] = []
    credential_id: str = ""
    model: str = ""
    models: dict[str, list[str]] = {}
    scorers: list[Choice] = []
    chosen_scorers: list[str] = ["exact_match"]
    keys: list[str] = []
    mapping: list[MapRow] = []
    concurrency: str = "4"
    error: str = ""

    @rx.var
    def model_options(self) -> list[str]:
        return self.models.get(self.credential_id, [])

    def _messages(self) -> list[dict] | None:
        if self.source == "template":
            system = [{"role": "system", "content": self.system}] if self.system.strip() else []
            return [*system, {"role": "user", "content": self.template}]
        if self.source == "draft":
            return json.loads(self.draft_messages or "[]")
        return None

    def _variables(self) -> list[str]:
        if self.source == "version":
            return self.version_vars.get(self.version_id, [])
        return experiment_setup.variables_of(self._messages())

    def _remap(self) -> None:
        old = {m.variable: m.key for m in self.mapping}
        fresh = experiment_setup.suggest_mapping(self._variables(), self.keys)
        self.mapping = [MapRow(v, old.get(v) or k) for v, k in fresh.items()]

    def open_for(self, dataset_id: str, source: str = "template", draft: str = ""):
        """Fill the dialog's choices for ``dataset_id`` and open it."""
        try:
            o = self.call(experiment_setup.run_options, dataset_id)
        except DomainError as exc:
            self.error = exc.message
            return
        self.dataset_id, self.source, self.draft_messages, self.error = dataset_id, source, draft, ""
        self.versions = [Choice(p.id, p.label) for p in o.prompts]
        self.version_vars = {p.id: p.variables for p in o.prompts}
        self.credentials = [Choice(c[0], c[1]) for c in o.credentials]
        self.models = {c[0]: c[2] for c in o.credentials}
        self.credential_id = self.credential_id if self.credential_id in self.models else (
            o.credentials[0][0] if o.credentials else "")
        self.scorers = [Choice(s[0], s[1]) for s in o.scorers]
        self.keys = o.input_keys
        self.name = self.name or "Experiment"
        self._remap()
        self.open = True

    @rx.event
    def open_dialog(self, dataset_id: str):
        self.open_for(dataset_id)

    @rx.event
    def set_open(self, value: bool):
        self.open = value

    @rx.event
    def set_field(self, field: str, value: str):
        if field in ("name", "system", "template", "source", "version_id", "credential_id", "model", "concurrency"):
            setattr(self, field, value)
        if field in ("system", "template", "source", "version_id"):
            self._remap()

    @rx.event
    def set_key(self, variable: str, key: str):
        self.mapping = [MapRow(m.variable, key if m.variable == variable else m.key) for m in self.mapping]

    @rx.event
    def toggle_scorer(self, scorer_id: str):
        self.chosen_scorers = [s for s in self.chosen_scorers if s != scorer_id] if scorer_id in self.chosen_scorers \
            else [*self.chosen_scorers, scorer_id]

    @rx.event
    def start(self):
        try:
            concurrency = int(self.concurrency)
        except ValueError:
            self.error = "Concurrency must be a whole number."
            return None
        spec = experiment_runs.RunSpec(
            name=self.name, credential_id=self.credential_id, model=self.model,
            prompt_version_id=self.version_id if self.source == "version" else None, messages=self._messages(),
            mapping={m.variable: m.key for m in self.mapping}, scorers=tuple(self.chosen_scorers),
            concurrency=concurrency)
        try:
            started = self.call(experiment_runs.start_experiment, self.dataset_id, spec)
        except DomainError as exc:
            self.error = exc.message
            return None
        self.open, self.error = False, ""
        return rx.redirect(f"/experiments/{started.id}")
