"""Per-version daily prompt rollup: prompt_rollup(+_delta) kept exact by triggers on step and score.

The prompt page compares versions on generations, latency (mean and 95% interval: count, sum and
sum of squares), cost, tokens and each score's mean and interval. Every write of a step that has
(or had) a prompt version, and of a score on such a step, appends its signed contribution to
prompt_rollup_delta: statement-level triggers with transition tables on PostgreSQL, row-level
triggers on SQLite (the pattern of migration 0003). A score counts under its step's version and
day, so a step whose version or day changes moves its scores, and a step written after its scores
brings them in. Existing steps and scores are folded into prompt_rollup here.

Revision ID: 0020_prompt_rollups
Revises: 0019_score_step_dims
"""
from alembic import op
import sqlalchemy as sa

revision = "0020_prompt_rollups"
down_revision = "0019_score_step_dims"
branch_labels = None
depends_on = None

DIMS = "project_id, lineage_id, prompt_version_id, day, score"
MEASURES = ("n, duration_n, duration_sum, duration_sq, cost_n, cost_sum, input_n, input_sum, output_n, output_sum, "
            "tokens_n, tokens_sum, score_sum, score_sq")
_GEN_TRACKED = ("prompt_version_id", "created_at", "duration", "cost", "input_token_count", "output_token_count",
                "token_count")
_SCORE_TRACKED = ("step_id", "name", "value")


def _pg_day(row: str) -> str:
    return f"({row}.created_at AT TIME ZONE 'UTC')::date"


def _pg_gen(row: str, sign: str, rows: str, where: str = "") -> str:
    """Generation figures of the steps in ``rows`` (aliased ``row``) that have a version."""
    s = sign
    sums = ", ".join(f"{s}count({row}.{c}), {s}coalesce(sum({row}.{c}), 0)"
                     for c in ("cost", "input_token_count", "output_token_count", "token_count"))
    return (f"SELECT {row}.project_id, pv.lineage_id, {row}.prompt_version_id, {_pg_day(row)}, ''::varchar, "
            f"{s}count(*), {s}count({row}.duration), {s}coalesce(sum({row}.duration), 0)::float8, "
            f"{s}coalesce(sum({row}.duration * {row}.duration), 0)::float8, {sums}, 0::float8, 0::float8 "
            f"FROM {rows} {row} JOIN prompt_version pv ON pv.id = {row}.prompt_version_id WHERE true {where} "
            "GROUP BY 1, 2, 3, 4")


_ZEROS = "0, 0::float8, 0::float8, 0, 0::float8, 0, 0, 0, 0, 0, 0"  # duration_n .. tokens_sum


def _pg_scores(st: str, sc: str, sign: str, frm: str, where: str = "") -> str:
    """Score figures of the scores joined to versioned steps in ``frm`` (steps ``st``, scores ``sc``)."""
    return (f"SELECT {st}.project_id, pv.lineage_id, {st}.prompt_version_id, {_pg_day(st)}, {sc}.name, "
            f"{sign}count(*), {_ZEROS}, {sign}sum({sc}.value)::float8, {sign}sum({sc}.value * {sc}.value)::float8 "
            f"FROM {frm} JOIN prompt_version pv ON pv.id = {st}.prompt_version_id WHERE true {where} "
            "GROUP BY 1, 2, 3, 4, 5")


def _changed(cols: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"o2.{c}" for c in cols) + ") IS DISTINCT FROM (" + ", ".join(f"n2.{c}" for c in cols) + ")"


_STEP_CHANGED = f"IN (SELECT n2.id FROM new_rows n2 JOIN old_rows o2 ON o2.id = n2.id WHERE {_changed(_GEN_TRACKED)})"
_STEP_MOVED = ("IN (SELECT n2.id FROM new_rows n2 JOIN old_rows o2 ON o2.id = n2.id WHERE "
               f"(o2.prompt_version_id, {_pg_day('o2')}) IS DISTINCT FROM (n2.prompt_version_id, {_pg_day('n2')}))")
_SCORE_CHANGED = f"IN (SELECT n2.id FROM new_rows n2 JOIN old_rows o2 ON o2.id = n2.id WHERE {_changed(_SCORE_TRACKED)})"
_INSERT = f"INSERT INTO prompt_rollup_delta ({DIMS}, {MEASURES})"

