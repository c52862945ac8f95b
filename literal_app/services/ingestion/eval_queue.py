"""Online evaluation's share of the ingest transaction: one backlog row per request.

When the project has active rules (read at most once a second per process), the written step
ids are recorded in one ``eval_backlog`` row, committed with the steps: a single small insert,
so ingestion stays fast, and a queue that cannot be reached loses nothing (the sweeper finds
old backlog rows). The drain job expands the row into rule runs (``evaluation.backlog``).
"""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlmodel import Session

from literal_app.models.evals import EvalBacklog, OnlineEvalRule
from literal_app.models.types import new_id, utcnow
from literal_app.services.ingestion import bulk

RULES_TTL = 1.0
_rules_cache: dict[str, tuple[float, bool]] = {}


def has_active_rules(session: Session, project_id: str) -> bool:
    """Whether the project has an active rule (a new or paused rule applies a second later)."""
    now = time.monotonic()
    cached = _rules_cache.get(project_id)
    if cached and now - cached[0] < RULES_TTL:
        return cached[1]
    found = session.execute(select(OnlineEvalRule.id).where(OnlineEvalRule.project_id == project_id,
                                                            OnlineEvalRule.active).limit(1)).first() is not None
    _rules_cache[project_id] = (now, found)
    return found


def forget(project_id: str) -> None:
    """Drop the cached flag (a rule of the project was created, edited, paused or deleted in this
    process: it applies to the next ingestion here, and within ``RULES_TTL`` in other processes)."""
    _rules_cache.pop(project_id, None)


def record(session: Session, project_id: str, step_ids: list[str]) -> bool:
    """Record the written steps for evaluation; False when the project has no active rule."""
    if not step_ids or not has_active_rules(session, project_id):
        return False
    # the prepared statement of the bulk writer (compiled once per process), not an ORM insert:
    # compiling ``insert()`` on every request was most of what rules added to an ingestion
    bulk.upsert(session, EvalBacklog.__table__, [{"id": new_id(), "project_id": project_id,
                                                  "step_ids": list(dict.fromkeys(step_ids)), "created_at": utcnow()}])
    return True
