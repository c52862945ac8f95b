"""Server-run experiments: start one over a dataset (a prompt version, a playground draft or the
items' own chats; a credential and model; variables mapped to input keys; scorers; concurrency),
follow its progress, cancel it, run it again.

Starting checks everything before anything runs (every template variable mapped, every item has
the mapped keys, the credential exists, the scorers are known), then writes one pending
``ExperimentItem`` per dataset item and schedules the first ``concurrency`` item jobs and the
watchdog after commit. The items' own lifecycle is in ``experiment_work``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, update
from sqlmodel import Session, select

from literal_app.models.datasets import DatasetItem, Experiment, ExperimentItem
from literal_app.models.prompts import PromptVersion
from literal_app.models.types import new_id, utcnow
from literal_app.services.datasets import experiment_scorers
from literal_app.services.datasets.datasets import owned_dataset
from literal_app.services.datasets.experiment_work import ACTIVE, dispatch, schedule_watchdog
from literal_app.services.datasets.experiments import ExperimentRead, _read
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned
from literal_app.services.kernel.validation import clean_name
from literal_app.services.playground.runs import clean_settings
from literal_app.services.prompts.prompt_templates import extract_variables
from literal_app.services.providers.credentials import get_credential

MAX_CONCURRENCY = 32
DEFAULT_LEASE = 180.0


@dataclass(frozen=True)
class RunSpec:
    """What to run. ``messages``: template messages of a playground draft; ``prompt_version_id``
    instead to use a saved version; neither to send each item's own ``input.messages``."""

    name: str
    credential_id: str
    model: str
    settings: dict | None = None
    prompt_version_id: str | None = None
    messages: list[dict] | None = None
    mapping: dict[str, str] | None = None
    scorers: tuple[str, ...] = ()
    concurrency: int = 4
    lease_seconds: float = DEFAULT_LEASE


@dataclass(frozen=True)
class Progress:
    status: str
    total: int
    done: int
    failed: int
    running: int
    remaining: int
    cancelled: int
    eta_seconds: float | None
    elapsed_seconds: float | None

    @property
    def percent(self) -> int:
        return int(100 * (self.done + self.failed + self.cancelled) / self.total) if self.total else 100


def lookup(value: Any, key: str) -> tuple[bool, Any]:
    """``value[key]`` where ``key`` may be a dotted path (``question.text``)."""
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return False, None
        value = value[part]
    return True, value


def _template(session: Session, actor: Actor, spec: RunSpec) -> tuple[list[dict] | None, dict, list[Any]]:
    """(template messages, version settings, version tools) of the spec's prompt."""
    if spec.prompt_version_id:
        version = owned(session, PromptVersion, spec.prompt_version_id, actor, "Prompt version not found.")
        if not version.template_messages:
            raise Invalid("This prompt version has no chat messages to run.")
        return version.template_messages, dict(version.settings or {}), list(version.tools or [])
    if spec.messages:
        return spec.messages, {}, []
    return None, {}, []


def check_mapping(template: list[dict] | None, mapping: dict[str, str], inputs: list[Any]) -> dict[str, str]:
    """Every variable mapped to an input key present in every item (``Invalid`` says which not)."""
    if template is None:
        missing = sum(1 for i in inputs if not isinstance(i, dict) or not isinstance(i.get("messages"), list))
        if missing:
            raise Invalid(f"Choose a prompt: {missing} item(s) have no chat messages (input.messages) to send.")
        return {}
    names = [v["name"] for v in extract_variables(template)]
    unmapped = [n for n in names if not (mapping.get(n) or "").strip()]
    if unmapped:
        raise Invalid(f"Map the variable(s) {', '.join(unmapped)} to an input key of the items.")
    for name in names:
        key = mapping[name].strip()
        lacking = [n for n, i in enumerate(inputs, start=1) if not lookup(i, key)[0]]
        if lacking:
            raise Invalid(f"{len(lacking)} item(s) have no input key {key!r} for {{{{{name}}}}} (first: item {lacking[0]}).")
    return {n: mapping[n].strip() for n in names}


def _config(session: Session, actor: Actor, spec: RunSpec, inputs: list[Any]) -> dict:
    template, version_settings, tools = _template(session, actor, spec)
    credential = get_credential(session, actor, spec.credential_id)
    if not (spec.model or "").strip():
        raise Invalid("Choose a model.")
    if not 1 <= int(spec.concurrency) <= MAX_CONCURRENCY:
        raise Invalid(f"Concurrency must be between 1 and {MAX_CONCURRENCY}.")
    raw = {**{k: v for k, v in version_settings.items() if k != "provider"}, **(spec.settings or {})}
    return {"messages": template, "tools": tools, "credential_id": credential.id, "provider": credential.provider,
            "model": spec.model.strip(), "settings": clean_settings(credential.provider, raw),
            "mapping": check_mapping(template, spec.mapping or {}, inputs),
            "scorers": experiment_scorers.check_scorers(session, actor, list(spec.scorers)),
            "concurrency": int(spec.concurrency), "lease_seconds": float(spec.lease_seconds),
            "prompt_version_id": spec.prompt_version_id}


