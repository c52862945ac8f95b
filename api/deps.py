"""Request dependencies: a database session per request and the calling Actor from x-api-key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header
from sqlmodel import Session

from literal_app.db import session_scope
from literal_app.services.accounts.api_keys import actor_for_api_key
from literal_app.services.kernel.actor import Actor


def get_session() -> Iterator[Session]:
    with session_scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def resolve_actor(session: Session, api_key: str | None, x_env: str | None) -> Actor:
    """Shared by REST and GraphQL: the key's project and role, and the request environment."""
    actor = actor_for_api_key(session, api_key, environment=(x_env or None))
    if session.dirty:
        session.commit()  # persist last_used_at even when the request later fails
    return actor


def current_actor(session: SessionDep, x_api_key: Annotated[str | None, Header()] = None,
                  x_env: Annotated[str | None, Header()] = None) -> Actor:
    return resolve_actor(session, x_api_key, x_env)


CurrentActor = Annotated[Actor, Depends(current_actor)]
