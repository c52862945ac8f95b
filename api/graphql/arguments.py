"""Argument hygiene for every GraphQL field: what the databases cannot hold never reaches a query.

PostgreSQL refuses the NUL character in text, and no database can store a lone UTF-16 surrogate;
either one in a lookup (``participant(identifier: "\\u0000")``) made the statement fail with an
internal error. As ingestion does for stored text, NULs become U+FFFD ("stored safely", so a
lookup simply finds nothing) and a lone surrogate is refused with a readable error for its field.
"""

from __future__ import annotations

from typing import Any

from literal_app.services.kernel.limits import strip_nul


class CleanArguments:
    """graphql-core middleware (an object with ``resolve``)."""

    def resolve(self, next_resolve, obj: Any, info, **args: Any) -> Any:
        if args:
            args = strip_nul(args)  # raises Invalid on a lone surrogate
        return next_resolve(obj, info, **args)
