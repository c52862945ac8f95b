"""First-run setup: the first admin account, the first project and its first API key."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from literal_app.models.auth import Role
from literal_app.services.accounts import api_keys, members, projects
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.validation import clean_name


@dataclass(frozen=True)
class SetupResult:
    member: members.MemberRead
    project: projects.ProjectRead
    api_key: str


def complete_setup(session: Session, *, email: str, name: str, password: str, project_name: str) -> SetupResult:
    """Only allowed while no account exists, so a public setup page cannot be replayed."""
    if not members.setup_needed(session):
        raise Invalid("Setup is already done: sign in instead.")
    clean_name(project_name, "Project name")  # validate everything before writing anything
    member = members.create_member(session, email=email, name=name, password=password)
    project = projects.create_project(session, name=project_name, owner_id=member.id)
    _, key = api_keys.create_api_key(session, None, project_id=project.id, name="default",
                                     role=Role.ADMIN.value)
    return SetupResult(member, project, key)
