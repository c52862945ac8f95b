"""dashboard facets: step.facets (root run name, step and thread tags) and step_facet_rollup(+_delta),
kept exact by triggers, so the run-name and single-tag dashboard filters read rollups.

Existing steps get their facets and the facet rollup is filled before the triggers are created
(``services/dashboard/facet_sql.py`` holds the SQL, shared with ``bench/seed.py``).

Revision ID: 0017_dashboard_facets
Revises: 0016_dataset_item_keyset
"""
from alembic import op
import sqlalchemy as sa

from literal_app.models.types import JSONVariant
from literal_app.services.dashboard import facet_sql

revision = "0017_dashboard_facets"
down_revision = "0016_dataset_item_keyset"
branch_labels = None
depends_on = None


def _dimensions() -> list:
    return [sa.Column("project_id", sa.String(64), nullable=False), sa.Column("facet", sa.String(256), nullable=False),
            sa.Column("day", sa.Date(), nullable=False),
            sa.Column("environment", sa.String(64), nullable=False), sa.Column("type", sa.String(32), nullable=False),
            sa.Column("name", sa.String(200), nullable=False), sa.Column("model", sa.String(200), nullable=False),
            sa.Column("prompt_version_id", sa.String(256), nullable=False)]


def _measures() -> list:
    return [sa.Column("steps", sa.BigInteger(), nullable=False), sa.Column("errors", sa.BigInteger(), nullable=False),
            sa.Column("input_tokens", sa.BigInteger(), nullable=False),
            sa.Column("output_tokens", sa.BigInteger(), nullable=False),
            sa.Column("cost", sa.Float(), nullable=False), sa.Column("duration", sa.Float(), nullable=False),
            sa.Column("changes", sa.BigInteger(), nullable=False)]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("step", sa.Column("facets", JSONVariant, nullable=True))  # no table copy: triggers stay
    op.create_table("step_facet_rollup", *_dimensions(), *_measures(),
                    sa.PrimaryKeyConstraint("project_id", "facet", "day", "environment", "type", "name", "model",
                                            "prompt_version_id", name="pk_step_facet_rollup"))
    op.create_table("step_facet_rollup_delta",
                    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True,
                              nullable=False),
                    *_dimensions(), *_measures(), sa.PrimaryKeyConstraint("id", name="pk_step_facet_rollup_delta"))
    op.create_index("ix_step_facet_rollup_delta_project_facet_day", "step_facet_rollup_delta",
                    ["project_id", "facet", "day"])
    if dialect == "postgresql":  # the backfill calls step_facets(); the triggers come after it
        op.execute(facet_sql.PG_FUNCTIONS[0])
    facet_sql.backfill(op.execute, dialect)
    facet_sql.create_triggers(op.execute, dialect)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    facet_sql.drop_triggers(op.execute, dialect)
    op.drop_index("ix_step_facet_rollup_delta_project_facet_day", table_name="step_facet_rollup_delta")
    op.drop_table("step_facet_rollup_delta")
    op.drop_table("step_facet_rollup")
    op.execute("ALTER TABLE step DROP COLUMN facets")  # native on both (a batch copy would drop triggers)
