"""login throttle: failed sign-ins per email and client address (issue 17), so the lock-out is
the same for unknown emails and cannot be triggered for a member from elsewhere.

Revision ID: 0012_login_throttle
Revises: 0011_score_queue_item_index
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

import literal_app.models.types

revision = "0012_login_throttle"
down_revision = "0011_score_queue_item_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", literal_app.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", literal_app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_throttle_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_throttle_updated_at"), ["updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttle_updated_at"))
        batch_op.drop_index(batch_op.f("ix_login_throttle_email"))
    op.drop_table("login_throttle")
