"""Prompt management: lineages (named prompts) and their numbered, immutable versions.

A new version is made only when the template messages, settings or tools changed from the
latest one (versions start at 0). Fetching by name without a version picks one at random,
weighted by the lineage's A/B rollout (``prompt_rollouts``); a new lineage's v0 gets 100%.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import func
from sqlmodel import Session, select

from literal_app.config import get_settings
from literal_app.models.prompts import PromptLineage, PromptRollout, PromptVersion
from literal_app.models.types import utcnow
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned, owned_or_none
from literal_app.services.kernel.validation import clean_name
from literal_app.services.prompts.prompt_templates import (
    empty_to_none,
    extract_variables,
    same_prompt,
    settings_with_provider,
)

PROMPT_TYPES = ("CHAT", "COMPLETION")


@dataclass(frozen=True)
class PromptLineageRead:
    id: str
    name: str
    description: str | None
    created_at: datetime
    deleted_at: datetime | None
    version_count: int = 0


@dataclass(frozen=True)
class PromptVersionRead:
    id: str
    lineage_id: str
    name: str
    version: int
    type: str
    template_messages: list | None
    settings: dict | None
    tools: list | None
    variables: list | None
    variables_default_values: dict | None
    changelog: str | None
    label: str | None
    status: str | None
    tags: list | None
    created_at: datetime
    updated_at: datetime
    lineage_deleted_at: datetime | None
    url: str
    deprecated: bool = False
    created_by_id: str | None = None

    @property
    def provider(self) -> str | None:
        return (self.settings or {}).get("provider")

    @property
    def version_desc(self) -> str | None:  # the protocol's name for the changelog
        return self.changelog

    @property
    def lineage(self) -> "LineageRef":
        return LineageRef(self.lineage_id, self.name, self.lineage_deleted_at)


@dataclass(frozen=True)
class LineageRef:
    """The lineage as seen from one of its versions (``version.lineage { name deletedAt }``)."""

    id: str
    name: str
    deleted_at: datetime | None


def playground_url(project_id: str, name: str, version: int) -> str:
    """The web link the clients expose as ``prompt.url``."""
    base = get_settings().base_url
    return f"{base}/projects/{project_id}/playground?name={quote(name, safe='')}&version={version}"


def _lineage_read(row: PromptLineage, count: int = 0) -> PromptLineageRead:
    return PromptLineageRead(row.id, row.name, row.description, row.created_at, row.deleted_at, count)


def _version_read(v: PromptVersion, lineage: PromptLineage) -> PromptVersionRead:
    return PromptVersionRead(
        v.id, lineage.id, lineage.name, v.version, v.type, v.template_messages, v.settings, v.tools,
        v.variables, v.variables_default_values, v.changelog, v.label, v.status, v.tags, v.created_at,
        v.updated_at, lineage.deleted_at, playground_url(v.project_id, lineage.name, v.version),
        bool(v.deprecated), v.created_by_id)


def touch_lineage(session: Session, actor: Actor, lineage: PromptLineage) -> None:
    """Record the lineage's last change and who made it (the prompts list shows both)."""
    lineage.updated_at = utcnow()
    lineage.updated_by_id = actor.member_id or lineage.updated_by_id
    session.add(lineage)


def _lineage_by_name(session: Session, project_id: str, name: str) -> PromptLineage | None:
    return session.exec(select(PromptLineage).where(
        PromptLineage.project_id == project_id, PromptLineage.name == name)).first()


def _lineage(session: Session, actor: Actor, lineage_id: str) -> PromptLineage:
    row = owned(session, PromptLineage, lineage_id, actor, "Prompt not found.")
    return row


def get_or_create_lineage(session: Session, actor: Actor, *, name: str,
                          description: str | None = None) -> PromptLineageRead:
    """The lineage named ``name``, created when missing (``createPromptLineage``)."""
    require(actor, "prompts:write")
    name = clean_name(name, "Prompt name", 256)
    row = _lineage_by_name(session, actor.project_id, name)
    if row is None:
        row = PromptLineage(project_id=actor.project_id, name=name, description=description)
        session.add(row)
        session.flush()
    return _lineage_read(row)


def get_lineage_by_name(session: Session, actor: Actor, name: str) -> PromptLineageRead | None:
    require(actor, "prompts:read")
    row = _lineage_by_name(session, actor.project_id, name)
    return _lineage_read(row) if row else None


def list_lineages(session: Session, actor: Actor) -> list[PromptLineageRead]:
    """Every prompt of the project with its number of versions, by name."""
    require(actor, "prompts:read")
    counts = (select(PromptVersion.lineage_id, func.count().label("n"))
              .group_by(PromptVersion.lineage_id).subquery())
    rows = session.exec(
        select(PromptLineage, counts.c.n).join(counts, counts.c.lineage_id == PromptLineage.id, isouter=True)
        .where(PromptLineage.project_id == actor.project_id).order_by(PromptLineage.name)).all()
    return [_lineage_read(lin, n or 0) for lin, n in rows]


