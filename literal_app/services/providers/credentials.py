"""LLM credentials of a project: create, edit, delete, list. The secret is Fernet-encrypted at
rest; reads return only its last four characters (``key_hint``). ``resolve`` hands the decrypted
secret to the calling service only (never to the UI or the API).

Admin and AI Engineer read and write them (``secrets:*``); a Domain Expert sees none."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from literal_app.models.settings import LlmCredential
from literal_app.models.types import utcnow
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid, NotFound
from literal_app.services.kernel.scoping import owned
from literal_app.services.kernel.validation import clean_name
from literal_app.services.providers import crypto
from literal_app.services.providers.catalog import PROVIDERS, provider_label
from literal_app.services.providers.endpoints import clean_base_url, clean_models, clean_region, parse_azure_endpoint


@dataclass(frozen=True)
class CredentialRead:
    """What the UI may see of a credential (never the secret)."""

    id: str
    provider: str
    provider_label: str
    name: str
    key_hint: str
    has_key: bool
    base_url: str
    custom_models: list[str]
    models: list[str]  # the provider's current models, then the custom ones
    extra: dict[str, Any]
    created_at: datetime
    updated_at: datetime | None


@dataclass(frozen=True)
class ResolvedCredential:
    """A credential with its decrypted secret, for the adapters only."""

    id: str
    provider: str
    name: str
    api_key: str
    base_url: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class CredentialInput:
    """The form: ``api_key`` None keeps the stored secret on edit; Bedrock's secret access key goes
    in ``api_key``; ``endpoint`` is Azure's pasted URL."""

    provider: str
    name: str
    api_key: str | None = None
    base_url: str | None = None
    models: list[str] | str | None = None
    endpoint: str | None = None
    deployment: str | None = None
    api_version: str | None = None
    region: str | None = None
    access_key_id: str | None = None


def _read(c: LlmCredential) -> CredentialRead:
    info = PROVIDERS.get(c.provider)
    custom = list(c.models or [])
    defaults = list(info.models) if info else []
    return CredentialRead(c.id, c.provider, provider_label(c.provider), c.name, c.key_hint or "",
                          bool(c.encrypted_key), c.base_url or "", custom,
                          defaults + [m for m in custom if m not in defaults], dict(c.extra or {}),
                          c.created_at, c.updated_at)


def _connection(data: CredentialInput) -> tuple[str | None, dict[str, Any], list[str]]:
    """(base_url, extra, custom models) checked for the provider."""
    models = clean_models(data.models)
    if data.provider == "azure_openai":
        base, deployment, version = parse_azure_endpoint(data.endpoint or data.base_url, data.deployment,
                                                         data.api_version)
        return base, {"deployment": deployment, "api_version": version}, models or [deployment]
    if data.provider == "bedrock":
        access = (data.access_key_id or "").strip()
        if not access:
            raise Invalid("Amazon Bedrock needs an access key id.")
        base = clean_base_url(data.base_url) if (data.base_url or "").strip() else None
        return base, {"region": clean_region(data.region), "access_key_id": access}, models
    if data.provider == "custom":
        if not models:
            raise Invalid("List at least one model name the custom provider serves.")
        return clean_base_url(data.base_url), {}, models
    base = clean_base_url(data.base_url) if (data.base_url or "").strip() else None
    return base, {}, models


def _check_unique(session: Session, actor: Actor, name: str, own_id: str | None) -> None:
    found = session.exec(select(LlmCredential.id).where(LlmCredential.project_id == actor.project_id,
                                                        LlmCredential.name == name)).first()
    if found and found != own_id:
        raise Invalid(f"A credential named {name!r} already exists: choose another name.")


def _set_key(row: LlmCredential, api_key: str | None, required: bool) -> None:
    key = (api_key or "").strip()
    if key:
        if len(key) > 4000:
            raise Invalid("The API key is too long.")
        row.encrypted_key, row.key_hint = crypto.encrypt(key), crypto.hint(key)
    elif required and not row.encrypted_key:
        raise Invalid(f"{provider_label(row.provider)} needs an API key.")


