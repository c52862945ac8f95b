"""logs filter plans: two small PostgreSQL indexes and a statistics target for filters of the Logs
tables that read far too many rows at 1M steps (see bench/queries.py and services/logs/log_plans.py).

- ``ix_step_thread_error_pg``: a partial index of the failed steps by thread, for the Threads
  "error: yes/no" filter (for each thread in time order: did one of its steps fail?). Through
  ``ix_step_thread_start`` each probe read every step of the thread (thousands in long threads);
  here a probe is one lookup in a tiny index (errors are rare: 136 kB at 1M steps, 0.4% failed).
  Insert cost: steps without an error only pay the predicate check; a failed step one small
  b-tree insert.
- ``ix_score_name_value_pg``: scores by (project, name, value) with the step id, so "steps whose
  relevance >= 0.9" lists the matching scores with an index-only range scan (1 ms instead of a
  23 ms scan of the project's scores) before the page looks its steps up by id. It is on ``score``,
  not ``step``: one more b-tree insert per score (scores are a few % of the rows ingested).
- The statistics target of ``lower(thread.name)`` (the expression of ``ix_thread_lower_name_pg``)
  goes to 1000: with the default histogram (100 entries) a substring filter matching under 1% of
  the threads is guessed at 0.01%, so the planner sorted the whole table (125 ms) instead of
  walking it in time order (10 ms). No insert cost; ANALYZE of ``thread`` samples more rows
  (2.8 s -> 11 s at 100k threads, in autovacuum's background).

Names end in ``_pg`` so ``alembic check`` skips them (see alembic/env.py).

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_step_thread_error_pg": "step (thread_id) WHERE error IS NOT NULL",
    "ix_score_name_value_pg": "score (project_id, name, value) INCLUDE (step_id)",
}
NAME_STATISTICS = "ALTER INDEX ix_thread_lower_name_pg ALTER COLUMN 2 SET STATISTICS {}"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, definition in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    op.execute(NAME_STATISTICS.format(1000))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(NAME_STATISTICS.format(-1))
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
