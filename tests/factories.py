"""Factories for test data: members, projects and actors with a given role."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from literal_app.models.auth import Membership
from literal_app.services.accounts import members, projects
from literal_app.services.kernel.actor import Actor


def make_member(session: Session, *, email: str | None = None, name: str = "Ada",
                password: str = "correct-horse") -> members.MemberRead:
    email = email or f"{uuid.uuid4().hex[:8]}@example.com"
    return members.create_member(session, email=email, name=name, password=password)


def make_project(session: Session, *, name: str = "Project", owner: members.MemberRead | None = None):
    owner = owner or make_member(session)
    return projects.create_project(session, name=name, owner_id=owner.id), owner


def make_actor(session: Session, role: str = "ADMIN", project_id: str | None = None) -> Actor:
    """A member with ``role`` in a (new or given) project, as the Actor services expect."""
    if project_id is None:
        project, owner = make_project(session)
        project_id = project.id
        if role == "ADMIN":
            return Actor(project_id=project_id, role=role, member_id=owner.id)
    m = make_member(session)
    session.add(Membership(project_id=project_id, member_id=m.id, role=role))
    session.flush()
    return Actor(project_id=project_id, role=role, member_id=m.id)
