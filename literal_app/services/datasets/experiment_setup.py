"""What the "Run experiment" dialog offers for a dataset: prompt versions (with their variables),
credentials and their models, scorers, and the input keys of the dataset's items (to map the
prompt's variables onto), plus a suggested mapping (a variable maps to the key of the same name)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from literal_app.models.datasets import DatasetItem
from literal_app.services.datasets import experiment_scorers
from literal_app.services.datasets.datasets import owned_dataset
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import DomainError
from literal_app.services.prompts import prompts
from literal_app.services.prompts.prompt_templates import extract_variables
from literal_app.services.providers import credentials

SAMPLE = 200


@dataclass(frozen=True)
class PromptChoice:
    id: str
    label: str
    variables: list[str]


@dataclass(frozen=True)
class RunOptions:
    prompts: list[PromptChoice] = field(default_factory=list)
    credentials: list[tuple[str, str, list[str]]] = field(default_factory=list)  # id, label, models
    scorers: list[tuple[str, str]] = field(default_factory=list)
    input_keys: list[str] = field(default_factory=list)


def variables_of(messages: list[dict] | None) -> list[str]:
    return [v["name"] for v in extract_variables(messages or [])]


def suggest_mapping(variables: list[str], keys: list[str]) -> dict[str, str]:
    return {v: v if v in keys else "" for v in variables}


def _prompt_choices(session: Session, actor: Actor) -> list[PromptChoice]:
    out: list[PromptChoice] = []
    try:
        for lineage in prompts.list_lineages(session, actor):
            for v in prompts.list_versions(session, actor, lineage.id)[-5:]:
                if v.template_messages:
                    out.append(PromptChoice(v.id, f"{v.name} v{v.version}", variables_of(v.template_messages)))
    except DomainError:
        pass
    return out


def run_options(session: Session, actor: Actor, dataset_id: str) -> RunOptions:
    require(actor, "datasets:write")
    dataset = owned_dataset(session, actor, dataset_id)
    inputs = session.exec(select(DatasetItem.input).where(DatasetItem.dataset_id == dataset.id)
                          .order_by(DatasetItem.created_at).limit(SAMPLE)).all()
    keys = list(dict.fromkeys(k for i in inputs if isinstance(i, dict) for k in i))
    try:
        creds = [(c.id, f"{c.name} ({c.provider_label})", list(c.models))
                 for c in credentials.list_credentials(session, actor)]
    except DomainError:
        creds = []
    return RunOptions(_prompt_choices(session, actor), creds, experiment_scorers.scorer_choices(session, actor), keys)
