"""prompt step index: the (prompt version, created at) index of steps also holds the project, so the
prompts list's 7-day counts and the prompt page's generations per day read the index alone.

Revision ID: 0013_prompt_step_index
Revises: 0012_login_throttle
"""
from alembic import op

revision = "0013_prompt_step_index"
down_revision = "0012_login_throttle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_step_prompt_version_created", table_name="step")
    op.create_index("ix_step_prompt_version_created", "step", ["prompt_version_id", "project_id", "created_at"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_step_prompt_version_created", table_name="step")
    op.create_index("ix_step_prompt_version_created", "step", ["prompt_version_id", "created_at"], unique=False)