PG_FUNCTIONS = [f"""
CREATE OR REPLACE FUNCTION prompt_rollup_step() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_INSERT} {_pg_gen('n', '', 'new_rows')}
      UNION ALL {_pg_scores('n', 'c', '', 'new_rows n JOIN score c ON c.step_id = n.id')};
  ELSIF TG_OP = 'DELETE' THEN
    {_INSERT} {_pg_gen('o', '-', 'old_rows')}
      UNION ALL {_pg_scores('o', 'c', '-', 'old_rows o JOIN score c ON c.step_id = o.id')};
  ELSE
    {_INSERT} {_pg_gen('n', '', 'new_rows', f'AND n.id {_STEP_CHANGED}')}
      UNION ALL {_pg_gen('o', '-', 'old_rows', f'AND o.id {_STEP_CHANGED}')}
      UNION ALL {_pg_scores('n', 'c', '', 'new_rows n JOIN score c ON c.step_id = n.id', f'AND n.id {_STEP_MOVED}')}
      UNION ALL {_pg_scores('o', 'c', '-', 'old_rows o JOIN score c ON c.step_id = o.id', f'AND o.id {_STEP_MOVED}')};
  END IF;
  RETURN NULL;
END $$;
""", f"""
CREATE OR REPLACE FUNCTION prompt_rollup_score() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_INSERT} {_pg_scores('s', 'c', '', 'new_rows c JOIN step s ON s.id = c.step_id')};
  ELSIF TG_OP = 'DELETE' THEN
    {_INSERT} {_pg_scores('s', 'c', '-', 'old_rows c JOIN step s ON s.id = c.step_id')};
  ELSE
    {_INSERT} {_pg_scores('s', 'c', '', 'new_rows c JOIN step s ON s.id = c.step_id', f'AND c.id {_SCORE_CHANGED}')}
      UNION ALL {_pg_scores('s', 'c', '-', 'old_rows c JOIN step s ON s.id = c.step_id', f'AND c.id {_SCORE_CHANGED}')};
  END IF;
  RETURN NULL;
END $$;
"""]


def _pg_triggers(table: str, function: str) -> list[str]:
    return [f"CREATE TRIGGER {table}_prompt_rollup_ins AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            f"CREATE TRIGGER {table}_prompt_rollup_upd AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows "
            f"NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            f"CREATE TRIGGER {table}_prompt_rollup_del AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"]


PG_TRIGGERS = _pg_triggers("step", "prompt_rollup_step") + _pg_triggers("score", "prompt_rollup_score")


def _sq_gen(row: str, sign: str) -> str:
    """One generation row (SQLite, inside a trigger) for ``row`` = NEW or OLD."""
    s = sign
    known = ", ".join(f"{s}({row}.{c} IS NOT NULL), {s}coalesce({row}.{c}, 0)"
                      for c in ("cost", "input_token_count", "output_token_count", "token_count"))
    return (f"{_INSERT} SELECT {row}.project_id, pv.lineage_id, {row}.prompt_version_id, date({row}.created_at), "
            f"'', {s}1, {s}({row}.duration IS NOT NULL), {s}coalesce({row}.duration, 0), "
            f"{s}coalesce({row}.duration * {row}.duration, 0), {known}, 0, 0 "
            f"FROM prompt_version pv WHERE pv.id = {row}.prompt_version_id;")


def _sq_step_scores(row: str, sign: str, where: str = "") -> str:
    """The scores of step ``row`` under its version and day (SQLite)."""
    return (f"{_INSERT} SELECT {row}.project_id, pv.lineage_id, {row}.prompt_version_id, date({row}.created_at), "
            f"c.name, {sign}count(*), {_ZEROS.replace('::float8', '')}, {sign}sum(c.value), {sign}sum(c.value * c.value) "
            f"FROM score c JOIN prompt_version pv ON pv.id = {row}.prompt_version_id WHERE c.step_id = {row}.id {where} "
            "GROUP BY pv.lineage_id, c.name;")


def _sq_score(row: str, sign: str) -> str:
    """Score ``row`` under its step's version and day (SQLite)."""
    return (f"{_INSERT} SELECT s.project_id, pv.lineage_id, s.prompt_version_id, date(s.created_at), {row}.name, "
            f"{sign}1, {_ZEROS.replace('::float8', '')}, {sign}{row}.value, {sign}{row}.value * {row}.value "
            f"FROM step s JOIN prompt_version pv ON pv.id = s.prompt_version_id WHERE s.id = {row}.step_id;")


_SQ_MOVED = "AND (OLD.prompt_version_id IS NOT NEW.prompt_version_id OR date(OLD.created_at) IS NOT date(NEW.created_at))"

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER step_prompt_rollup_ins AFTER INSERT ON step WHEN NEW.prompt_version_id IS NOT NULL BEGIN "
    f"{_sq_gen('NEW', '')} {_sq_step_scores('NEW', '')} END",
    f"CREATE TRIGGER step_prompt_rollup_del AFTER DELETE ON step WHEN OLD.prompt_version_id IS NOT NULL BEGIN "
    f"{_sq_gen('OLD', '-')} {_sq_step_scores('OLD', '-')} END",
    "CREATE TRIGGER step_prompt_rollup_upd AFTER UPDATE ON step WHEN "
    "(OLD.prompt_version_id IS NOT NULL OR NEW.prompt_version_id IS NOT NULL) AND ("
    + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _GEN_TRACKED)
    + f") BEGIN {_sq_gen('OLD', '-')} {_sq_gen('NEW', '')} "
    f"{_sq_step_scores('OLD', '-', _SQ_MOVED)} {_sq_step_scores('NEW', '', _SQ_MOVED)} END",
    f"CREATE TRIGGER score_prompt_rollup_ins AFTER INSERT ON score BEGIN {_sq_score('NEW', '')} END",
    f"CREATE TRIGGER score_prompt_rollup_del AFTER DELETE ON score BEGIN {_sq_score('OLD', '-')} END",
    "CREATE TRIGGER score_prompt_rollup_upd AFTER UPDATE ON score WHEN "
    + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _SCORE_TRACKED)
    + f" BEGIN {_sq_score('OLD', '-')} {_sq_score('NEW', '')} END",
]
TRIGGER_NAMES = [f"{t}_prompt_rollup_{op_}" for t in ("step", "score") for op_ in ("ins", "upd", "del")]


