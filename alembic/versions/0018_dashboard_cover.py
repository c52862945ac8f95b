"""dashboard covering indexes: the cards that read threads (users, threads per day) and scores (under
a filter, each score's step) read indexes only, instead of the wide rows (1M steps: on SQLite the
thread and score cards took 0.3-1 s reading rows, a step's environment sits behind its JSON input
and output).

PostgreSQL already covers threads (0003); it gets the score and step covers with INCLUDE (SQLite's
planner keeps looking a step up by its primary key, so it gets no step cover).
Names end in ``_cover`` (created here, not from the models; see alembic/env.py).

Revision ID: 0018_dashboard_cover
Revises: 0017_dashboard_facets
"""
from alembic import op

revision = "0018_dashboard_cover"
down_revision = "0017_dashboard_facets"
branch_labels = None
depends_on = None

SCORE = ["project_id", "created_at", "name", "type", "value", "label", "step_id", "id"]
STEP = ["id", "project_id", "environment", "type", "model", "facets"]
THREAD = ["project_id", "created_at", "environment", "participant_id", "cost", "token_count", "tags"]
THREAD_ENV = ["project_id", "environment", "created_at", "participant_id", "cost", "token_count", "tags"]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_score_project_created_cover", "score", SCORE[:2], postgresql_include=SCORE[2:])
        op.create_index("ix_step_id_dims_cover", "step", STEP[:1], postgresql_include=STEP[1:])
        return
    op.create_index("ix_score_project_created_cover", "score", SCORE)  # (SQLite keeps looking steps up by id)
    op.create_index("ix_thread_project_created_cover", "thread", THREAD)
    op.create_index("ix_thread_project_env_cover", "thread", THREAD_ENV)
    op.execute("PRAGMA analysis_limit = 2000")  # statistics from a sample: fast at any size
    for table in ("score", "thread"):
        op.execute(f"ANALYZE {table}")  # else the planner prefers the narrower old indexes


def downgrade() -> None:
    op.drop_index("ix_score_project_created_cover", table_name="score")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_step_id_dims_cover", table_name="step")
    else:
        op.drop_index("ix_thread_project_env_cover", table_name="thread")
        op.drop_index("ix_thread_project_created_cover", table_name="thread")
