"""A time budget per GraphQL request (``LITERAL_GRAPHQL_TIMEOUT`` seconds, default 30).

graphql-core runs resolvers one after another in the request's worker thread, which cannot be
interrupted from outside; instead every field resolution first checks the clock, so a request
past its budget stops resolving (its remaining fields answer an error) and frees the thread. On
PostgreSQL a statement timeout bounds a single slow query the same way.
"""

from __future__ import annotations

import time
from typing import Any

from graphql import GraphQLError
from sqlmodel import Session

from literal_app.config import get_settings
from literal_app.db import limit_statement_time


class Deadline:
    """The moment a request must have finished; as graphql-core middleware it enforces it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def resolve(self, next_resolve, obj: Any, info, **args: Any) -> Any:
        """graphql-core middleware (an object with ``resolve``): check the clock, then resolve."""
        if time.monotonic() > self.at:
            raise GraphQLError(f"The request took longer than {self.seconds:g} s and was stopped: "
                               "ask for fewer or smaller pages.", extensions={"code": "TIMEOUT"})
        return next_resolve(obj, info, **args)


def start(session: Session) -> Deadline:
    """Start the request's clock (and bound each PostgreSQL statement of its transaction)."""
    seconds = get_settings().graphql_timeout
    limit_statement_time(session, seconds)
    return Deadline(seconds)
