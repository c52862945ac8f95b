"""online evals: scorer description and edit time; rule step name, pause reason and edit time;
rule runs carry their score (value, label, reason), judge tokens/cost/step, attempts and an
update time indexed with the status (the sweeper finds stale queued runs by it).

Revision ID: 0009_online_evals
Revises: 0008_annotation_queues
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

import literal_app.models.types

revision = "0009_online_evals"
down_revision = "0008_annotation_queues"
branch_labels = None
depends_on = None

_TIME = literal_app.models.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("scorer", schema=None) as b:
        b.add_column(sa.Column("description", sa.Text(), nullable=True))
        b.add_column(sa.Column("updated_at", _TIME, nullable=True))
    with op.batch_alter_table("online_eval_rule", schema=None) as b:
        b.add_column(sa.Column("step_name", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True))
        b.add_column(sa.Column("paused_reason", sa.Text(), nullable=True))
        b.add_column(sa.Column("updated_at", _TIME, nullable=True))
    with op.batch_alter_table("rule_run", schema=None) as b:
        b.add_column(sa.Column("value", sa.Float(), nullable=True))
        b.add_column(sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True))
        b.add_column(sa.Column("reason", sa.Text(), nullable=True))
        b.add_column(sa.Column("tokens", sa.Integer(), nullable=True))
        b.add_column(sa.Column("cost", sa.Float(), nullable=True))
        b.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        b.add_column(sa.Column("judge_step_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True))
        b.add_column(sa.Column("updated_at", _TIME, nullable=False, server_default=sa.func.current_timestamp()))
        b.create_index("ix_rule_run_status_updated", ["status", "updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rule_run", schema=None) as b:
        b.drop_index("ix_rule_run_status_updated")
        for col in ("updated_at", "judge_step_id", "attempts", "cost", "tokens", "reason", "label", "value"):
            b.drop_column(col)
    with op.batch_alter_table("online_eval_rule", schema=None) as b:
        for col in ("updated_at", "paused_reason", "step_name"):
            b.drop_column(col)
    with op.batch_alter_table("scorer", schema=None) as b:
        b.drop_column("updated_at")
        b.drop_column("description")