def _columns() -> list:
    big = [sa.Column(c, sa.BigInteger(), nullable=False)
           for c in ("n", "duration_n", "cost_n", "input_n", "input_sum", "output_n", "output_sum", "tokens_n",
                     "tokens_sum")]
    floats = [sa.Column(c, sa.Float(), nullable=False)
              for c in ("duration_sum", "duration_sq", "cost_sum", "score_sum", "score_sq")]
    return [sa.Column("lineage_id", sa.String(256), nullable=False),
            sa.Column("prompt_version_id", sa.String(256), nullable=False), sa.Column("day", sa.Date(), nullable=False),
            sa.Column("score", sa.String(256), nullable=False), *big, *floats,
            sa.Column("project_id", sa.String(64), nullable=False)]


def _backfill(dialect: str) -> None:
    """Fold today's steps and scores in: the same sums the triggers append, over every row."""
    if dialect == "postgresql":
        gen = _pg_gen("n", "", "step")
        scores = _pg_scores("n", "c", "", "step n JOIN score c ON c.step_id = n.id")
    else:
        day = "date(n.created_at)"
        sums = ", ".join(f"count(n.{c}), coalesce(sum(n.{c}), 0)"
                         for c in ("cost", "input_token_count", "output_token_count", "token_count"))
        gen = (f"SELECT n.project_id, pv.lineage_id, n.prompt_version_id, {day}, '', count(*), count(n.duration), "
               f"coalesce(sum(n.duration), 0), coalesce(sum(n.duration * n.duration), 0), {sums}, 0, 0 "
               "FROM step n JOIN prompt_version pv ON pv.id = n.prompt_version_id GROUP BY 1, 2, 3, 4")
        scores = (f"SELECT n.project_id, pv.lineage_id, n.prompt_version_id, {day}, c.name, count(*), "
                  f"{_ZEROS.replace('::float8', '')}, sum(c.value), sum(c.value * c.value) FROM step n "
                  "JOIN prompt_version pv ON pv.id = n.prompt_version_id JOIN score c ON c.step_id = n.id "
                  "GROUP BY 1, 2, 3, 4, 5")
    op.execute(f"INSERT INTO prompt_rollup ({DIMS}, {MEASURES}) {gen} UNION ALL {scores}")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table("prompt_rollup", *_columns(),
                    sa.PrimaryKeyConstraint("project_id", "lineage_id", "day", "prompt_version_id", "score",
                                            name="pk_prompt_rollup"))
    op.create_table("prompt_rollup_delta", *_columns(),
                    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True,
                              nullable=False),
                    sa.PrimaryKeyConstraint("id", name="pk_prompt_rollup_delta"))
    op.create_index("ix_prompt_rollup_delta_project_lineage", "prompt_rollup_delta", ["project_id", "lineage_id"])
    _backfill(dialect)
    if dialect == "postgresql":
        for ddl in PG_FUNCTIONS + PG_TRIGGERS:
            op.execute(ddl)
    else:
        for ddl in SQLITE_TRIGGERS:
            op.execute(ddl)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name in TRIGGER_NAMES:
        table = name.split("_", 1)[0]
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}" if dialect == "postgresql"
                   else f"DROP TRIGGER IF EXISTS {name}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS prompt_rollup_step()")
        op.execute("DROP FUNCTION IF EXISTS prompt_rollup_score()")
    op.drop_index("ix_prompt_rollup_delta_project_lineage", table_name="prompt_rollup_delta")
    op.drop_table("prompt_rollup_delta")
    op.drop_table("prompt_rollup")