def _latest(session: Session, lineage_id: str) -> PromptVersion | None:
    return session.exec(select(PromptVersion).where(PromptVersion.lineage_id == lineage_id)
                        .order_by(PromptVersion.version.desc())).first()


def create_version(session: Session, actor: Actor, *, lineage_id: str, template_messages: Any,
                   settings: Any = None, tools: Any = None, variables_default_values: Any = None,
                   changelog: str | None = None, prompt_type: str = "CHAT") -> PromptVersionRead:
    """Return the latest version when nothing changed, else create version latest+1 (from 0)."""
    require(actor, "prompts:write")
    lineage = _lineage(session, actor, lineage_id)
    if template_messages is not None and not isinstance(template_messages, list):
        raise Invalid("templateMessages must be a list of messages.")
    if tools is not None and not isinstance(tools, (list, dict)):
        raise Invalid("tools must be a list.")
    if variables_default_values is not None and not isinstance(variables_default_values, dict):
        raise Invalid("variablesDefaultValues must be an object.")
    if prompt_type not in PROMPT_TYPES:
        raise Invalid(f"Unknown prompt type {prompt_type!r}: use CHAT or COMPLETION.")
    latest = _latest(session, lineage.id)
    settings = settings_with_provider(settings, (latest.settings or {}).get("provider") if latest else None)
    if latest and same_prompt(template_messages, settings, tools,
                              latest.template_messages, latest.settings, latest.tools):
        return _version_read(latest, lineage)
    number = latest.version + 1 if latest else 0
    row = PromptVersion(
        project_id=actor.project_id, lineage_id=lineage.id, version=number, type=prompt_type,
        template_messages=template_messages or [], settings=settings, tools=empty_to_none(tools),
        variables=extract_variables(template_messages),
        variables_default_values=variables_default_values or (latest.variables_default_values if latest else None),
        changelog=changelog, created_by_id=actor.member_id)
    session.add(row)
    touch_lineage(session, actor, lineage)
    if number == 0:
        session.add(PromptRollout(project_id=actor.project_id, lineage_id=lineage.id, version=0, rollout=100))
    session.flush()
    return _version_read(row, lineage)


def list_versions(session: Session, actor: Actor, lineage_id: str) -> list[PromptVersionRead]:
    """All versions of a prompt, newest first."""
    require(actor, "prompts:read")
    lineage = _lineage(session, actor, lineage_id)
    rows = session.exec(select(PromptVersion).where(PromptVersion.lineage_id == lineage.id)
                        .order_by(PromptVersion.version.desc())).all()
    return [_version_read(v, lineage) for v in rows]


def _pick_version(session: Session, lineage: PromptLineage, rng: random.Random | None) -> PromptVersion | None:
    """A version drawn by the rollout weights (deprecated versions never), read in the same query
    as the rollout (get_prompt's hot path); ``None`` when no rollout is configured."""
    rollouts = session.exec(
        select(PromptVersion, PromptRollout.rollout)
        .join(PromptRollout, (PromptVersion.lineage_id == PromptRollout.lineage_id)
              & (PromptVersion.version == PromptRollout.version))
        .where(PromptRollout.lineage_id == lineage.id, PromptRollout.rollout > 0,
               PromptVersion.deprecated == False)  # noqa: E712
        .order_by(PromptRollout.version)).all()
    if not rollouts:
        return None
    versions, weights = zip(*rollouts)
    return (rng or random).choices(versions, weights=weights, k=1)[0]


def get_version(session: Session, actor: Actor, *, id: str | None = None, name: str | None = None,
                version: int | None = None, rng: random.Random | None = None) -> PromptVersionRead | None:
    """A version by id, or by name and number; by name alone, drawn by the A/B rollout.

    Unknown prompts give ``None`` (the clients fall back to their cache).
    """
    require(actor, "prompts:read")
    if id:
        row = owned_or_none(session, PromptVersion, id, actor)
        if row is None:
            return None
        return _version_read(row, session.get(PromptLineage, row.lineage_id))
    if not name:
        raise Invalid("Give a prompt id or name.")
    lineage = _lineage_by_name(session, actor.project_id, name)
    if lineage is None:
        return None
    if version is not None:
        row = session.exec(select(PromptVersion).where(
            PromptVersion.lineage_id == lineage.id, PromptVersion.version == version)).first()
        return _version_read(row, lineage) if row else None
    row = _pick_version(session, lineage, rng)
    if row is None:  # without a rollout: v0 as the clients expect, else the newest version still served
        row = session.exec(select(PromptVersion).where(
            PromptVersion.lineage_id == lineage.id, PromptVersion.deprecated == False)  # noqa: E712
            .order_by((PromptVersion.version == 0).desc(), PromptVersion.version.desc())).first()
    return _version_read(row, lineage) if row else None


def delete_lineage(session: Session, actor: Actor, lineage_id: str) -> PromptLineageRead:
    """Mark a prompt deleted: clients still get its versions, with a warning."""
    require(actor, "prompts:write")
    lineage = _lineage(session, actor, lineage_id)
    lineage.deleted_at = lineage.deleted_at or utcnow()
    session.add(lineage)
    session.flush()
    return _lineage_read(lineage)
