"""What every resolver receives in ``info.context``: the request's database session and Actor.

Resolvers stay thin: ``session, actor = ctx(info)`` and one call into ``literal_app.services``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLResolveInfo
from sqlmodel import Session

from literal_app.services.kernel.actor import Actor


@dataclass
class GraphQLContext:
    session: Session
    actor: Actor
    # Per-request scratch space, e.g. the ingestion results of every ``ingestStep`` alias.
    cache: dict[str, Any] = field(default_factory=dict)


def ctx(info: GraphQLResolveInfo) -> tuple[Session, Actor]:
    """The session and Actor of the request being resolved."""
    c: GraphQLContext = info.context
    return c.session, c.actor
