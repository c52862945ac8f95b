"""Project scoping: the one place a row is loaded by id for a caller.

Every entity of a project is read and written through ``owned``: a row of another project answers
exactly like a row that does not exist (``NotFound``), so ids of other projects leak nothing.
"""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import Session

from literal_app.services.kernel.actor import Actor
from literal_app.services.kernel.errors import NotFound

T = TypeVar("T")


def owned(session: Session, model: type[T], row_id: str | None, actor: Actor, message: str | None = None,
          *, for_update: bool = False) -> T:
    """The ``model`` row with ``row_id`` in the actor's project, or ``NotFound`` with ``message``."""
    row = session.get(model, row_id, with_for_update=for_update) if _usable(row_id) else None
    if row is None or getattr(row, "project_id", None) != actor.project_id:
        raise NotFound(message or f"{_label(model)} not found.")
    return row


def owned_or_none(session: Session, model: type[T], row_id: str | None, actor: Actor) -> T | None:
    """Like ``owned`` for lookups where a missing row is an answer, not an error."""
    row = session.get(model, row_id) if _usable(row_id) else None
    return row if row is not None and getattr(row, "project_id", None) == actor.project_id else None


def _usable(row_id: str | None) -> bool:
    """An id worth looking up: PostgreSQL refuses text with NUL (no stored id has one)."""
    return bool(row_id) and "\x00" not in str(row_id)


def _label(model: type) -> str:
    name = model.__name__
    return "".join(f" {c.lower()}" if c.isupper() and i else c for i, c in enumerate(name))


def refuse_foreign(session: Session, model: type[T], row_id: str | None, actor: Actor,
                   message: str | None = None) -> T | None:
    """For writes that may name a row before it exists (a score on a step still to come): the
    row when it is the actor's, None when there is none yet, ``NotFound`` when another project
    owns it, so nothing is ever attached to another project's data."""
    row = session.get(model, row_id) if row_id else None
    if row is not None and getattr(row, "project_id", None) != actor.project_id:
        raise NotFound(message or f"{_label(model)} not found.")
    return row
