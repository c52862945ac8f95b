"""Each member's playground draft in a project (template, tabs and their settings), saved as
they edit so a reload or another device picks up where they left off."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from literal_app.models.playground import PlaygroundDraft
from literal_app.models.types import utcnow
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid

MAX_DRAFT_BYTES = 2_000_000


def _row(session: Session, actor: Actor) -> PlaygroundDraft | None:
    if not actor.member_id:
        raise Invalid("Playground drafts belong to a signed-in member.")
    return session.exec(select(PlaygroundDraft).where(PlaygroundDraft.project_id == actor.project_id,
                                                      PlaygroundDraft.member_id == actor.member_id)).first()


def load_draft(session: Session, actor: Actor) -> dict[str, Any] | None:
    require(actor, "prompts:read")
    row = _row(session, actor)
    return dict(row.data) if row and row.data else None


def save_draft(session: Session, actor: Actor, data: dict[str, Any]) -> None:
    require(actor, "prompts:read")
    if len(json.dumps(data)) > MAX_DRAFT_BYTES:
        raise Invalid("The draft is too large to keep (over 2 MB): remove large images or long messages.")
    row = _row(session, actor) or PlaygroundDraft(project_id=actor.project_id, member_id=actor.member_id)
    row.data, row.updated_at = data, utcnow()
    session.add(row)
    session.flush()
