"""SQL that keeps ``step.facets`` and the facet rollups exact (migration 0017, ``bench/seed.py``).

A step's facets are the filter values it matches that are not columns of the daily rollup: ``r:<name>``
for its own name when it is a run and for its root run's name, ``t:<tag>`` for each tag on the step or
on its thread (the run-name and single-tag filters of the dashboard). Triggers keep them exact:

- on PostgreSQL a BEFORE row trigger computes a written step's facets, on SQLite an AFTER trigger
  updates the row it just wrote;
- when a run is inserted, renamed, retyped or deleted, the steps under it (``root_run_id``) are
  recomputed; when a thread's tags change (or it is inserted or deleted), its steps are;
- every change of a step's facets or measures appends signed deltas, one per facet, to
  ``step_facet_rollup_delta`` (as migration 0003 does for ``step_rollup``); compaction folds them.
"""

from __future__ import annotations

from literal_app.services.dashboard.trigger_sets import TriggerSet

NAME_MAX, TAG_MAX = 200, 250
DIMS = "project_id, facet, day, environment, type, name, model, prompt_version_id"
MEASURES = "steps, errors, input_tokens, output_tokens, cost, duration, changes"
TRACKED = ("created_at", "environment", "type", "name", "model", "prompt_version_id", "error",
           "input_token_count", "output_token_count", "cost", "duration", "tt_first_token", "token_throughput")
SOURCES = ("project_id", "type", "name", "tags", "root_run_id", "thread_id")


def _key(row: str, facet: str, day: str) -> str:
    return (f"{row}.project_id, {facet}, {day}, coalesce({row}.environment, ''), {row}.type, "
            f"substr(coalesce({row}.name, ''), 1, {NAME_MAX}), coalesce({row}.model, ''), "
            f"coalesce({row}.prompt_version_id, '')")


# ---------------------------------------------------------------- PostgreSQL

PG_FUNCTIONS = [f"""
CREATE OR REPLACE FUNCTION step_facets(p_project text, p_type text, p_name text, p_tags jsonb, p_root text,
                                       p_thread text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_agg(v ORDER BY v) FROM (
    SELECT 'r:' || substr(p_name, 1, {NAME_MAX}) AS v WHERE p_type = 'run' AND coalesce(p_name, '') <> ''
    UNION SELECT 'r:' || substr(r.name, 1, {NAME_MAX}) FROM step r
      WHERE r.id = p_root AND r.project_id = p_project AND r.type = 'run' AND coalesce(r.name, '') <> ''
    UNION SELECT 't:' || substr(e #>> '{{}}', 1, {TAG_MAX})
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p_tags) = 'array' THEN p_tags END) e
      WHERE jsonb_typeof(e) = 'string'
    UNION SELECT 't:' || substr(e #>> '{{}}', 1, {TAG_MAX}) FROM thread th
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(th.tags) = 'array' THEN th.tags END) e
      WHERE th.id = p_thread AND th.project_id = p_project AND jsonb_typeof(e) = 'string'
  ) x
$$""", """
CREATE OR REPLACE FUNCTION step_facets_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.type <> 'run' AND NEW.root_run_id IS NULL AND NEW.thread_id IS NULL
     AND (NEW.tags IS NULL OR jsonb_typeof(NEW.tags) <> 'array') THEN
    NEW.facets := NULL;
  ELSIF TG_OP = 'UPDATE' AND NEW.facets IS NOT DISTINCT FROM OLD.facets
     AND (NEW.project_id, NEW.type, NEW.name, NEW.tags, NEW.root_run_id, NEW.thread_id) IS NOT DISTINCT FROM
         (OLD.project_id, OLD.type, OLD.name, OLD.tags, OLD.root_run_id, OLD.thread_id) THEN
    RETURN NEW;
  ELSE
    NEW.facets := step_facets(NEW.project_id, NEW.type, NEW.name, NEW.tags, NEW.root_run_id, NEW.thread_id);
  END IF;
  RETURN NEW;
END $$""", """
CREATE OR REPLACE FUNCTION step_facets_refresh(p_column text, p_ids text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_ids IS NULL OR cardinality(p_ids) = 0 THEN
    RETURN;
  END IF;
  IF p_column = 'root_run_id' THEN
    UPDATE step c SET facets = step_facets(c.project_id, c.type, c.name, c.tags, c.root_run_id, c.thread_id)
    WHERE c.root_run_id = ANY(p_ids) AND c.id <> c.root_run_id
      AND c.facets IS DISTINCT FROM step_facets(c.project_id, c.type, c.name, c.tags, c.root_run_id, c.thread_id);
  ELSE
    UPDATE step c SET facets = step_facets(c.project_id, c.type, c.name, c.tags, c.root_run_id, c.thread_id)
    WHERE c.thread_id = ANY(p_ids)
      AND c.facets IS DISTINCT FROM step_facets(c.project_id, c.type, c.name, c.tags, c.root_run_id, c.thread_id);
  END IF;
END $$""", """
CREATE OR REPLACE FUNCTION step_facets_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM step_facets_refresh('root_run_id', ARRAY(SELECT id FROM new_rows WHERE type = 'run'));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM step_facets_refresh('root_run_id', ARRAY(SELECT id FROM old_rows WHERE type = 'run'));
  ELSE
    PERFORM step_facets_refresh('root_run_id', ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.type = 'run' OR o.type = 'run')
        AND (n.name, n.type, n.project_id) IS DISTINCT FROM (o.name, o.type, o.project_id)));
  END IF;
  RETURN NULL;
END $$""", """
CREATE OR REPLACE FUNCTION thread_facets_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM step_facets_refresh('thread_id', ARRAY(SELECT id FROM new_rows WHERE tags IS NOT NULL));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM step_facets_refresh('thread_id', ARRAY(SELECT id FROM old_rows WHERE tags IS NOT NULL));
  ELSE
    PERFORM step_facets_refresh('thread_id', ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.tags, n.project_id) IS DISTINCT FROM (o.tags, o.project_id)));
  END IF;
  RETURN NULL;
END $$"""]


