"""Projects and the member's view of them: create (with the default cost rules and the Default
annotation queue), list, rename, and the Actor a member acts as inside a project."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from literal_app.models.auth import Member, Membership, Project, Role
from literal_app.services.annotation import queues
from literal_app.services.costs import model_costs
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Forbidden, NotFound
from literal_app.services.kernel.validation import clean_name


@dataclass(frozen=True)
class ProjectRead:
    id: str
    name: str
    created_at: datetime
    role: str | None = None


def create_project(session: Session, *, name: str, owner_id: str) -> ProjectRead:
    """Any signed-in member may create a project; they become its Admin."""
    if not session.get(Member, owner_id):
        raise NotFound("Owner not found.")
    project = Project(name=clean_name(name, "Project name"))
    session.add(project)
    session.flush()
    session.add(Membership(project_id=project.id, member_id=owner_id, role=Role.ADMIN.value))
    session.flush()
    model_costs.install_default_rules(session, project.id)
    queues.ensure_default_queue(session, project.id)
    return ProjectRead(project.id, project.name, project.created_at, Role.ADMIN.value)


def projects_of_member(session: Session, member_id: str) -> list[ProjectRead]:
    rows = session.exec(
        select(Project, Membership.role).join(Membership, Membership.project_id == Project.id)
        .where(Membership.member_id == member_id).order_by(Project.created_at)
    ).all()
    return [ProjectRead(p.id, p.name, p.created_at, role) for p, role in rows]


def find_project(session: Session, name_or_id: str) -> ProjectRead | None:
    """A project by id, or else the oldest one with that name (for the operator CLI)."""
    p = session.get(Project, name_or_id) or session.exec(
        select(Project).where(Project.name == name_or_id).order_by(Project.created_at)).first()
    return ProjectRead(p.id, p.name, p.created_at) if p else None


def actor_for_member(session: Session, *, member_id: str, project_id: str) -> Actor:
    """The member's role in the project, or Forbidden when they are not part of it."""
    ms = session.exec(select(Membership).where(
        Membership.member_id == member_id, Membership.project_id == project_id)).first()
    if not ms:
        raise Forbidden("You are not a member of this project.")
    return Actor(project_id=project_id, role=ms.role, member_id=member_id)


def get_project(session: Session, actor: Actor) -> ProjectRead:
    require(actor, "project:read")
    p = session.get(Project, actor.project_id)
    if not p:
        raise NotFound("Project not found.")
    return ProjectRead(p.id, p.name, p.created_at, actor.role)


def rename_project(session: Session, actor: Actor, *, name: str) -> ProjectRead:
    require(actor, "project:write")
    p = session.get(Project, actor.project_id)
    p.name = clean_name(name, "Project name")
    session.add(p)
    return ProjectRead(p.id, p.name, p.created_at, actor.role)
