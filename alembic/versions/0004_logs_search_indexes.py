"""logs search indexes: PostgreSQL indexes behind the Logs pages' filters: full-text search (GIN
over tsvector), metadata key = value (GIN jsonb_path_ops, queried with @>), and "has an error"
(a partial index: errors are rare, so scanning for them in time order would read everything).

The expressions must stay identical to ``literal_app/services/logs/log_fields.py`` (``ts_document``)
so the planner can use them. SQLite (embedded mode, small data) searches by substring instead.
Names end in ``_gin``/``_pg`` so ``alembic check`` (which skips them) stays clean on both dialects.

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_step_search_gin": "step USING gin (to_tsvector('simple'::regconfig, "
                          "coalesce(CAST(input AS TEXT), '') || ' ' || coalesce(CAST(output AS TEXT), '')))",
    "ix_thread_search_gin": "thread USING gin (to_tsvector('simple'::regconfig, coalesce(name, '') || ' ' || "
                            "coalesce(first_input, '') || ' ' || coalesce(last_output, '')))",
    "ix_step_metadata_gin": "step USING gin (metadata jsonb_path_ops)",
    "ix_thread_metadata_gin": "thread USING gin (metadata jsonb_path_ops)",
    "ix_step_project_error_pg": "step (project_id, created_at) WHERE error IS NOT NULL",
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
