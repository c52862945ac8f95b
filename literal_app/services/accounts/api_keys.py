"""Project API keys: created with a name and role, shown once, stored as a SHA-256 hash with a
visible prefix, listed, revoked, and resolved into an Actor for each API request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import Session, select

from literal_app.auth.rbac import ROLE_SCOPES, role_label
from literal_app.auth.secrets import new_token, token_hash
from literal_app.models.auth import ApiKey, Member
from literal_app.models.types import utcnow
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Forbidden, Invalid, NotFound, Unauthorized
from literal_app.services.kernel.limits import API_KEY_LAST_USED_RESOLUTION
from literal_app.services.kernel.validation import clean_name

PREFIX_LEN = 10
_RANK = {"ADMIN": 0, "AI_ENGINEER": 1, "DOMAIN_EXPERT": 2}  # each role's rights include the next's
LAST_USED_RESOLUTION = API_KEY_LAST_USED_RESOLUTION  # avoid a write on every request


@dataclass(frozen=True)
class ApiKeyRead:
    id: str
    name: str
    prefix: str
    role: str
    created_by: str | None
    created_at: datetime
    last_used_at: datetime | None


def create_api_key(session: Session, actor: Actor | None, *, project_id: str, name: str = "default",
                   role: str = "AI_ENGINEER") -> tuple[ApiKeyRead, str]:
    """Create a key and return it with its plaintext (the only time it is available).

    ``actor=None`` is the operator CLI, which is trusted.
    """
    if actor is not None:
        require(actor, "secrets:write")
        if actor.project_id != project_id:
            raise NotFound("Project not found.")
    if role not in ROLE_SCOPES:
        raise Invalid(f"Unknown role {role!r}.")
    name = clean_name(name, "Key name", 100)
    if actor is not None:
        _check_new_key(session, actor, name, role)
    key = new_token("lsk_")
    row = ApiKey(project_id=project_id, name=name, prefix=key[:PREFIX_LEN],
                 key_hash=token_hash(key), role=role, created_by_id=actor.member_id if actor else None)
    session.add(row)
    session.flush()
    return _read(row, None), key


def _check_new_key(session: Session, actor: Actor, name: str, role: str) -> None:
    """A key may not get rights its creator lacks, and live keys of a project have distinct names."""
    if _RANK.get(role, 99) < _RANK.get(actor.role, 99):
        raise Forbidden(f"Your role ({role_label(actor.role)}) cannot create keys with the "
                        f"{role_label(role)} role.")
    if session.exec(select(ApiKey.id).where(ApiKey.project_id == actor.project_id, ApiKey.name == name,
                                            ApiKey.revoked_at.is_(None))).first():
        raise Invalid(f"A key named {name!r} already exists: choose another name.")


def _read(k: ApiKey, creator: str | None) -> ApiKeyRead:
    return ApiKeyRead(k.id, k.name, k.prefix, k.role, creator, k.created_at, k.last_used_at)


def list_api_keys(session: Session, actor: Actor) -> list[ApiKeyRead]:
    require(actor, "secrets:read")
    rows = session.exec(
        select(ApiKey, Member.name).join(Member, Member.id == ApiKey.created_by_id, isouter=True)
        .where(ApiKey.project_id == actor.project_id, ApiKey.revoked_at.is_(None))
        .order_by(ApiKey.created_at.desc())
    ).all()
    return [_read(k, creator) for k, creator in rows]


def revoke_api_key(session: Session, actor: Actor, key_id: str) -> None:
    require(actor, "secrets:write")
    k = session.get(ApiKey, key_id)
    if not k or k.project_id != actor.project_id or k.revoked_at:
        raise NotFound("API key not found.")
    k.revoked_at = utcnow()
    session.add(k)


_BY_HASH = select(ApiKey).where(ApiKey.key_hash == bindparam("key_hash"))  # built once: runs on every API call


def actor_for_api_key(session: Session, key: str | None, environment: str | None = None) -> Actor:
    """Resolve an ``x-api-key`` header into an Actor; Unauthorized when missing or revoked."""
    if not key:
        raise Unauthorized("Missing API key: send it in the x-api-key header.")
    k = session.execute(_BY_HASH, {"key_hash": token_hash(key)}).scalars().first()
    if not k or k.revoked_at:
        raise Unauthorized("Invalid or revoked API key.")
    now = utcnow()
    if not k.last_used_at or now - k.last_used_at > LAST_USED_RESOLUTION:
        k.last_used_at = now
        session.add(k)
    return Actor(project_id=k.project_id, role=k.role, api_key_id=k.id, environment=environment)
