"""score step dimensions: each score carries its step's environment, type, model and facets (kept by
triggers), so the dashboard's score cards filter scores without looking up 30k steps.

Revision ID: 0019_score_step_dims
Revises: 0018_dashboard_cover
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from literal_app.services.dashboard import score_sql

revision = "0019_score_step_dims"
down_revision = "0018_dashboard_cover"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for column in (sa.Column("step_environment", sa.String(64), nullable=True),
                   sa.Column("step_type", sa.String(32), nullable=True),
                   sa.Column("step_model", sa.String(200), nullable=True),
                   sa.Column("step_facets", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True)):
        op.add_column("score", column)  # no table copy on SQLite: its triggers stay
    score_sql.backfill(op.execute)
    score_sql.create_triggers(op.execute, dialect)
    _cover(dialect, SCORE + list(score_sql.COLUMNS))


SCORE = ["project_id", "created_at", "name", "type", "value", "label", "step_id", "id"]


def _cover(dialect: str, columns: list[str]) -> None:
    """The score cover of 0018, with the step dimensions under a filter read from the index too."""
    op.drop_index("ix_score_project_created_cover", table_name="score")
    if dialect == "postgresql":
        op.create_index("ix_score_project_created_cover", "score", columns[:2], postgresql_include=columns[2:])
    else:
        op.create_index("ix_score_project_created_cover", "score", columns)


def downgrade() -> None:
    _cover(op.get_bind().dialect.name, SCORE)
    score_sql.drop_triggers(op.execute, op.get_bind().dialect.name)
    for name in ("step_facets", "step_model", "step_type", "step_environment"):
        op.execute(f"ALTER TABLE score DROP COLUMN {name}")
