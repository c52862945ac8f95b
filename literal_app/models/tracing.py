"""What an LLM application logs: participants, threads, steps (with generations), scores,
attachments, and the project's tag catalogue.

Steps and threads keep the client's id (any string up to 256 characters). Parent, root-run and
thread references are not foreign keys on steps: the protocol lets children arrive before parents.
Thread and participant aggregates are maintained by ingestion so list pages never scan steps.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Column, Field, SQLModel

from literal_app.models.types import json_column, new_id, time_column, utcnow

ID_MAX = 256


class StepType(str, Enum):
    RUN = "run"
    TOOL = "tool"
    LLM = "llm"
    EMBEDDING = "embedding"
    RETRIEVAL = "retrieval"
    RERANK = "rerank"
    UNDEFINED = "undefined"
    USER_MESSAGE = "user_message"
    ASSISTANT_MESSAGE = "assistant_message"
    SYSTEM_MESSAGE = "system_message"


class ScoreType(str, Enum):
    HUMAN = "HUMAN"
    AI = "AI"
    CODE = "CODE"


class Participant(SQLModel, table=True):
    """An end user of the customer's LLM application."""

    __table_args__ = (
        UniqueConstraint("project_id", "identifier"),
        Index("ix_participant_project_engaged", "project_id", "last_engaged_at"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=ID_MAX)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    identifier: str = Field(max_length=ID_MAX)
    meta: dict[str, Any] | None = Field(default=None, sa_column=json_column("metadata"))
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    last_engaged_at: datetime | None = Field(default=None, sa_column=time_column())
    thread_count: int = 0
    token_count: int = 0
    cost: float = 0.0


class Thread(SQLModel, table=True):
    __table_args__ = (
        Index("ix_thread_project_created", "project_id", "created_at"),
        Index("ix_thread_project_participant", "project_id", "participant_id", "created_at"),
        Index("ix_thread_project_env", "project_id", "environment", "created_at"),
        Index("ix_thread_project_cost", "project_id", "cost"),  # dashboard: costliest threads
    )

    id: str = Field(primary_key=True, max_length=ID_MAX)
    project_id: str = Field(foreign_key="project.id", ondelete="CASCADE")
    name: str | None = Field(default=None, sa_column=Column(Text))
    meta: dict[str, Any] | None = Field(default=None, sa_column=json_column("metadata"))
    tags: list[str] | None = Field(default=None, sa_column=json_column())
    participant_id: str | None = Field(default=None, foreign_key="participant.id", ondelete="SET NULL")
    environment: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    # Aggregates maintained by ingestion.
    start_time: datetime | None = Field(default=None, sa_column=time_column())
    end_time: datetime | None = Field(default=None, sa_column=time_column())
    step_count: int = 0
    token_count: int = 0
    cost: float = 0.0
    first_input: str | None = Field(default=None, sa_column=Column(Text))
    last_output: str | None = Field(default=None, sa_column=Column(Text))


class Step(SQLModel, table=True):
    """A run, tool call, retrieval, message or LLM generation. Generation fields live here too."""

    __table_args__ = (
        Index("ix_step_project_created", "project_id", "created_at"),
        Index("ix_step_project_type_created", "project_id", "type", "created_at"),
        Index("ix_step_thread_start", "thread_id", "start_time"),
        Index("ix_step_parent", "parent_id"),
        Index("ix_step_root_run", "root_run_id"),
        Index("ix_step_project_name", "project_id", "name"),
        Index("ix_step_project_model", "project_id", "model", "created_at"),
        Index("ix_step_project_type_duration", "project_id", "type", "duration"),  # dashboard: slowest runs
        Index("ix_step_prompt_version_created", "prompt_version_id", "project_id", "created_at"),  # per-version results
    )

    id: str = Field(primary_key=True, max_length=ID_MAX)
    project_id: str = Field(foreign_key="project.id", ondelete="CASCADE")
    thread_id: str | None = Field(default=None, max_length=ID_MAX)
    parent_id: str | None = Field(default=None, max_length=ID_MAX)
    root_run_id: str | None = Field(default=None, max_length=ID_MAX)
    type: str = Field(default=StepType.UNDEFINED.value, max_length=32)
    name: str | None = Field(default=None, sa_column=Column(Text))
    start_time: datetime | None = Field(default=None, sa_column=time_column())
    end_time: datetime | None = Field(default=None, sa_column=time_column())
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    input: Any | None = Field(default=None, sa_column=json_column())
    output: Any | None = Field(default=None, sa_column=json_column())
    meta: dict[str, Any] | None = Field(default=None, sa_column=json_column("metadata"))
    tags: list[str] | None = Field(default=None, sa_column=json_column())
    error: str | None = Field(default=None, sa_column=Column(Text))
    environment: str | None = Field(default=None, max_length=64)
    # Generation: the payload exactly as ingested, plus columns extracted for filters and sums.
    generation: dict[str, Any] | None = Field(default=None, sa_column=json_column())
    generation_type: str | None = Field(default=None, max_length=16)
    provider: str | None = Field(default=None, max_length=200)
    model: str | None = Field(default=None, max_length=200)
    prompt_version_id: str | None = Field(default=None, max_length=ID_MAX, index=True)
    input_token_count: int | None = None
    output_token_count: int | None = None
    token_count: int | None = None
    tt_first_token: float | None = None  # milliseconds
    token_throughput: float | None = None  # tokens per second
    duration: float | None = None  # seconds
    cost: float | None = None  # USD
    # Dashboard filter values that are not rollup columns ("r:<run name>", "t:<tag>"): kept by database
    # triggers (services/dashboard/facet_sql.py), never written by the application.
    facets: list[str] | None = Field(default=None, sa_column=Column(
        JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql"), nullable=True))


class Score(SQLModel, table=True):
    __table_args__ = (
        Index("ix_score_project_created", "project_id", "created_at"),
        Index("ix_score_project_name", "project_id", "name", "created_at"),
        # (project, queue item): alone, the queue-item index lost to (project, created) on SQLite,
        # which then read every score of the project to find one review's
        Index("ix_score_project_queue_item", "project_id", "queue_item_id"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=ID_MAX)
    project_id: str = Field(foreign_key="project.id", ondelete="CASCADE")
    step_id: str | None = Field(default=None, max_length=ID_MAX, index=True)
    experiment_item_id: str | None = Field(default=None, max_length=ID_MAX, index=True)
    name: str = Field(max_length=ID_MAX)
    type: str = Field(default="HUMAN", max_length=16)  # a ScoreType value
    value: float
    label: str | None = Field(default=None, max_length=ID_MAX)
    comment: str | None = Field(default=None, sa_column=Column(Text))
    scorer: str | None = Field(default=None, max_length=ID_MAX)
    tags: list[str] | None = Field(default=None, sa_column=json_column())
    score_schema_id: str | None = Field(default=None, foreign_key="scoreschema.id", ondelete="SET NULL")
    created_by_id: str | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    # the annotation-queue item this score was given in (no foreign key: removing an item or a
    # queue clears the link in the annotation service, and the score stays)
    queue_item_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    # The scored step's dimensions, for the dashboard's filters (NULL: no step in the project); kept
    # by database triggers (services/dashboard/score_sql.py), never written by the application.
    step_environment: str | None = Field(default=None, max_length=64)
    step_type: str | None = Field(default=None, max_length=32)
    step_model: str | None = Field(default=None, max_length=200)
    step_facets: list[str] | None = Field(default=None, sa_column=Column(
        JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql"), nullable=True))


class Attachment(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=ID_MAX)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    thread_id: str | None = Field(default=None, max_length=ID_MAX, index=True)
    step_id: str | None = Field(default=None, max_length=ID_MAX, index=True)
    name: str | None = Field(default=None, sa_column=Column(Text))
    mime: str | None = Field(default=None, max_length=200)
    object_key: str | None = Field(default=None, sa_column=Column(Text))
    url: str | None = Field(default=None, sa_column=Column(Text))  # external URL given by the client
    meta: dict[str, Any] | None = Field(default=None, sa_column=json_column("metadata"))
    size: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))


class Tag(SQLModel, table=True):
    """The project's tag catalogue (Settings → Tags); logs carry tag names in JSON lists."""

    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    project_id: str = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
