"""Project settings stored as rows: LLM provider credentials and model cost rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from literal_app.models.types import json_column, new_id, time_column, utcnow


class LlmCredential(SQLModel, table=True):
    """A provider API key, encrypted at rest (Fernet with the server's secret key)."""

    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    provider: str = Field(max_length=64)
    name: str = Field(max_length=256)
    encrypted_key: str | None = Field(default=None, sa_column=Column(Text))
    key_hint: str | None = Field(default=None, max_length=8)  # last 4 characters, the only part shown
    base_url: str | None = Field(default=None, sa_column=Column(Text))
    models: list[str] | None = Field(default=None, sa_column=json_column())
    extra: dict[str, Any] | None = Field(default=None, sa_column=json_column())
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    updated_at: datetime | None = Field(default=None, sa_column=time_column())


class ModelCost(SQLModel, table=True):
    """Price rule: model names matching ``pattern`` cost these USD per million tokens."""

    __tablename__ = "model_cost"

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    pattern: str = Field(max_length=256)
    input_per_million: float = 0.0
    output_per_million: float = 0.0
    valid_from: datetime | None = Field(default=None, sa_column=time_column())
    valid_to: datetime | None = Field(default=None, sa_column=time_column())
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))


class CostRepricing(SQLModel, table=True):
    """A background re-pricing of the generations some cost rules match; the UI polls its progress."""

    __tablename__ = "cost_repricing"

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    patterns: list[str] | None = Field(default=None, sa_column=json_column())
    status: str = Field(default="queued", max_length=16)  # queued | running | done | failed
    total: int = 0
    done: int = 0
    changed: int = 0
    cursor: dict[str, Any] | None = Field(default=None, sa_column=json_column())
    error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=time_column())
