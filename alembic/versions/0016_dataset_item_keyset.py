"""Dataset items are listed and exported in (created_at, id) keyset pages: the index covers id.

Revision ID: 0016_dataset_item_keyset
Revises: 0015_eval_backlog
"""
from alembic import op

revision = "0016_dataset_item_keyset"
down_revision = "0015_eval_backlog"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dataset_item", schema=None) as batch_op:
        batch_op.drop_index("ix_dataset_item_dataset_created")
        batch_op.create_index("ix_dataset_item_dataset_created", ["dataset_id", "created_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dataset_item", schema=None) as batch_op:
        batch_op.drop_index("ix_dataset_item_dataset_created")
        batch_op.create_index("ix_dataset_item_dataset_created", ["dataset_id", "created_at"], unique=False)
