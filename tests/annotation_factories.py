"""Factories for annotation-queue tests: a project with reviewers, logs and score schemas."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.actor import Actor
from tests.factories import make_actor
from tests.log_factories import make_conversation


@dataclass
class QueueWorld:
    admin: Actor
    expert: Actor
    expert2: Actor
    thread_ids: list[str]
    quality: str  # categorical schema id (good=1, bad=0)
    relevance: str  # continuous schema id, 0..1


def make_world(session: Session, conversations: int = 3) -> QueueWorld:
    admin = make_actor(session, "ADMIN")
    expert = make_actor(session, "DOMAIN_EXPERT", project_id=admin.project_id)
    expert2 = make_actor(session, "DOMAIN_EXPERT", project_id=admin.project_id)
    threads = [make_conversation(session, admin.project_id).id for _ in range(conversations)]
    quality = score_schemas.create_score_schema(session, admin, name="quality", type="categorical", categories=[
        {"label": "good", "value": 1}, {"label": "bad", "value": 0}]).id
    relevance = score_schemas.create_score_schema(session, admin, name="relevance", type="continuous",
                                                  min_value=0, max_value=1).id
    return QueueWorld(admin, expert, expert2, threads, quality, relevance)
