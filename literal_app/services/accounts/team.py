"""A project's team: list members, add by email with a role (inviting new people), change
roles, remove. A project always keeps at least one Admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from literal_app.auth.rbac import parse_role
from literal_app.models.auth import Member, Membership, Role
from literal_app.services.accounts import members
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned
from literal_app.services.kernel.validation import clean_email


@dataclass(frozen=True)
class TeamMemberRead:
    membership_id: str
    member_id: str
    email: str
    name: str
    role: str
    pending_invite: bool
    added_at: datetime


def list_team(session: Session, actor: Actor) -> list[TeamMemberRead]:
    require(actor, "project:read")
    rows = session.exec(
        select(Membership, Member).join(Member, Member.id == Membership.member_id)
        .where(Membership.project_id == actor.project_id).order_by(Membership.created_at)
    ).all()
    return [TeamMemberRead(ms.id, m.id, m.email, m.name, ms.role, not m.password_hash, ms.created_at)
            for ms, m in rows]


def add_member(session: Session, actor: Actor, *, email: str, role: str,
               name: str | None = None) -> tuple[TeamMemberRead, str | None]:
    """Add someone by email. Returns the invite token when they had no account yet."""
    require(actor, "project:write")
    email = clean_email(email)
    role = _role(role)
    member = members.find_member_by_email(session, email)
    invite = None
    if member is None:
        created = members.create_member(session, email=email, name=name or email.split("@")[0], password=None)
        member = session.get(Member, created.id)
        invite = members.create_invite(session, member_id=member.id, created_by_id=actor.member_id)
    elif session.exec(select(Membership).where(Membership.project_id == actor.project_id,
                                               Membership.member_id == member.id)).first():
        raise Invalid(f"{email} is already a member of this project.")
    ms = Membership(project_id=actor.project_id, member_id=member.id, role=role)
    session.add(ms)
    session.flush()
    return TeamMemberRead(ms.id, member.id, member.email, member.name, role,
                          not member.password_hash, ms.created_at), invite


def new_invite(session: Session, actor: Actor, membership_id: str) -> str:
    """A fresh invite link for a member who has not set a password yet."""
    require(actor, "project:write")
    ms = _membership(session, actor, membership_id)
    return members.create_invite(session, member_id=ms.member_id, created_by_id=actor.member_id)


def change_role(session: Session, actor: Actor, membership_id: str, role: str) -> None:
    require(actor, "project:write")
    ms = _membership(session, actor, membership_id)
    role = _role(role)
    if ms.role == Role.ADMIN.value and role != Role.ADMIN.value:
        _keep_an_admin(session, actor.project_id)
    ms.role = role
    session.add(ms)


def remove_member(session: Session, actor: Actor, membership_id: str) -> None:
    require(actor, "project:write")
    ms = _membership(session, actor, membership_id)
    if ms.role == Role.ADMIN.value:
        _keep_an_admin(session, actor.project_id)
    session.delete(ms)


def _role(role: str) -> str:
    try:
        return parse_role(role)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc


def _membership(session: Session, actor: Actor, membership_id: str) -> Membership:
    ms = owned(session, Membership, membership_id, actor, "Team member not found.")
    return ms


def _keep_an_admin(session: Session, project_id: str) -> None:
    admins = session.exec(select(func.count()).select_from(Membership).where(
        Membership.project_id == project_id, Membership.role == Role.ADMIN.value)).one()
    if admins <= 1:
        raise Invalid("A project needs at least one Admin: make someone else Admin first.")
