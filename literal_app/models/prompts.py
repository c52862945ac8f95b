"""Prompt management: lineages (named prompts), numbered versions, A/B rollouts, variants."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Date, Index, Integer, PrimaryKeyConstraint, Text, UniqueConstraint, false
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


ROLLUP_DIMENSIONS = ("project_id", "lineage_id", "day", "prompt_version_id", "score")
ROLLUP_MEASURES = ("n", "duration_n", "duration_sum", "duration_sq", "cost_n", "cost_sum", "input_n", "input_sum",
                   "output_n", "output_sum", "tokens_n", "tokens_sum", "score_sum", "score_sq")


class _PromptRollupBase(SQLModel):
    """Per prompt version (and its lineage) and UTC day of the generation's ``created_at``: with ``score`` = '' the
    generations (count; for latency, cost and tokens the count of known values, their sum and, for
    latency, the sum of squares behind its confidence interval); with ``score`` = a score name, that
    name's scores on those generations (``n``, ``score_sum``, ``score_sq``)."""

    lineage_id: str = Field(max_length=256)  # the version's: pages read one prompt, or a page of them
    prompt_version_id: str = Field(max_length=256)
    day: date = Field(sa_type=Date)
    score: str = Field(default="", max_length=256)
    n: int = Field(default=0, sa_type=BigInteger)
    duration_n: int = Field(default=0, sa_type=BigInteger)
    duration_sum: float = 0.0
    duration_sq: float = 0.0
    cost_n: int = Field(default=0, sa_type=BigInteger)
    cost_sum: float = 0.0
    input_n: int = Field(default=0, sa_type=BigInteger)
    input_sum: int = Field(default=0, sa_type=BigInteger)
    output_n: int = Field(default=0, sa_type=BigInteger)
    output_sum: int = Field(default=0, sa_type=BigInteger)
    tokens_n: int = Field(default=0, sa_type=BigInteger)
    tokens_sum: int = Field(default=0, sa_type=BigInteger)
    score_sum: float = 0.0
    score_sq: float = 0.0


class PromptRollup(_PromptRollupBase, table=True):
    """The folded per-version daily rollup the prompt page reads (migration 0020: kept exact by
    triggers on ``step`` and ``score``, which append signed rows to ``prompt_rollup_delta``)."""

    __tablename__ = "prompt_rollup"
    __table_args__ = (PrimaryKeyConstraint(*ROLLUP_DIMENSIONS, name="pk_prompt_rollup"),)

    project_id: str = Field(max_length=64)


class PromptRollupDelta(_PromptRollupBase, table=True):
    """Signed contributions of step and score writes not yet folded into ``prompt_rollup``
    (insert-only: concurrent ingestion never waits on a shared row)."""

    __tablename__ = "prompt_rollup_delta"
    __table_args__ = (Index("ix_prompt_rollup_delta_project_lineage", "project_id", "lineage_id"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger().with_variant(Integer, "sqlite"),
                                                           primary_key=True, autoincrement=True))
    project_id: str = Field(max_length=64)
