"""Platform accounts: members, projects, memberships with roles, API keys, sessions, invites."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from literal_app.models.types import new_id, time_column, utcnow


class Role(str, Enum):
    ADMIN = "ADMIN"
    AI_ENGINEER = "AI_ENGINEER"
    DOMAIN_EXPERT = "DOMAIN_EXPERT"

    @property
    def label(self) -> str:
        return {"ADMIN": "Admin", "AI_ENGINEER": "AI Engineer", "DOMAIN_EXPERT": "Domain Expert"}[self.value]


class Member(SQLModel, table=True):
    """A person who signs in to the dashboard (not an end user of the LLM app)."""

    id: str = Field(default_factory=new_id, primary_key=True)
    email: str = Field(max_length=320, unique=True, index=True)
    name: str = Field(max_length=200)
    password_hash: str | None = None
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=time_column())
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))


class Project(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "member_id"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    member_id: str = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=32)  # a Role value
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))


class ApiKey(SQLModel, table=True):
    """A project API key; only its SHA-256 hash and a visible prefix are stored."""

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=32)
    key_hash: str = Field(max_length=64, unique=True, index=True)
    role: str = Field(default="AI_ENGINEER", max_length=32)  # a Role value
    created_by_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    last_used_at: datetime | None = Field(default=None, sa_column=time_column())
    revoked_at: datetime | None = Field(default=None, sa_column=time_column())


class AuthSession(SQLModel, table=True):
    """A browser sign-in; the cookie holds the token, the table its hash."""

    __tablename__ = "auth_session"

    id: str = Field(default_factory=new_id, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    member_id: str = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    expires_at: datetime = Field(sa_column=time_column(nullable=False))


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins for one email from one client (address): after a few, each new attempt
    waits longer. Kept per email and client, and for unknown emails alike, so the lock-out says
    nothing about which accounts exist and nobody elsewhere can lock a member out."""

    __tablename__ = "login_throttle"

    id: str = Field(primary_key=True, max_length=64)  # sha256 of email and client
    email: str = Field(max_length=320, index=True)
    client: str = Field(max_length=100)
    failures: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=time_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False, index=True))


class Invite(SQLModel, table=True):
    """A one-time link for an added member to set a password."""

    id: str = Field(default_factory=new_id, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    member_id: str = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    created_by_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    expires_at: datetime = Field(sa_column=time_column(nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=time_column())
