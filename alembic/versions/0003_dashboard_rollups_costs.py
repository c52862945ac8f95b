"""dashboard rollups and cost re-pricing: step_rollup(+_delta) kept exact by triggers, cost_repricing.

Every step insert/update/delete appends its signed contribution to step_rollup_delta: statement-
level triggers with transition tables on PostgreSQL (one row per key per statement, so bulk
ingestion stays cheap), row-level triggers on SQLite. Existing steps are folded into step_rollup
here, and projects without cost rules get the default price table.

Revision ID: 0003
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

import literal_app.models.types

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

DIMS = "project_id, day, environment, type, name, model, prompt_version_id"
MEASURES = "steps, errors, input_tokens, output_tokens, cost, duration, changes"


def _key(row: str, day: str) -> str:
    return (f"{row}.project_id, {day}, coalesce({row}.environment, ''), {row}.type, "
            f"substr(coalesce({row}.name, ''), 1, 200), coalesce({row}.model, ''), "
            f"coalesce({row}.prompt_version_id, '')")


_TRACKED = ("created_at", "environment", "type", "name", "model", "prompt_version_id", "error",
            "input_token_count", "output_token_count", "cost", "duration", "tt_first_token", "token_throughput")
_CHANGED = "(" + ", ".join(f"o2.{c}" for c in _TRACKED) + ") IS DISTINCT FROM (" + \
    ", ".join(f"n2.{c}" for c in _TRACKED) + ")"


def _pg_sums(row: str, sign: str) -> str:
    return (f"{sign}count(*), {sign}count({row}.error), {sign}sum(coalesce({row}.input_token_count, 0)), "
            f"{sign}sum(coalesce({row}.output_token_count, 0)), {sign}sum(coalesce({row}.cost, 0)), "
            f"{sign}sum(coalesce({row}.duration, 0)), count(*)")


def _pg_day(row: str) -> str:
    return f"({row}.created_at AT TIME ZONE 'UTC')::date"


PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION step_rollup_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO step_rollup_delta ({DIMS}, {MEASURES})
    SELECT {_key('n', _pg_day('n'))}, {_pg_sums('n', '')} FROM new_rows n GROUP BY 1, 2, 3, 4, 5, 6, 7;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO step_rollup_delta ({DIMS}, {MEASURES})
    SELECT {_key('o', _pg_day('o'))}, {_pg_sums('o', '-')} FROM old_rows o GROUP BY 1, 2, 3, 4, 5, 6, 7;
  ELSE
    INSERT INTO step_rollup_delta ({DIMS}, {MEASURES})
    SELECT {DIMS}, sum(steps), sum(errors), sum(input_tokens), sum(output_tokens), sum(cost), sum(duration),
           sum(changes)
    FROM (
      SELECT {_key('n', _pg_day('n'))}, {_pg_sums('n', '')} FROM new_rows n
        WHERE n.id IN (SELECT n2.id FROM new_rows n2 JOIN old_rows o2 ON o2.id = n2.id WHERE {_CHANGED})
        GROUP BY 1, 2, 3, 4, 5, 6, 7
      UNION ALL
      SELECT {_key('o', _pg_day('o'))}, {_pg_sums('o', '-')} FROM old_rows o
        WHERE o.id IN (SELECT n2.id FROM new_rows n2 JOIN old_rows o2 ON o2.id = n2.id WHERE {_CHANGED})
        GROUP BY 1, 2, 3, 4, 5, 6, 7
    ) AS c ({DIMS}, {MEASURES})
    GROUP BY {DIMS};
  END IF;
  RETURN NULL;
END $$;
"""

PG_TRIGGERS = [
    "CREATE TRIGGER step_rollup_ins AFTER INSERT ON step REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION step_rollup_capture()",
    "CREATE TRIGGER step_rollup_upd AFTER UPDATE ON step REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION step_rollup_capture()",
    "CREATE TRIGGER step_rollup_del AFTER DELETE ON step REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION step_rollup_capture()",
]



def _sqlite_values(row: str, sign: str) -> str:
    return (f"{_key(row, f'date({row}.created_at)')}, {sign}1, {sign}({row}.error IS NOT NULL), "
            f"{sign}coalesce({row}.input_token_count, 0), {sign}coalesce({row}.output_token_count, 0), "
            f"{sign}coalesce({row}.cost, 0), {sign}coalesce({row}.duration, 0), 1")


def _sqlite_insert(row: str, sign: str) -> str:
    return f"INSERT INTO step_rollup_delta ({DIMS}, {MEASURES}) VALUES ({_sqlite_values(row, sign)});"


SQLITE_TRIGGERS = [
    f"CREATE TRIGGER step_rollup_ins AFTER INSERT ON step BEGIN {_sqlite_insert('NEW', '')} END",
    f"CREATE TRIGGER step_rollup_del AFTER DELETE ON step BEGIN {_sqlite_insert('OLD', '-')} END",
    f"CREATE TRIGGER step_rollup_upd AFTER UPDATE ON step WHEN "
    + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _TRACKED)
    + f" BEGIN {_sqlite_insert('OLD', '-')} {_sqlite_insert('NEW', '')} END",
]


