"""The prompt library as people browse and curate it: the prompts list (latest and default versions,
tags, recent use, last change and by whom), tags on lineages, the deprecated flag on versions, and
deleting a prompt for good (its generations keep their messages but lose the link).

Every role may look (``prompts:view``: a Domain Expert reads prompts to review answers); only
Admins and AI Engineers change anything (``prompts:write``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, exists, func, literal, true, type_coerce, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Session, select

from literal_app.models.auth import Member
from literal_app.models.prompts import PromptLineage, PromptRollout, PromptRolloutChange, PromptVariant, PromptVersion
from literal_app.models.tracing import Step
from literal_app.models.types import utcnow
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned
from literal_app.services.kernel.validation import clean_name
from literal_app.services.prompts import prompt_rollups
from literal_app.services.prompts.prompts import touch_lineage

PAGE_SIZE = 50
MAX_TAGS = 20


@dataclass(frozen=True)
class LibraryRow:
    id: str
    name: str
    latest_version: int | None
    defaults: list[tuple[int, float]]  # (version, percent) served by name
    tags: list[str]
    generations_7d: int
    updated_at: datetime | None
    updated_by: str
    deleted_via_api: bool


@dataclass(frozen=True)
class LibraryPage:
    rows: list[LibraryRow]
    total: int
    all_tags: list[str]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(actor: Actor, search: str, tag: str, dialect: str):
    query = select(PromptLineage).where(PromptLineage.project_id == actor.project_id)
    if search.strip():
        query = query.where(PromptLineage.name.ilike(f"%{_escape_like(search.strip())}%", escape="\\"))
    if tag:
        query = query.where(_has_tag(tag, dialect))
    return query


def _has_tag(tag: str, dialect: str):
    if dialect == "postgresql":
        return type_coerce(PromptLineage.tags, JSONB).contains([tag])
    each = func.json_each(PromptLineage.tags).table_valued("value")
    return exists(select(1).select_from(each).where(each.c.value == tag))


def percents(pairs: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Rollout shares as percentages (the SDKs may store fractions that sum to 1)."""
    total = sum(s for _, s in pairs) or 1
    return [(v, round(s * 100 / total, 2)) for v, s in pairs if s > 0]


def list_prompts(session: Session, actor: Actor, *, search: str = "", tag: str = "", offset: int = 0,
                 limit: int = PAGE_SIZE) -> LibraryPage:
    """One page of the project's prompts by name, with what the list shows for each."""
    require(actor, "prompts:view")
    dialect = session.get_bind().dialect.name
    base = _filtered(actor, search, tag, dialect)
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    lineages = session.exec(base.order_by(PromptLineage.name).offset(max(0, offset)).limit(limit)).all()
    ids = [lin.id for lin in lineages]
    versions = session.exec(select(PromptVersion.id, PromptVersion.lineage_id, PromptVersion.version)
                            .where(PromptVersion.lineage_id.in_(ids))).all()
    latest: dict[str, int] = {}
    for _, lid, number in versions:
        latest[lid] = max(number, latest.get(lid, number))
    shares: dict[str, list[tuple[int, float]]] = {}
    for lid, version, share in session.exec(select(PromptRollout.lineage_id, PromptRollout.version,
                                                   PromptRollout.rollout).where(PromptRollout.lineage_id.in_(ids))
                                            .order_by(PromptRollout.version)).all():
        shares.setdefault(lid, []).append((version, share))
    used = _recent_use(session, actor, {vid: lid for vid, lid, _ in versions})
    people = dict(session.exec(select(Member.id, Member.name).where(
        Member.id.in_({lin.updated_by_id for lin in lineages if lin.updated_by_id}))).all())
    rows = [LibraryRow(lin.id, lin.name, latest.get(lin.id), percents(shares.get(lin.id, [])), list(lin.tags or []),
                       used.get(lin.id, 0), lin.updated_at or lin.created_at,
                       people.get(lin.updated_by_id, "SDK" if not lin.updated_by_id else "former member"),
                       lin.deleted_at is not None) for lin in lineages]
    return LibraryPage(rows, total, project_tags(session, actor))


