"""Evaluation configuration: score schemas, scorers, online eval rules and their runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from literal_app.models.types import json_column, new_id, time_column, utcnow


class ScoreSchema(SQLModel, table=True):
    """Categorical (categories: [{label, value, description}]) or continuous (min, max)."""

    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=256)
    description: str | None = Field(default=None, sa_column=Column(Text))
    type: str = Field(default="categorical", max_length=32)
    categories: list[Any] | None = Field(default=None, sa_column=json_column())
    min_value: float | None = None
    max_value: float | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))


class Scorer(SQLModel, table=True):
    """How a score is produced: an LLM-as-a-judge prompt, a built-in metric, or code."""

    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=256)
    kind: str = Field(default="llm_judge", max_length=32)  # llm_judge | code | embedding
    description: str | None = Field(default=None, sa_column=Column(Text))
    config: dict[str, Any] | None = Field(default=None, sa_column=json_column())
    score_schema_id: str | None = Field(default=None, foreign_key="scoreschema.id", ondelete="SET NULL")
    credential_id: str | None = Field(default=None, foreign_key="llmcredential.id", ondelete="SET NULL")
    model: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    updated_at: datetime | None = Field(default=None, sa_column=time_column())


class OnlineEvalRule(SQLModel, table=True):
    __tablename__ = "online_eval_rule"

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=256)
    log_type: str = Field(default="run", max_length=32)  # run | generation
    step_name: str | None = Field(default=None, max_length=256)
    sample_rate: float = 1.0
    filters: list[Any] | None = Field(default=None, sa_column=json_column())
    environment: str | None = Field(default=None, max_length=64)
    scorer_id: str = Field(foreign_key="scorer.id", index=True, ondelete="CASCADE")
    active: bool = True
    paused_reason: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    updated_at: datetime | None = Field(default=None, sa_column=time_column())


class RuleRun(SQLModel, table=True):
    __tablename__ = "rule_run"
    __table_args__ = (
        UniqueConstraint("rule_id", "step_id"),
        Index("ix_rule_run_project_created", "project_id", "created_at"),
        Index("ix_rule_run_status_updated", "status", "updated_at"),
    )

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", ondelete="CASCADE")
    rule_id: str = Field(foreign_key="online_eval_rule.id", index=True, ondelete="CASCADE")
    step_id: str = Field(max_length=256)
    status: str = Field(default="queued", max_length=32)  # queued | running | done | failed | skipped
    score_id: str | None = Field(default=None, max_length=256)
    value: float | None = None
    label: str | None = Field(default=None, max_length=256)
    reason: str | None = Field(default=None, sa_column=Column(Text))
    tokens: int | None = None
    cost: float | None = None
    attempts: int = 0
    judge_step_id: str | None = Field(default=None, max_length=256)
    error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=time_column())


class EvalBacklog(SQLModel, table=True):
    """Steps an ingestion wrote while the project had active rules, waiting to be matched against
    them: one row per ingest request (one cheap insert), expanded into RuleRuns by the drain job."""

    __tablename__ = "eval_backlog"

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    step_ids: list[str] | None = Field(default=None, sa_column=json_column())
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
