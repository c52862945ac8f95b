"""Annotation queues: lists of logs for domain experts to review and score."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from literal_app.models.types import new_id, time_column, utcnow


class AnnotationQueue(SQLModel, table=True):
    __tablename__ = "annotation_queue"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=256)
    description: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))


class QueueItem(SQLModel, table=True):
    __tablename__ = "queue_item"
    __table_args__ = (Index("ix_queue_item_queue_status", "queue_id", "status", "created_at"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    queue_id: str = Field(foreign_key="annotation_queue.id", ondelete="CASCADE")
    step_id: str | None = Field(default=None, max_length=256)
    thread_id: str | None = Field(default=None, max_length=256)
    status: str = Field(default="pending", max_length=16)  # pending | reviewed
    reviewer_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    reviewed_at: datetime | None = Field(default=None, sa_column=time_column())
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