def start_experiment(session: Session, actor: Actor, dataset_id: str, spec: RunSpec) -> ExperimentRead:
    """Check the spec, create the experiment with one pending item per dataset item, and schedule
    the first item jobs (after commit)."""
    require(actor, "datasets:write")
    dataset = owned_dataset(session, actor, dataset_id)
    name = clean_name(spec.name, "Experiment name", 256)
    rows = session.exec(select(DatasetItem.id, DatasetItem.input, DatasetItem.expected_output).where(
        DatasetItem.dataset_id == dataset.id).order_by(DatasetItem.created_at, DatasetItem.id)).all()
    if not rows:
        raise Invalid("The dataset has no items: add or import some first.")
    config = _config(session, actor, spec, [r[1] for r in rows])
    params = {k: config[k] for k in ("provider", "model", "settings", "scorers", "concurrency")}
    exp = Experiment(project_id=actor.project_id, dataset_id=dataset.id, name=name, params=params, status="queued",
                     created_by_id=actor.member_id, run_config=config, source="server", model=config["model"],
                     prompt_version_id=spec.prompt_version_id)
    session.add(exp)
    session.flush()
    now = utcnow()
    session.execute(insert(ExperimentItem), [
        {"id": new_id(), "project_id": actor.project_id, "experiment_id": exp.id, "dataset_item_id": item_id,
         "input": inp, "expected_output": expected, "status": "pending", "position": i, "attempt": 0,
         "created_at": now} for i, (item_id, inp, expected) in enumerate(rows)])
    dispatch(session, exp.id, config["concurrency"])
    schedule_watchdog(session, exp.id)
    return _read(exp, len(rows))


def _exp(session: Session, actor: Actor, experiment_id: str) -> Experiment:
    return owned(session, Experiment, experiment_id, actor, "Experiment not found.")


def cancel_experiment(session: Session, actor: Actor, experiment_id: str) -> int:
    """Stop pending/queued items (items already running finish); returns how many were stopped."""
    require(actor, "datasets:write")
    exp = _exp(session, actor, experiment_id)
    if exp.status not in ("queued", "running"):
        raise Invalid("Only a queued or running experiment can be cancelled.")
    stopped = session.exec(update(ExperimentItem).where(
        ExperimentItem.experiment_id == exp.id, ExperimentItem.status.in_(("pending", "queued")))
        .values(status="cancelled", lease_until=None)).rowcount
    exp.status, exp.finished_at = "cancelled", utcnow()
    session.add(exp)
    session.flush()
    return stopped or 0


def rerun_experiment(session: Session, actor: Actor, experiment_id: str, name: str | None = None) -> ExperimentRead:
    """A new experiment with the same parameters over the dataset's current items."""
    require(actor, "datasets:write")
    exp = _exp(session, actor, experiment_id)
    c = exp.run_config
    if not c or not exp.dataset_id:
        raise Invalid("Only experiments run by the server can be run again here.")
    spec = RunSpec(name=name or f"{exp.name} (re-run)", credential_id=c["credential_id"], model=c["model"],
                   settings=c.get("settings"), prompt_version_id=c.get("prompt_version_id"),
                   messages=None if c.get("prompt_version_id") else c.get("messages"), mapping=c.get("mapping"),
                   scorers=tuple(c.get("scorers") or ()), concurrency=c.get("concurrency", 4),
                   lease_seconds=c.get("lease_seconds", DEFAULT_LEASE))
    return start_experiment(session, actor, exp.dataset_id, spec)


def _seconds(a: datetime | None, b: datetime) -> float | None:
    return (b - a).total_seconds() if a else None


def get_progress(session: Session, actor: Actor, experiment_id: str) -> Progress:
    """Items done / failed / running / remaining, and an ETA from the rate so far."""
    require(actor, "datasets:read")
    exp = _exp(session, actor, experiment_id)
    counts = dict(session.exec(select(ExperimentItem.status, func.count()).where(
        ExperimentItem.experiment_id == exp.id).group_by(ExperimentItem.status)).all())
    total = sum(counts.values())
    done, failed, cancelled = counts.get("done", 0), counts.get("failed", 0), counts.get("cancelled", 0)
    remaining = sum(counts.get(s, 0) for s in ACTIVE)
    elapsed = _seconds(exp.started_at, exp.finished_at or utcnow())
    eta = None
    if remaining and elapsed and (done + failed):
        eta = remaining * elapsed / (done + failed)
    running = counts.get("running", 0) + counts.get("recording", 0)
    return Progress(exp.status, total, done, failed, running, remaining, cancelled, eta, elapsed)
