"""A/B rollouts of prompt versions, and prompt variants (unsaved configurations for experiments).

A rollout update replaces the whole set for the lineage. Percentages sum to 100 (or to 1 when
given as fractions, as the Literal AI docs show); every version named must exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, delete, select

from literal_app.models.prompts import (
    PromptLineage,
    PromptRollout,
    PromptRolloutChange,
    PromptVariant,
    PromptVersion,
)
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid, NotFound
from literal_app.services.kernel.scoping import owned
from literal_app.services.prompts.prompt_templates import empty_to_none, extract_variables
from literal_app.services.prompts.prompts import touch_lineage


@dataclass(frozen=True)
class RolloutRead:
    version: int
    rollout: float


@dataclass(frozen=True)
class PromptVariantRead:
    id: str
    project_id: str
    from_lineage_id: str | None
    from_version: int | None
    score_template_id: str | None
    template_messages: list | None
    settings: dict | None
    tools: list | None
    variables: list | None
    created_by_id: str | None
    created_at: datetime

    @property
    def project_user_id(self) -> str | None:  # the protocol's name for the author
        return self.created_by_id


def _lineage_named(session: Session, actor: Actor, name: str) -> PromptLineage:
    row = session.exec(select(PromptLineage).where(
        PromptLineage.project_id == actor.project_id, PromptLineage.name == name)).first()
    if row is None:
        raise NotFound(f"Prompt {name!r} not found.")
    return row


def get_rollouts(session: Session, actor: Actor, name: str) -> list[RolloutRead]:
    """The current A/B split of the prompt named ``name``, by version."""
    require(actor, "prompts:read")
    lineage = _lineage_named(session, actor, name)
    rows = session.exec(select(PromptRollout).where(PromptRollout.lineage_id == lineage.id)
                        .order_by(PromptRollout.version)).all()
    return [RolloutRead(r.version, _number(r.rollout)) for r in rows]


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _check_rollouts(session: Session, lineage: PromptLineage, rollouts: list[dict]) -> list[tuple[int, float]]:
    """Validated (version, percentage) pairs, or ``Invalid`` with the reason."""
    if not rollouts:
        raise Invalid("Give at least one version with its rollout percentage.")
    pairs: list[tuple[int, float]] = []
    for r in rollouts:
        version, share = r.get("version"), r.get("rollout")
        if not isinstance(version, int) or isinstance(version, bool):
            raise Invalid("Each rollout needs an integer version.")
        if not isinstance(share, (int, float)) or isinstance(share, bool) or not math.isfinite(share) or share < 0:
            raise Invalid(f"The rollout of version {version} must be a number of at least 0.")
        pairs.append((version, float(share)))
    versions = [v for v, _ in pairs]
    if len(set(versions)) != len(versions):
        raise Invalid("Each version may appear only once in a rollout.")
    existing = set(session.exec(select(PromptVersion.version).where(
        PromptVersion.lineage_id == lineage.id, PromptVersion.version.in_(versions))).all())
    missing = sorted(set(versions) - existing)
    if missing:
        raise Invalid(f"Prompt {lineage.name!r} has no version {', '.join(map(str, missing))}.")
    deprecated = sorted(session.exec(select(PromptVersion.version).where(
        PromptVersion.lineage_id == lineage.id, PromptVersion.deprecated == True,  # noqa: E712
        PromptVersion.version.in_([v for v, share in pairs if share > 0]))).all())
    if deprecated:
        raise Invalid(f"Version {', '.join(map(str, deprecated))} of {lineage.name!r} is deprecated: its rollout "
                      "share must be 0 (restore it first to serve it).")
    total = sum(s for _, s in pairs)
    fractional = all(s <= 1 for _, s in pairs) and not math.isclose(total, 100)
    if not (math.isclose(total, 100, abs_tol=1e-6) or (fractional and math.isclose(total, 1, abs_tol=1e-6))):
        raise Invalid(f"Rollout percentages must add up to 100 (they add up to {_number(total)}).")
    return pairs


def update_rollouts(session: Session, actor: Actor, name: str, rollouts: list[dict]) -> list[RolloutRead]:
    """Replace the lineage's whole rollout set with ``rollouts`` ([{version, rollout}])."""
    require(actor, "prompts:write")
    lineage = _lineage_named(session, actor, name)
    pairs = _check_rollouts(session, lineage, rollouts)
    return _replace(session, actor, lineage, pairs)


