"""Prompt management: lineages (named prompts), numbered versions, A/B rollouts, variants."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Column, Index, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from literal_app.models.types import json_column, new_id, time_column, utcnow


class PromptLineage(SQLModel, table=True):
    __tablename__ = "prompt_lineage"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=256)
    description: str | None = Field(default=None, sa_column=Column(Text))
    tags: list[str] | None = Field(default=None, sa_column=json_column())
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    deleted_at: datetime | None = Field(default=None, sa_column=time_column())
    # The last change (new version, rollout, tags, deprecation) and who made it: the prompts list.
    updated_at: datetime | None = Field(default=None, sa_column=time_column())
    updated_by_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")


class PromptVersion(SQLModel, table=True):
    """An immutable version; ``settings`` carries the provider as ``settings.provider``."""

    __tablename__ = "prompt_version"
    __table_args__ = (UniqueConstraint("lineage_id", "version"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    lineage_id: str = Field(foreign_key="prompt_lineage.id", index=True, ondelete="CASCADE")
    version: int
    type: str = Field(default="CHAT", max_length=16)
    template_messages: list[Any] | None = Field(default=None, sa_column=json_column())
    template: str | None = Field(default=None, sa_column=Column(Text))  # COMPLETION prompts
    settings: dict[str, Any] | None = Field(default=None, sa_column=json_column())
    tools: list[Any] | None = Field(default=None, sa_column=json_column())
    variables: list[Any] | None = Field(default=None, sa_column=json_column())
    variables_default_values: dict[str, Any] | None = Field(default=None, sa_column=json_column())
    changelog: str | None = Field(default=None, sa_column=Column(Text))
    label: str | None = Field(default=None, max_length=256)
    status: str | None = Field(default=None, max_length=64)
    tags: list[str] | None = Field(default=None, sa_column=json_column())
    # A deprecated version is never served by name alone and holds no rollout share.
    deprecated: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    created_by_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))


class PromptRollout(SQLModel, table=True):
    """One row per version taking part in the lineage's A/B rollout; percentages sum to 100."""

    __tablename__ = "prompt_rollout"
    __table_args__ = (UniqueConstraint("lineage_id", "version"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    lineage_id: str = Field(foreign_key="prompt_lineage.id", index=True, ondelete="CASCADE")
    version: int
    rollout: float


class PromptRolloutChange(SQLModel, table=True):
    """One saved change of a lineage's rollout: who, when, the split before and after."""

    __tablename__ = "prompt_rollout_change"
    __table_args__ = (Index("ix_prompt_rollout_change_lineage_at", "lineage_id", "changed_at"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    lineage_id: str = Field(foreign_key="prompt_lineage.id", ondelete="CASCADE")
    changed_by_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    changed_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    before: list[Any] | None = Field(default=None, sa_column=json_column())  # [{version, rollout}]
    after: list[Any] | None = Field(default=None, sa_column=json_column())


class PromptVariant(SQLModel, table=True):
    """An unsaved prompt configuration used by experiments (the protocol's PromptExperiment)."""

    __tablename__ = "prompt_variant"

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    from_lineage_id: str | None = Field(default=None, foreign_key="prompt_lineage.id", ondelete="SET NULL")
    from_version: int | None = None
    score_template_id: str | None = Field(default=None, max_length=256)
    template_messages: list[Any] | None = Field(default=None, sa_column=json_column())
    settings: dict[str, Any] | None = Field(default=None, sa_column=json_column())
    tools: list[Any] | None = Field(default=None, sa_column=json_column())
    variables: list[Any] | None = Field(default=None, sa_column=json_column())
    created_by_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
