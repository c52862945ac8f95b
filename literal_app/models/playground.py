"""The Playground's saved drafts: one per member and project, so a reload loses nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from literal_app.models.types import json_column, new_id, time_column, utcnow


class PlaygroundDraft(SQLModel, table=True):
    __tablename__ = "playground_draft"
    __table_args__ = (UniqueConstraint("project_id", "member_id"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    member_id: str = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    data: dict[str, Any] | None = Field(default=None, sa_column=json_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