def _pg_day(row: str) -> str:
    return f"({row}.created_at AT TIME ZONE 'UTC')::date"


def _pg_sums(row: str, sign: str) -> str:
    return (f"{sign}count(*), {sign}count({row}.error), {sign}sum(coalesce({row}.input_token_count, 0)), "
            f"{sign}sum(coalesce({row}.output_token_count, 0)), {sign}sum(coalesce({row}.cost, 0)), "
            f"{sign}sum(coalesce({row}.duration, 0)), count(*)")


def _pg_expand(row: str, table: str, sign: str, where: str = "") -> str:
    return (f"SELECT {_key(row, 'f.v', _pg_day(row))}, {_pg_sums(row, sign)} FROM {table} {row} "
            f"CROSS JOIN LATERAL jsonb_array_elements_text({row}.facets) f(v) {where} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8")


_PG_CHANGED = ("(" + ", ".join(f"o2.{c}" for c in TRACKED + ("facets",)) + ") IS DISTINCT FROM ("
               + ", ".join(f"n2.{c}" for c in TRACKED + ("facets",)) + ")")
_PG_CHANGED_IDS = f"SELECT n2.id FROM new_rows n2 JOIN old_rows o2 ON o2.id = n2.id WHERE {_PG_CHANGED}"

PG_FUNCTIONS.append(f"""
CREATE OR REPLACE FUNCTION step_facet_rollup_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO step_facet_rollup_delta ({DIMS}, {MEASURES}) {_pg_expand('n', 'new_rows', '')};
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO step_facet_rollup_delta ({DIMS}, {MEASURES}) {_pg_expand('o', 'old_rows', '-')};
  ELSE
    INSERT INTO step_facet_rollup_delta ({DIMS}, {MEASURES})
    SELECT {DIMS}, sum(steps), sum(errors), sum(input_tokens), sum(output_tokens), sum(cost), sum(duration),
           sum(changes)
    FROM ({_pg_expand('n', 'new_rows', '', f'WHERE n.id IN ({_PG_CHANGED_IDS})')}
          UNION ALL {_pg_expand('o', 'old_rows', '-', f'WHERE o.id IN ({_PG_CHANGED_IDS})')}
    ) AS c ({DIMS}, {MEASURES})
    GROUP BY {DIMS};
  END IF;
  RETURN NULL;
END $$""")

