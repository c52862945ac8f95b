"""SQL that copies each score's step dimensions onto the score (migration 0019, ``bench/seed.py``).

Under an environment, model, run-name or tag filter the score cards keep the scores whose step
matches. Looking each step up (30k scores a month at 1M steps) cost 0.3-1 s; the scores carry
instead the environment, type, model and facets of their step (of the same project; NULL when there
is none), kept exact by triggers: a score written takes its step's values, a step written, changed
or deleted updates its scores (through ``ix_score_step_id``).
"""

from __future__ import annotations

from literal_app.services.dashboard.trigger_sets import TriggerSet

COLUMNS = ("step_environment", "step_type", "step_model", "step_facets")
SOURCE = ("environment", "type", "model", "facets")
_TARGET = "(" + ", ".join(COLUMNS) + ")"
_LOOKUP = (f"(SELECT {', '.join('s.' + c for c in SOURCE)} FROM step s "
           "WHERE s.id = score.step_id AND s.project_id = score.project_id)")

PG_FUNCTIONS = [f"""
CREATE OR REPLACE FUNCTION score_step_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT {', '.join('s.' + c for c in SOURCE)} INTO {', '.join('NEW.' + c for c in COLUMNS)}
  FROM step s WHERE s.id = NEW.step_id AND s.project_id = NEW.project_id;
  RETURN NEW;
END $$""", f"""
CREATE OR REPLACE FUNCTION score_step_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    ids := ARRAY(SELECT id FROM new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    ids := ARRAY(SELECT id FROM old_rows);
  ELSE
    ids := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                 WHERE (n.environment, n.type, n.model, n.facets, n.project_id)
                       IS DISTINCT FROM (o.environment, o.type, o.model, o.facets, o.project_id));
  END IF;
  IF cardinality(ids) > 0 THEN
    UPDATE score SET {_TARGET} = {_LOOKUP} WHERE score.step_id = ANY(ids);
  END IF;
  RETURN NULL;
END $$"""]

PG_TRIGGERS = {
    "score_step_fill": "BEFORE INSERT OR UPDATE OF step_id, project_id ON score FOR EACH ROW "
                       "EXECUTE FUNCTION score_step_fill()",
    **{f"score_step_sync_{op[:3].lower()}": f"AFTER {op} ON step REFERENCING {refs} FOR EACH STATEMENT "
       "EXECUTE FUNCTION score_step_sync()" for op, refs in (
           ("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
           ("DELETE", "OLD TABLE AS old_rows"))},
}
PG_FUNCTION_NAMES = ("score_step_sync()", "score_step_fill()")


def pg_trigger_table(name: str) -> str:
    return "score" if name == "score_step_fill" else "step"


_SELF = f"UPDATE score SET {_TARGET} = {_LOOKUP} WHERE id = NEW.id;"
SQLITE_TRIGGERS = {
    "score_step_ins": f"AFTER INSERT ON score WHEN NEW.step_id IS NOT NULL BEGIN {_SELF} END",
    "score_step_upd": "AFTER UPDATE OF step_id, project_id ON score WHEN OLD.step_id IS NOT NEW.step_id "
                      f"OR OLD.project_id IS NOT NEW.project_id BEGIN {_SELF} END",
    "score_step_sync_ins": f"AFTER INSERT ON step BEGIN UPDATE score SET {_TARGET} = {_LOOKUP} "
                           "WHERE step_id = NEW.id; END",
    "score_step_sync_upd": f"AFTER UPDATE OF {', '.join(SOURCE)}, project_id ON step WHEN "
                           + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in SOURCE + ("project_id",))
                           + f" BEGIN UPDATE score SET {_TARGET} = {_LOOKUP} WHERE step_id = NEW.id; END",
    "score_step_sync_del": f"AFTER DELETE ON step BEGIN UPDATE score SET {_TARGET} = {_LOOKUP} "
                           "WHERE step_id = OLD.id; END",
}


TRIGGERS = TriggerSet(PG_FUNCTIONS, PG_FUNCTION_NAMES, PG_TRIGGERS, SQLITE_TRIGGERS, pg_trigger_table)
create_triggers = TRIGGERS.create
drop_triggers = TRIGGERS.drop


def backfill(execute, project_id: str | None = None) -> None:
    """Copy every score's step dimensions (after ``facet_sql.backfill``: facets are copied too)."""
    only = "" if project_id is None else f" AND project_id = '{project_id.replace(chr(39), '')}'"
    execute(f"UPDATE score SET {_TARGET} = {_LOOKUP} WHERE step_id IS NOT NULL{only}")
