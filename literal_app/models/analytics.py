"""Daily rollups of steps for the dashboard, kept exact by database triggers.

Every insert, update or delete of a step appends its signed contribution to ``step_rollup_delta``
(insert-only, so concurrent ingestion never waits on a shared counter row); a compaction folds the
deltas into ``step_rollup``. Readers sum both tables, so the figures are exact at any moment. The
triggers live in migration 0003 (PL/pgSQL on PostgreSQL, SQL triggers on SQLite); NULL dimensions
are stored as '' so they can be part of the key.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, BigInteger, Column, Date, Index, Integer, PrimaryKeyConstraint
from sqlmodel import Field, SQLModel

ROLLUP_DIMENSIONS = ("project_id", "day", "environment", "type", "name", "model", "prompt_version_id")
ROLLUP_MEASURES = ("steps", "errors", "input_tokens", "output_tokens", "cost", "duration", "changes")
NAME_MAX = 200


class _RollupBase(SQLModel):
    environment: str = Field(default="", max_length=64)
    type: str = Field(default="", max_length=32)
    name: str = Field(default="", max_length=NAME_MAX)
    model: str = Field(default="", max_length=200)
    prompt_version_id: str = Field(default="", max_length=256)
    steps: int = Field(default=0, sa_type=BigInteger)
    errors: int = Field(default=0, sa_type=BigInteger)
    input_tokens: int = Field(default=0, sa_type=BigInteger)
    output_tokens: int = Field(default=0, sa_type=BigInteger)
    cost: float = 0.0
    duration: float = 0.0
    # Number of step writes that touched this key: only grows, so a cached figure computed from the
    # steps of a day (latency percentiles) is still valid exactly while this sum is unchanged.
    changes: int = Field(default=0, sa_type=BigInteger)


class StepRollup(_RollupBase, table=True):
    """Per project, UTC day (of ``created_at``) and dimensions: step counts and sums."""

    __tablename__ = "step_rollup"
    __table_args__ = (PrimaryKeyConstraint(*ROLLUP_DIMENSIONS, name="pk_step_rollup"),)

    project_id: str = Field(max_length=64)
    day: date = Field(sa_type=Date)


class StepRollupDelta(_RollupBase, table=True):
    """Signed contributions of step changes not yet folded into ``step_rollup``."""

    __tablename__ = "step_rollup_delta"
    __table_args__ = (Index("ix_step_rollup_delta_project_day", "project_id", "day"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger().with_variant(Integer, "sqlite"),
                                                           primary_key=True, autoincrement=True))
    project_id: str = Field(max_length=64)
    day: date = Field(sa_type=Date)


FACET_DIMENSIONS = ("project_id", "facet", "day", "environment", "type", "name", "model", "prompt_version_id")


class StepFacetRollup(_RollupBase, table=True):
    """``step_rollup`` per facet of the steps (``Step.facets``: the root run's name, each tag of the
    step or its thread): what the run-name and single-tag dashboard filters read. Kept exact by the
    triggers of migration 0017 (``services/dashboard/facet_sql.py``)."""

    __tablename__ = "step_facet_rollup"
    __table_args__ = (PrimaryKeyConstraint(*FACET_DIMENSIONS, name="pk_step_facet_rollup"),)

    project_id: str = Field(max_length=64)
    facet: str = Field(max_length=256)
    day: date = Field(sa_type=Date)


class StepFacetRollupDelta(_RollupBase, table=True):
    """Signed contributions not yet folded into ``step_facet_rollup``."""

    __tablename__ = "step_facet_rollup_delta"
    __table_args__ = (Index("ix_step_facet_rollup_delta_project_facet_day", "project_id", "facet", "day"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger().with_variant(Integer, "sqlite"),
                                                           primary_key=True, autoincrement=True))
    project_id: str = Field(max_length=64)
    facet: str = Field(max_length=256)
    day: date = Field(sa_type=Date)


class LatencyCache(SQLModel, table=True):
    """Latency percentiles of one UTC day under one filter, valid while ``revision`` (the sum of the
    rollup ``changes`` of that day's generations under the filter) is unchanged."""

    __tablename__ = "latency_cache"
    __table_args__ = (PrimaryKeyConstraint("project_id", "filter_key", "day", name="pk_latency_cache"),)

    project_id: str = Field(max_length=64)
    filter_key: str = Field(max_length=64)
    day: date = Field(sa_type=Date)
    revision: int = Field(default=0, sa_type=BigInteger)
    stats: dict | None = Field(default=None, sa_type=JSON)
