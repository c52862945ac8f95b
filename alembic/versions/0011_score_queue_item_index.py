"""score: the queue-item index leads with the project, (project_id, queue_item_id).

With the single-column index SQLite preferred (project_id, created_at) for "the scores of this
queue item in this project" and read every score of the project.

Revision ID: 0011_score_queue_item_index
Revises: 0010_prompt_library
"""
from alembic import op

revision = "0011_score_queue_item_index"
down_revision = "0010_prompt_library"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_score_queue_item_id", table_name="score")
    op.create_index("ix_score_project_queue_item", "score", ["project_id", "queue_item_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_score_project_queue_item", table_name="score")
    op.create_index("ix_score_queue_item_id", "score", ["queue_item_id"], unique=False)