def _replace(session: Session, actor: Actor, lineage: PromptLineage,
             pairs: list[tuple[int, float]]) -> list[RolloutRead]:
    """Store the new split and its history row (before/after), and touch the lineage."""
    old = session.exec(select(PromptRollout).where(PromptRollout.lineage_id == lineage.id)
                       .order_by(PromptRollout.version)).all()
    before = [{"version": r.version, "rollout": _number(r.rollout)} for r in old]
    after = [{"version": v, "rollout": _number(s)} for v, s in sorted(pairs)]
    session.exec(delete(PromptRollout).where(PromptRollout.lineage_id == lineage.id))
    for version, share in pairs:
        session.add(PromptRollout(project_id=actor.project_id, lineage_id=lineage.id, version=version,
                                  rollout=share))
    if before != after:
        session.add(PromptRolloutChange(project_id=actor.project_id, lineage_id=lineage.id,
                                        changed_by_id=actor.member_id, before=before, after=after))
        touch_lineage(session, actor, lineage)
    session.flush()
    return [RolloutRead(v, _number(s)) for v, s in sorted(pairs)]


def set_rollout(session: Session, actor: Actor, lineage_id: str, shares: dict[str, float]) -> list[RolloutRead]:
    """The rollout editor's save: ``shares`` maps version ids of this lineage to percentages."""
    require(actor, "prompts:write")
    lineage = owned(session, PromptLineage, lineage_id, actor, "Prompt not found.")
    ids = list(shares)
    rows = session.exec(select(PromptVersion).where(PromptVersion.id.in_(ids))).all() if ids else []
    by_id = {r.id: r for r in rows if r.project_id == actor.project_id}
    foreign = [i for i in ids if i not in by_id or by_id[i].lineage_id != lineage.id]
    if foreign:
        raise Invalid(f"A rollout may only name versions of {lineage.name!r}: "
                      f"{len(foreign)} of the versions given belong to another prompt or do not exist.")
    rollouts = [{"version": by_id[i].version, "rollout": share} for i, share in shares.items()]
    return _replace(session, actor, lineage, _check_rollouts(session, lineage, rollouts))


def _variant_read(v: PromptVariant) -> PromptVariantRead:
    return PromptVariantRead(v.id, v.project_id, v.from_lineage_id, v.from_version, v.score_template_id,
                             v.template_messages, v.settings, v.tools, v.variables, v.created_by_id,
                             v.created_at)


def create_variant(session: Session, actor: Actor, *, template_messages: Any,
                   from_lineage_id: str | None = None, from_version: int | None = None,
                   settings: Any = None, tools: Any = None, variables: Any = None,
                   score_template_id: str | None = None) -> PromptVariantRead:
    """Store an unsaved prompt configuration (``createPromptExperiment``) and return it."""
    require(actor, "prompts:write")
    if from_lineage_id:
        lineage = owned(session, PromptLineage, from_lineage_id, actor, "Prompt not found.")
    if template_messages is not None and not isinstance(template_messages, list):
        raise Invalid("templateMessages must be a list of messages.")
    if settings is not None and not isinstance(settings, dict):
        raise Invalid("settings must be an object.")
    row = PromptVariant(
        project_id=actor.project_id, from_lineage_id=from_lineage_id or None, from_version=from_version,
        score_template_id=score_template_id, template_messages=template_messages or [],
        settings=empty_to_none(settings), tools=empty_to_none(tools),
        variables=variables if isinstance(variables, list) else extract_variables(template_messages),
        created_by_id=actor.member_id)
    session.add(row)
    session.flush()
    return _variant_read(row)


def get_variant(session: Session, actor: Actor, variant_id: str) -> PromptVariantRead:
    require(actor, "prompts:read")
    row = owned(session, PromptVariant, variant_id, actor, "Prompt variant not found.")
    return _variant_read(row)