def _recent_use(session: Session, actor: Actor, lineage_of: dict[str, str]) -> dict[str, int]:
    """Generations in the last 7 days per lineage (whole days from the rollup, the first one's rest
    from the steps: the same count as a scan of the steps)."""
    return prompt_rollups.generations_since(session, actor.project_id, lineage_of, utcnow() - timedelta(days=7))


def project_tags(session: Session, actor: Actor) -> list[str]:
    """Every tag used on the project's prompts, sorted (the tag filter's choices): made distinct
    in the database, so a large library sends a handful of rows rather than every lineage's tags."""
    require(actor, "prompts:view")
    if session.get_bind().dialect.name == "postgresql":
        tags = type_coerce(PromptLineage.tags, JSONB)
        is_list = func.jsonb_typeof(tags) == "array"
        only_lists = case((is_list, tags), else_=type_coerce(literal("[]"), JSONB))  # never expands a non-list
        each = func.jsonb_array_elements_text(only_lists).table_valued("value")  # tags are strings (set_tags)
    else:
        each = func.json_each(PromptLineage.tags).table_valued("value")
        is_list = func.json_type(PromptLineage.tags) == "array"
    found = session.exec(select(each.c.value).select_from(PromptLineage).join(each, true())
                         .where(PromptLineage.project_id == actor.project_id, PromptLineage.tags.is_not(None),
                                is_list).distinct()).all()
    return sorted(found, key=str.lower)


def set_tags(session: Session, actor: Actor, lineage_id: str, *, add: list[str] | None = None,
             remove: list[str] | None = None) -> list[str]:
    """Add and remove tags on a prompt; returns its tags."""
    require(actor, "prompts:write")
    lineage = owned(session, PromptLineage, lineage_id, actor, "Prompt not found.")
    tags = [t for t in (lineage.tags or []) if t not in set(remove or [])]
    for raw in add or []:
        tag = clean_name(raw, "Tag", 64)
        if "," in tag:
            raise Invalid("A tag cannot contain a comma.")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise Invalid(f"A prompt has at most {MAX_TAGS} tags.")
    lineage.tags = tags or None
    touch_lineage(session, actor, lineage)
    session.flush()
    return tags


def set_deprecated(session: Session, actor: Actor, version_id: str, deprecated: bool) -> None:
    """Deprecate (or restore) a version. A version with a rollout share cannot be deprecated:
    move its share to other versions first, so name-only get_prompt always has something to serve."""
    require(actor, "prompts:write")
    version = owned(session, PromptVersion, version_id, actor, "Prompt version not found.")
    lineage = session.get(PromptLineage, version.lineage_id)
    if deprecated:
        share = session.exec(select(PromptRollout.rollout).where(
            PromptRollout.lineage_id == version.lineage_id, PromptRollout.version == version.version)).first()
        if share:
            raise Invalid(f"Version {version.version} is served to {share:g}% of get_prompt calls: give its share "
                          "to other versions in the rollout before deprecating it.")
    version.deprecated = bool(deprecated)
    session.add(version)
    touch_lineage(session, actor, lineage)
    session.flush()


@dataclass(frozen=True)
class Deleted:
    name: str
    versions: int
    generations_unlinked: int


def delete_prompt(session: Session, actor: Actor, lineage_id: str) -> Deleted:
    """Delete a prompt with its versions and rollout for good; generations keep their logged
    messages but no longer link to a version."""
    require(actor, "prompts:write")
    lineage = owned(session, PromptLineage, lineage_id, actor, "Prompt not found.")
    version_ids = select(PromptVersion.id).where(PromptVersion.lineage_id == lineage.id)
    versions = session.exec(select(func.count()).select_from(version_ids.subquery())).one()
    unlinked = session.exec(update(Step).where(Step.project_id == actor.project_id,
                                               Step.prompt_version_id.in_(version_ids))
                            .values(prompt_version_id=None)).rowcount
    session.exec(update(PromptVariant).where(PromptVariant.from_lineage_id == lineage.id)
                 .values(from_lineage_id=None))
    session.exec(delete(PromptRolloutChange).where(PromptRolloutChange.lineage_id == lineage.id))
    session.exec(delete(PromptRollout).where(PromptRollout.lineage_id == lineage.id))
    session.exec(delete(PromptVersion).where(PromptVersion.lineage_id == lineage.id))
    name = lineage.name
    session.delete(lineage)
    session.flush()
    return Deleted(name, versions, unlinked or 0)
