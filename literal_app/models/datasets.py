"""Datasets of test cases and the experiments run over them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from literal_app.models.types import json_column, new_id, time_column, utcnow


class Dataset(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=256)
    description: str | None = Field(default=None, sa_column=Column(Text))
    meta: dict[str, Any] | None = Field(default=None, sa_column=json_column("metadata"))
    type: str = Field(default="key_value", max_length=32)  # key_value | generation
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))


class DatasetItem(SQLModel, table=True):
    __tablename__ = "dataset_item"
    # (dataset, created, id): items are listed and exported in this order, by keyset pages
    __table_args__ = (Index("ix_dataset_item_dataset_created", "dataset_id", "created_at", "id"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    dataset_id: str = Field(foreign_key="dataset.id", ondelete="CASCADE")
    input: Any | None = Field(default=None, sa_column=json_column())
    expected_output: Any | None = Field(default=None, sa_column=json_column())
    meta: dict[str, Any] | None = Field(default=None, sa_column=json_column("metadata"))
    intermediary_steps: list[Any] | None = Field(default=None, sa_column=json_column())
    step_id: str | None = Field(default=None, max_length=256, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))


class Experiment(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    dataset_id: str | None = Field(default=None, foreign_key="dataset.id", index=True, ondelete="CASCADE")
    prompt_variant_id: str | None = Field(default=None, foreign_key="prompt_variant.id", ondelete="SET NULL")
    name: str = Field(max_length=256)
    params: Any | None = Field(default=None, sa_column=json_column())
    # queued | running | completed | cancelled | failed (SDK-logged experiments stay "completed")
    status: str = Field(default="completed", max_length=32)
    progress: float = 0.0
    created_by_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    # Server-run experiments: what to run (prompt, model, mapping, scorers, concurrency), kept so a
    # re-run repeats it exactly; None for experiments logged by the SDKs.
    run_config: dict[str, Any] | None = Field(default=None, sa_column=json_column())
    prompt_version_id: str | None = Field(default=None, max_length=256)
    model: str | None = Field(default=None, max_length=200)
    source: str = Field(default="sdk", max_length=16)  # sdk | server
    started_at: datetime | None = Field(default=None, sa_column=time_column())
    finished_at: datetime | None = Field(default=None, sa_column=time_column())


class ExperimentItem(SQLModel, table=True):
    __tablename__ = "experiment_item"
    __table_args__ = (Index("ix_experiment_item_experiment_status", "experiment_id", "status", "position"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    experiment_id: str = Field(foreign_key="experiment.id", index=True, ondelete="CASCADE")
    dataset_item_id: str | None = Field(default=None, max_length=256, index=True)
    input: Any | None = Field(default=None, sa_column=json_column())
    output: Any | None = Field(default=None, sa_column=json_column())
    run_step_id: str | None = Field(default=None, max_length=256)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    # Server-run items: pending -> queued -> running -> done | failed | cancelled. ``attempt`` fences
    # a stale worker (only the holder of the current attempt may finish the item) and ``lease_until``
    # lets the watchdog hand a queued/running item whose worker died to another worker.
    status: str = Field(default="done", max_length=16)
    position: int = 0
    attempt: int = 0
    lease_until: datetime | None = Field(default=None, sa_column=time_column())
    error: str | None = Field(default=None, sa_column=Column(Text))
    expected_output: Any | None = Field(default=None, sa_column=json_column())
    latency_ms: float | None = None
    cost: float | None = None