def list_credentials(session: Session, actor: Actor) -> list[CredentialRead]:
    require(actor, "secrets:read")
    rows = session.exec(select(LlmCredential).where(LlmCredential.project_id == actor.project_id)
                        .order_by(LlmCredential.name)).all()
    return [_read(c) for c in rows]


def get_credential(session: Session, actor: Actor, credential_id: str) -> CredentialRead:
    require(actor, "secrets:read")
    return _read(owned(session, LlmCredential, credential_id, actor, "LLM credential not found."))


def create_credential(session: Session, actor: Actor, data: CredentialInput) -> CredentialRead:
    require(actor, "secrets:write")
    if data.provider not in PROVIDERS:
        raise Invalid(f"Unknown provider {data.provider!r}: choose one of {', '.join(PROVIDERS)}.")
    name = clean_name(data.name, "Credential name", 256)
    _check_unique(session, actor, name, None)
    base, extra, models = _connection(data)
    row = LlmCredential(project_id=actor.project_id, provider=data.provider, name=name, base_url=base,
                        extra=extra, models=models)
    _set_key(row, data.api_key, PROVIDERS[data.provider].needs_key)
    session.add(row)
    session.flush()
    return _read(row)


def update_credential(session: Session, actor: Actor, credential_id: str, data: CredentialInput) -> CredentialRead:
    """Edit name, connection and models; a blank ``api_key`` keeps the stored one. The provider of
    a credential is fixed (make a new credential to switch)."""
    require(actor, "secrets:write")
    row = owned(session, LlmCredential, credential_id, actor, "LLM credential not found.")
    data.provider = row.provider
    name = clean_name(data.name, "Credential name", 256)
    _check_unique(session, actor, name, row.id)
    row.base_url, row.extra, row.models = _connection(data)
    row.name = name
    _set_key(row, data.api_key, PROVIDERS[row.provider].needs_key)
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return _read(row)


def delete_credential(session: Session, actor: Actor, credential_id: str) -> None:
    require(actor, "secrets:write")
    session.delete(owned(session, LlmCredential, credential_id, actor, "LLM credential not found."))
    session.flush()


def resolve(session: Session, caller: Actor | str, credential_id: str | None) -> ResolvedCredential:
    """The credential with its secret, for a call. ``caller`` is a member/API-key ``Actor`` (needs
    ``secrets:read``) or a project id for trusted background jobs (experiments, online evals)."""
    if isinstance(caller, Actor):
        require(caller, "secrets:read")
        project_id = caller.project_id
    else:
        project_id = caller
    row = session.get(LlmCredential, credential_id) if credential_id else None
    if row is None or row.project_id != project_id:
        raise NotFound("No such LLM credential in this project: add one in Settings → LLM providers.")
    info = PROVIDERS.get(row.provider)
    key = crypto.decrypt(row.encrypted_key) if row.encrypted_key else ""
    return ResolvedCredential(row.id, row.provider, row.name, key, row.base_url or (info.base_url if info else ""),
                              dict(row.extra or {}))


def reencrypt_all(session: Session, old_secret: str, new_secret: str) -> tuple[int, int]:
    """Re-encrypt every stored secret from ``old_secret`` to ``new_secret`` (operator CLI, after
    rotating ``LITERAL_SECRET_KEY``). Returns (re-encrypted, skipped: not readable with the old
    secret, e.g. already rotated)."""
    old, new = crypto.fernet_for(old_secret), crypto.fernet_for(new_secret)
    done = skipped = 0
    for row in session.exec(select(LlmCredential).where(LlmCredential.encrypted_key.is_not(None))).all():
        token = crypto.reencrypt(row.encrypted_key, old, new)
        if token is None:
            skipped += 1
            continue
        row.encrypted_key = token
        session.add(row)
        done += 1
    session.flush()
    return done, skipped