def _measure_columns() -> list:
    return [sa.Column("steps", sa.BigInteger(), nullable=False), sa.Column("errors", sa.BigInteger(), nullable=False),
            sa.Column("input_tokens", sa.BigInteger(), nullable=False),
            sa.Column("output_tokens", sa.BigInteger(), nullable=False),
            sa.Column("cost", sa.Float(), nullable=False), sa.Column("duration", sa.Float(), nullable=False),
            sa.Column("changes", sa.BigInteger(), nullable=False)]


def _dimension_columns() -> list:
    return [sa.Column("project_id", sa.String(64), nullable=False), sa.Column("day", sa.Date(), nullable=False),
            sa.Column("environment", sa.String(64), nullable=False), sa.Column("type", sa.String(32), nullable=False),
            sa.Column("name", sa.String(200), nullable=False), sa.Column("model", sa.String(200), nullable=False),
            sa.Column("prompt_version_id", sa.String(256), nullable=False)]


def _backfill(dialect: str) -> None:
    day = "(s.created_at AT TIME ZONE 'UTC')::date" if dialect == "postgresql" else "date(s.created_at)"
    errors = "count(s.error)"
    op.execute(
        f"INSERT INTO step_rollup ({DIMS}, {MEASURES}) SELECT {_key('s', day)}, count(*), {errors}, "
        "sum(coalesce(s.input_token_count, 0)), sum(coalesce(s.output_token_count, 0)), "
        "sum(coalesce(s.cost, 0)), sum(coalesce(s.duration, 0)), count(*) FROM step s GROUP BY 1, 2, 3, 4, 5, 6, 7")


def _default_costs() -> None:
    from literal_app.services.costs.default_costs import DEFAULT_COSTS

    conn = op.get_bind()
    projects = [r[0] for r in conn.execute(sa.text(
        "SELECT id FROM project WHERE NOT EXISTS (SELECT 1 FROM model_cost m WHERE m.project_id = project.id)"))]
    if not projects:
        return
    import uuid
    from datetime import datetime, timezone
    now = datetime.now(timezone.utc).replace(tzinfo=None) if conn.dialect.name == "sqlite" else datetime.now(timezone.utc)
    conn.execute(sa.text(
        "INSERT INTO model_cost (id, project_id, pattern, input_per_million, output_per_million, created_at) "
        "VALUES (:id, :p, :pattern, :i, :o, :now)"),
        [{"id": str(uuid.uuid4()), "p": p, "pattern": pat, "i": i, "o": o, "now": now}
         for p in projects for _, pat, i, o in DEFAULT_COSTS])


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table("step_rollup", *_dimension_columns(), *_measure_columns(),
                    sa.PrimaryKeyConstraint("project_id", "day", "environment", "type", "name", "model",
                                            "prompt_version_id", name="pk_step_rollup"))
    op.create_table("step_rollup_delta",
                    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True,
                              nullable=False),
                    *_dimension_columns(), *_measure_columns(),
                    sa.PrimaryKeyConstraint("id", name="pk_step_rollup_delta"))
    op.create_index("ix_step_rollup_delta_project_day", "step_rollup_delta", ["project_id", "day"])
    op.create_table(
        "cost_repricing",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("project_id", sa.String(), nullable=False),
        sa.Column("patterns", sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", literal_app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", literal_app.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name="fk_cost_repricing_project_id_project",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_cost_repricing"),
    )
    op.create_index("ix_cost_repricing_project_id", "cost_repricing", ["project_id"])
    op.create_table(
        "latency_cache",
        sa.Column("project_id", sa.String(64), nullable=False),
        sa.Column("filter_key", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("project_id", "filter_key", "day", name="pk_latency_cache"),
    )
    op.create_index("ix_step_project_type_duration", "step", ["project_id", "type", "duration"])
    op.create_index("ix_thread_project_cost", "thread", ["project_id", "cost"])
    if dialect == "postgresql":  # index-only scans for the per-user and per-day thread cards
        op.create_index("ix_thread_project_created_cover", "thread", ["project_id", "created_at"],
                        postgresql_include=["participant_id", "cost", "token_count", "environment"])
    _backfill(dialect)
    if dialect == "postgresql":
        op.execute(PG_FUNCTION)
        for ddl in PG_TRIGGERS:
            op.execute(ddl)
    else:
        for ddl in SQLITE_TRIGGERS:
            op.execute(ddl)
    _default_costs()


def downgrade() -> None:
    for name in ("step_rollup_ins", "step_rollup_upd", "step_rollup_del"):
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON step" if op.get_bind().dialect.name == "postgresql"
                   else f"DROP TRIGGER IF EXISTS {name}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS step_rollup_capture()")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_thread_project_created_cover", table_name="thread")
    op.drop_index("ix_thread_project_cost", table_name="thread")
    op.drop_index("ix_step_project_type_duration", table_name="step")
    op.drop_table("latency_cache")
    op.drop_index("ix_cost_repricing_project_id", table_name="cost_repricing")
    op.drop_table("cost_repricing")
    op.drop_index("ix_step_rollup_delta_project_day", table_name="step_rollup_delta")
    op.drop_table("step_rollup_delta")
    op.drop_table("step_rollup")
