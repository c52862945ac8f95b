"""logs sort indexes: PostgreSQL indexes for sorting the Logs tables by numeric columns, and
expression indexes on lower(name) whose statistics let the planner estimate name filters (without
them a substring filter is guessed as rare and the planner sorts the whole table).

The sort expressions (``coalesce(col, -1)``, ties broken by id) must stay identical to
``literal_app/services/logs/log_fields.py``. Names end in ``_pg`` so ``alembic check`` skips them.

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_step_lower_name_pg": "step (project_id, lower(name))",
    "ix_thread_lower_name_pg": "thread (project_id, lower(name))",
    "ix_thread_cost_pg": "thread (project_id, cost, id)",
    "ix_thread_tokens_pg": "thread (project_id, token_count, id)",
    "ix_thread_steps_pg": "thread (project_id, step_count, id)",
    "ix_step_type_cost_pg": "step (project_id, type, coalesce(cost, -1), id)",
    "ix_step_type_duration_pg": "step (project_id, type, coalesce(duration, -1), id)",
    "ix_step_type_tokens_pg": "step (project_id, type, coalesce(token_count, -1), id)",
    "ix_step_llm_ttft_pg": "step (project_id, type, coalesce(tt_first_token, -1), id) WHERE type = 'llm'",
    "ix_step_llm_throughput_pg": "step (project_id, type, coalesce(token_throughput, -1), id) WHERE type = 'llm'",
    "ix_step_tokens_pg": "step (project_id, coalesce(token_count, -1), id)",
    "ix_step_duration_pg": "step (project_id, coalesce(duration, -1), id)",
    "ix_step_cost_pg": "step (project_id, coalesce(cost, -1), id)",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, definition in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