PG_TRIGGERS = {
    "step_facets_fill": "BEFORE INSERT OR UPDATE ON step FOR EACH ROW EXECUTE FUNCTION step_facets_fill()",
    **{f"step_facets_{op[:3].lower()}": f"AFTER {op} ON step REFERENCING {refs} FOR EACH STATEMENT "
       "EXECUTE FUNCTION step_facets_cascade()" for op, refs in (
           ("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
           ("DELETE", "OLD TABLE AS old_rows"))},
    **{f"thread_facets_{op[:3].lower()}": f"AFTER {op} ON thread REFERENCING {refs} FOR EACH STATEMENT "
       "EXECUTE FUNCTION thread_facets_cascade()" for op, refs in (
           ("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
           ("DELETE", "OLD TABLE AS old_rows"))},
    **{f"step_facet_rollup_{op[:3].lower()}": f"AFTER {op} ON step REFERENCING {refs} FOR EACH STATEMENT "
       "EXECUTE FUNCTION step_facet_rollup_capture()" for op, refs in (
           ("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
           ("DELETE", "OLD TABLE AS old_rows"))},
}
PG_FUNCTION_NAMES = ("step_facet_rollup_capture()", "thread_facets_cascade()", "step_facets_cascade()",
                     "step_facets_refresh(text, text[])", "step_facets_fill()",
                     "step_facets(text, text, text, jsonb, text, text)")


def pg_trigger_table(name: str) -> str:
    return "thread" if name.startswith("thread_") else "step"


# ---------------------------------------------------------------- SQLite

def sqlite_facets(row: str) -> str:
    """The facets (JSON list, NULL when none) of the step ``row`` (``NEW``, ``OLD`` or ``step``)."""
    return f"""(SELECT CASE WHEN count(*) THEN json_group_array(v) END FROM (SELECT v FROM (
      SELECT 'r:' || substr({row}.name, 1, {NAME_MAX}) AS v WHERE {row}.type = 'run' AND coalesce({row}.name, '') <> ''
      UNION SELECT 'r:' || substr(r.name, 1, {NAME_MAX}) FROM step r WHERE r.id = {row}.root_run_id
        AND r.project_id = {row}.project_id AND r.type = 'run' AND coalesce(r.name, '') <> ''
      UNION SELECT 't:' || substr(j.value, 1, {TAG_MAX}) FROM json_each({row}.tags) j WHERE j.type = 'text'
      UNION SELECT 't:' || substr(j.value, 1, {TAG_MAX}) FROM thread th, json_each(th.tags) j
        WHERE th.id = {row}.thread_id AND th.project_id = {row}.project_id AND j.type = 'text'
    ) ORDER BY v))"""


def _sqlite_refresh(where: str) -> str:
    return f"UPDATE step SET facets = {sqlite_facets('step')} WHERE {where} AND facets IS NOT {sqlite_facets('step')};"


def _sqlite_self(row: str) -> str:
    return f"UPDATE step SET facets = {sqlite_facets(row)} WHERE id = {row}.id AND facets IS NOT {sqlite_facets(row)};"


def _sqlite_capture(row: str, sign: str) -> str:
    return (f"INSERT INTO step_facet_rollup_delta ({DIMS}, {MEASURES}) SELECT "
            f"{_key(row, 'j.value', f'date({row}.created_at)')}, {sign}1, {sign}({row}.error IS NOT NULL), "
            f"{sign}coalesce({row}.input_token_count, 0), {sign}coalesce({row}.output_token_count, 0), "
            f"{sign}coalesce({row}.cost, 0), {sign}coalesce({row}.duration, 0), 1 FROM json_each({row}.facets) j "
            "WHERE j.type = 'text';")


_RUN_CHANGED = "(OLD.type = 'run' OR NEW.type = 'run') AND (OLD.name IS NOT NEW.name OR OLD.type IS NOT NEW.type " \
               "OR OLD.project_id IS NOT NEW.project_id)"
SQLITE_TRIGGERS = {
    "step_facets_ins": "AFTER INSERT ON step WHEN NEW.type = 'run' OR NEW.root_run_id IS NOT NULL "
                       "OR NEW.thread_id IS NOT NULL OR NEW.tags IS NOT NULL BEGIN "
                       f"{_sqlite_self('NEW')} "
                       f"{_sqlite_refresh('NEW.type = ' + repr('run') + ' AND root_run_id = NEW.id AND id <> NEW.id')} END",
    "step_facets_upd": f"AFTER UPDATE OF {', '.join(SOURCES)} ON step WHEN "
                       + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in SOURCES)
                       + f" BEGIN {_sqlite_self('NEW')} "
                       f"{_sqlite_refresh(_RUN_CHANGED + ' AND root_run_id = NEW.id AND id <> NEW.id')} END",
    "step_facets_del": f"AFTER DELETE ON step WHEN OLD.type = 'run' BEGIN "
                       f"{_sqlite_refresh('root_run_id = OLD.id AND id <> OLD.id')} END",
    "thread_facets_ins": f"AFTER INSERT ON thread WHEN NEW.tags IS NOT NULL BEGIN "
                         f"{_sqlite_refresh('thread_id = NEW.id')} END",
    "thread_facets_upd": "AFTER UPDATE OF tags, project_id ON thread WHEN OLD.tags IS NOT NEW.tags "
                         f"OR OLD.project_id IS NOT NEW.project_id BEGIN {_sqlite_refresh('thread_id = NEW.id')} END",
    "thread_facets_del": f"AFTER DELETE ON thread WHEN OLD.tags IS NOT NULL BEGIN "
                         f"{_sqlite_refresh('thread_id = OLD.id')} END",
    "step_facet_rollup_ins": f"AFTER INSERT ON step WHEN NEW.facets IS NOT NULL BEGIN {_sqlite_capture('NEW', '')} END",
    "step_facet_rollup_del": f"AFTER DELETE ON step WHEN OLD.facets IS NOT NULL BEGIN {_sqlite_capture('OLD', '-')} END",
    "step_facet_rollup_upd": "AFTER UPDATE ON step WHEN (OLD.facets IS NOT NULL OR NEW.facets IS NOT NULL) AND ("
                             + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in TRACKED + ("facets",))
                             + f") BEGIN {_sqlite_capture('OLD', '-')} {_sqlite_capture('NEW', '')} END",
}


TRIGGERS = TriggerSet(PG_FUNCTIONS, PG_FUNCTION_NAMES, PG_TRIGGERS, SQLITE_TRIGGERS, pg_trigger_table)
create_triggers = TRIGGERS.create
drop_triggers = TRIGGERS.drop


def backfill(execute, dialect: str, project_id: str | None = None) -> None:
    """Compute every step's facets and fold them into ``step_facet_rollup`` (triggers must be off:
    the migration runs this before creating them, the seed after dropping them). ``project_id``
    limits both to one project whose facet rollups are empty."""
    only = "" if project_id is None else f" AND s.project_id = '{project_id.replace(chr(39), '')}'"
    if dialect == "postgresql":
        execute("UPDATE step s SET facets = step_facets(s.project_id, s.type, s.name, s.tags, s.root_run_id, "
                "s.thread_id) WHERE (s.type = 'run' OR s.root_run_id IS NOT NULL OR s.thread_id IS NOT NULL "
                f"OR s.tags IS NOT NULL){only}")
        execute(f"INSERT INTO step_facet_rollup ({DIMS}, {MEASURES}) "
                + _pg_expand("s", "step", "", f"WHERE s.facets IS NOT NULL{only}"))
        return
    execute(f"UPDATE step AS s SET facets = {sqlite_facets('s')} WHERE (s.type = 'run' OR s.root_run_id IS NOT NULL "
            f"OR s.thread_id IS NOT NULL OR s.tags IS NOT NULL){only}")
    execute(f"INSERT INTO step_facet_rollup ({DIMS}, {MEASURES}) SELECT {_key('s', 'j.value', 'date(s.created_at)')}, "
            "count(*), count(s.error), sum(coalesce(s.input_token_count, 0)), sum(coalesce(s.output_token_count, 0)), "
            "sum(coalesce(s.cost, 0)), sum(coalesce(s.duration, 0)), count(*) FROM step s, json_each(s.facets) j "
            f"WHERE s.facets IS NOT NULL AND j.type = 'text'{only} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8")
