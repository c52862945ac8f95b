"""Annotating logs from the UI: tags on threads and steps (human scores are in ``scores.py``).
Domain Experts may annotate (``annotations:write``) but not change the logs themselves; deleting
logs is in ``log_admin.py`` and needs ``observability:write``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from literal_app.models.tracing import Step, Thread
from literal_app.models.types import utcnow
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid, NotFound
from literal_app.services.kernel.validation import clean_name
from literal_app.services.logs.tags import ensure_tags

KINDS = {"thread": Thread, "step": Step}
MAX_BULK = 1000


def _targets(session: Session, actor: Actor, kind: str, ids: list[str]) -> list[Any]:
    model = KINDS.get(kind)
    if model is None:
        raise Invalid("Tags apply to threads or steps.")
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise Invalid("Select at least one row.")
    if len(ids) > MAX_BULK:
        raise Invalid(f"At most {MAX_BULK} rows at once.")
    rows = session.execute(select(model).where(model.project_id == actor.project_id, model.id.in_(ids))).scalars().all()
    if not rows:
        raise NotFound(f"{kind.capitalize()} not found.")
    return rows


def _clean_tags(tags: list[str]) -> list[str]:
    return list(dict.fromkeys(clean_name(t, "Tag", 100) for t in tags))


def change_tags(session: Session, actor: Actor, kind: str, ids: list[str], *, add: list[str] | None = None,
                remove: list[str] | None = None) -> dict[str, list[str]]:
    """Add and/or remove tags on one or many threads or steps; returns each target's new tags."""
    require(actor, "annotations:write")
    add, remove = _clean_tags(add or []), set(remove or [])
    out: dict[str, list[str]] = {}
    for row in _targets(session, actor, kind, ids):
        current = [t for t in (row.tags or []) if t not in remove]
        row.tags = current + [t for t in add if t not in current] or None
        if kind == "thread":
            row.updated_at = utcnow()
        session.add(row)
        out[row.id] = list(row.tags or [])
    ensure_tags(session, actor.project_id, add)
    session.flush()
    return out
