"""Annotation queues: lists of logs for domain experts to review and score.

A queue item points at a step (run, generation, any step) or a thread. ``pending_key`` holds
``s:<step id>`` / ``t:<thread id>`` while the item is pending and NULL once reviewed: the unique
(queue, pending_key) pair is what makes adding the same log twice a no-op, on both databases
(NULLs never collide), while a reviewed log can be queued again. ``claimed_by_id`` and
``claim_expires_at`` are the short lease that keeps two reviewers off the same pending item.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from literal_app.models.types import new_id, time_column, utcnow


class AnnotationQueue(SQLModel, table=True):
    __tablename__ = "annotation_queue"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=256)
    description: str | None = Field(default=None, sa_column=Column(Text))
    is_default: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    created_by_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))


class QueueItem(SQLModel, table=True):
    __tablename__ = "queue_item"
    __table_args__ = (
        Index("ix_queue_item_queue_status", "queue_id", "status", "created_at"),
        Index("ix_queue_item_queue_assignee", "queue_id", "status", "assignee_id", "created_at"),
        Index("ix_queue_item_queue_reviewed", "queue_id", "status", "reviewed_at"),
        Index("ix_queue_item_claimed_by", "claimed_by_id"),  # a reviewer's claims, released on "next"
        UniqueConstraint("queue_id", "pending_key"),
    )

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    queue_id: str = Field(foreign_key="annotation_queue.id", ondelete="CASCADE")
    step_id: str | None = Field(default=None, max_length=256)
    thread_id: str | None = Field(default=None, max_length=256)
    status: str = Field(default="pending", max_length=16)  # pending | reviewed
    pending_key: str | None = Field(default=None, max_length=260)
    added_by_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    assignee_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    claimed_by_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    claim_expires_at: datetime | None = Field(default=None, sa_column=time_column())
    reviewer_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    reviewed_at: datetime | None = Field(default=None, sa_column=time_column())
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
