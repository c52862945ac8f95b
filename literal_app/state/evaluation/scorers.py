"""/scorers: the project's scorers, the form that edits one (code metric parameters; a judge in
the Playground's template editor with its schema, credential, model, settings and answer mode, see
``judge_editor``; or embedding options), built-in judges copied on demand, and "Try it" on a step
picked from the project's recent logs."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

import reflex as rx

from literal_app.services.evaluation import builtins, code_metrics, score_schemas, scorers, try_it
from literal_app.services.evaluation.scorers import ScorerInput
from literal_app.services.kernel.errors import DomainError
from literal_app.services.providers import credentials
from literal_app.state.evaluation.judge_editor import JudgeEditorMixin
from literal_app.state.fmt import when
from literal_app.state.session import SessionState, error_toast

PARAMS = ("value", "pattern", "schema", "method", "threshold", "tolerance", "min", "max", "unit", "output_key")
FLAGS = ("case_sensitive", "ignore_case", "relative")


@dataclass(frozen=True)
class ScorerView:
    id: str
    name: str
    kind: str
    kind_label: str
    summary: str
    description: str
    rules: int


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class StepPick:
    """A recent logged step offered by "Try it"."""

    id: str
    name: str
    kind: str
    created: str
    input: str
    output: str


def _summary(s: scorers.ScorerRead) -> str:
    if s.kind == "code":
        metric = code_metrics.METRICS.get(s.config.get("metric", ""))
        params = ", ".join(f"{k}={v}" for k, v in (s.config.get("params") or {}).items() if k != "schema")
        return f"{metric.label if metric else '?'}{' · ' + params if params else ''}"
    if s.kind == "llm_judge":
        how = " by tool call" if s.config.get("answer_with") == "tool" else ""
        return f"{s.model or '?'} · answers in {s.score_schema_name or '(schema deleted)'}{how}"
    return "Cosine similarity to the expected output (all-MiniLM-L6-v2, local)"


class ScorersState(JudgeEditorMixin, SessionState):
    scorers: list[ScorerView] = []
    editing: str = ""  # scorer id, "new" or ""
    name: str = ""
    kind: str = "code"
    description: str = ""
    metric: str = "exact_match"
    params: dict[str, str] = {}
    flags: dict[str, bool] = {}
    schema_id: str = ""
    credential_id: str = ""
    model: str = ""
    builtin: str = ""
    schemas: list[Option] = []
    credentials: list[Option] = []
    error: str = ""
    try_id: str = ""
    try_table: str = "runs"
    try_search: str = ""
    try_choices: list[StepPick] = []
    try_step: str = ""
    try_expected: str = ""
    try_result: dict[str, str] = {}

    @rx.var
    def metrics(self) -> list[Option]:
        return [Option(m.key, m.label) for m in code_metrics.METRICS.values()]

    @rx.var
    def builtin_judges(self) -> list[Option]:
        return [Option(b.key, b.name) for b in builtins.list_builtins()]

    @rx.event
    def load(self):
        self.editing, self.error, self.try_id = "", "", ""
        return self._refresh() if self.project_id else None

    def _refresh(self):
        try:
            found = self.call(scorers.list_scorers)
        except DomainError as exc:
            return error_toast(exc)
        self.scorers = [ScorerView(s.id, s.name, s.kind, s.kind_label, _summary(s), s.description, s.rule_count)
                        for s in found]
        return None

    def _options(self) -> None:
        self.schemas = [Option(s.id, s.name) for s in self.call(score_schemas.list_score_schemas)]
        try:
            self.credentials = [Option(c.id, f"{c.name} ({c.provider_label})") for c in self.call(credentials.list_credentials)]
        except DomainError:
            self.credentials = []

    def _blank(self, kind: str = "code") -> None:
        self.name, self.kind, self.description, self.metric, self.error = "", kind, "", "exact_match", ""
        self.params, self.flags, self.builtin = {"method": "levenshtein", "unit": "characters"}, {"case_sensitive": True}, ""
        self.judge_load(None)
        self.schema_id, self.credential_id, self.model = "", "", ""

    @rx.event
    def new(self):
        self._blank()
        self._options()
        self.editing = "new"

    @rx.event
    def use_builtin(self, key: str):
        """Open the form on an editable copy of a built-in judge (saved only when the user saves)."""
        b = builtins.BUILTINS[key]
        self._blank("llm_judge")
        self._options()
        self.name, self.description, self.builtin = f"{b.name} judge", b.description, key
        self.judge_load({"messages": [{"role": "system", "content": builtins.SYSTEM},
                                      {"role": "user", "content": b.template}]})
        self.editing = "new"

    @rx.event
    def edit(self, scorer_id: str):
        try:
            s = self.call(scorers.get_scorer, scorer_id)
            self._options()
        except DomainError as exc:
            return error_toast(exc)
        self._blank(s.kind)
        self.editing, self.name, self.description = s.id, s.name, s.description
        if s.kind == "code":
            self.metric = s.config.get("metric", "exact_match")
            raw = s.config.get("params") or {}
            self.params = {**self.params, **{k: (json.dumps(v) if k == "schema" else str(v)) for k, v in raw.items()
                                             if k in PARAMS}}
            self.flags = {k: bool(raw.get(k, k == "case_sensitive")) for k in FLAGS}
        elif s.kind == "llm_judge":
            self.judge_load(s.config)
            self.schema_id, self.credential_id, self.model = s.score_schema_id or "", s.credential_id or "", s.model or ""
            self.builtin = s.config.get("builtin", "")
        else:
            self.params = {"threshold": str(s.config.get("threshold", ""))}
        return None

    @rx.event
    def cancel(self):
        self.editing = ""

    @rx.event
    def set_field(self, field: str, value: str):
        if field in ("name", "kind", "description", "metric", "schema_id", "credential_id", "model", "try_expected"):
            setattr(self, field, value)

    @rx.event
    def set_param(self, key: str, value: str):
        self.params = {**self.params, key: value}

    @rx.event
    def set_flag(self, key: str, value: bool):
        self.flags = {**self.flags, key: value}

    def _input(self) -> ScorerInput:
        if self.kind == "code":
            params: dict = {k: v for k, v in self.params.items() if v not in ("", None)}
            params.update(self.flags)
            return ScorerInput(self.name, "code", {"metric": self.metric, "params": params}, self.description)
        if self.kind == "embedding":
            return ScorerInput(self.name, "embedding", {"threshold": self.params.get("threshold") or None},
                               self.description)
        config = {**self.judge_config(), **({"builtin": self.builtin} if self.builtin else {})}
        return ScorerInput(self.name, "llm_judge", config, self.description, self.schema_id or None,
                           self.credential_id or None, self.model)

    @rx.event
    def save(self, _form: dict | None = None):
        try:
            if self.editing == "new" and self.builtin:
                b = builtins.BUILTINS[self.builtin]
                if not self.schema_id:  # the built-in's own schema, made on first use
                    self.schema_id = self.call(builtins.schema_for, b)
            data = self._input()
            if self.editing == "new":
                self.call(scorers.create_scorer, data)
            else:
                self.call(scorers.update_scorer, self.editing, data)
        except DomainError as exc:
            self.error = exc.message
            return None
        self.editing, self.error = "", ""
        return self._refresh() or rx.toast.success("Scorer saved.")

    @rx.event
    def delete(self, scorer_id: str):
        try:
            self.call(scorers.delete_scorer, scorer_id)
        except DomainError as exc:
            return error_toast(exc)
        return self._refresh() or rx.toast.success("Scorer deleted.")

    @rx.event
    def open_try(self, scorer_id: str):
        self.try_id, self.try_result = ("" if self.try_id == scorer_id else scorer_id), {}
        return self._load_choices() if self.try_id else None

    def _load_choices(self):
        try:
            found = self.call(try_it.recent_steps, self.try_table, self.try_search)
        except DomainError as exc:
            return error_toast(exc)
        self.try_choices = [StepPick(c.id, c.name, c.kind, when(c.created_at), c.input[:140], c.output[:140])
                            for c in found]
        if self.try_step not in {c.id for c in found}:
            self.try_step = found[0].id if found else ""
        return None

    @rx.event
    def set_try_table(self, table: str):
        self.try_table = table if table in try_it.PICK_TABLES else "runs"
        return self._load_choices()

    @rx.event
    def set_try_search(self, text: str):
        self.try_search = text
        return self._load_choices()

    @rx.event
    def pick_step(self, step_id: str):
        self.try_step, self.try_result = step_id, {}

    @rx.event(background=True)
    async def run_try(self):
        async with self:
            scorer_id, step_id, expected = self.try_id, self.try_step, self.try_expected
            if not step_id:
                self.try_result = {"status": "error", "reason": "Pick a logged step first."}
                return
            self.try_result = {"status": "Scoring…"}
        try:
            r = await asyncio.to_thread(self.call, try_it.try_on_step, scorer_id, step_id, expected or None)
            shown = {"status": "error" if r.error else "done", "value": "" if r.value is None else f"{r.value:g}",
                     "label": r.label or "", "reason": r.error or r.reason, "tokens": f"{r.tokens or 0:,}",
                     "cost": "–" if r.cost is None else f"${r.cost:.6f}"}
        except DomainError as exc:
            shown = {"status": "error", "reason": exc.message}
        async with self:
            self.try_result = shown


S = ScorersState
