"""The project's tag catalogue (Settings → Tags)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from literal_app.models.tracing import Tag
from literal_app.services.ingestion import known_tags
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned
from literal_app.services.kernel.validation import clean_name


@dataclass(frozen=True)
class TagRead:
    id: str
    name: str


def list_tags(session: Session, actor: Actor) -> list[TagRead]:
    require(actor, "annotations:read")
    rows = session.exec(select(Tag).where(Tag.project_id == actor.project_id).order_by(Tag.name)).all()
    return [TagRead(t.id, t.name) for t in rows]


def add_tag(session: Session, actor: Actor, name: str) -> TagRead:
    require(actor, "project:write")
    name = clean_name(name, "Tag", 100)
    if session.exec(select(Tag).where(Tag.project_id == actor.project_id, Tag.name == name)).first():
        raise Invalid(f"The tag {name!r} already exists.")
    t = Tag(project_id=actor.project_id, name=name)
    session.add(t)
    session.flush()
    return TagRead(t.id, t.name)


def ensure_tags(session: Session, project_id: str, names: list[str]) -> None:
    """Add tags seen on ingested logs to the catalogue (no role check: called by ingestion)."""
    wanted = {n for n in names if n and len(n) <= 100}
    if not wanted:
        return
    have = set(session.exec(select(Tag.name).where(Tag.project_id == project_id, Tag.name.in_(wanted))).all())
    for n in sorted(wanted - have):
        session.add(Tag(project_id=project_id, name=n))


def delete_tag(session: Session, actor: Actor, tag_id: str) -> None:
    require(actor, "project:write")
    t = owned(session, Tag, tag_id, actor, "Tag not found.")
    session.delete(t)
    known_tags.forget(actor.project_id)
