"""eval backlog: the steps of an ingestion waiting to be matched against online rules (one row
per ingest request, expanded into rule runs by the drain job).

Revision ID: 0015_eval_backlog
Revises: 0014_experiment_runs
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import literal_app.models.types

revision = "0015_eval_backlog"
down_revision = "0014_experiment_runs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "eval_backlog",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("project_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("step_ids", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                  nullable=True),
        sa.Column("created_at", literal_app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_eval_backlog_project_id_project"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eval_backlog")),
    )
    with op.batch_alter_table("eval_backlog", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_eval_backlog_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("eval_backlog", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_eval_backlog_project_id"))
    op.drop_table("eval_backlog")
