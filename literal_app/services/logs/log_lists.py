"""The Logs tables (threads, runs, generations, steps, scores) and the Users table, one page at a
time through the shared list engine, as plain row DTOs with short previews.

Pages read narrow columns (``load_only``) and compute previews in SQL, so a row never carries a
whole input or output. The total is counted separately (``count_rows``) and capped, so a page
view never scans a whole table just to print a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import load_only
from sqlmodel import Session

from literal_app.models.prompts import PromptLineage, PromptVersion
from literal_app.models.tracing import Participant, Score, Step, Thread
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.logs import log_rows as lr
from literal_app.services.logs.log_fields import SPECS
from literal_app.services.logs.log_filters import LogFilters, engine_filters, order_of
from literal_app.services.logs.log_plans import narrow, serial_plans
from literal_app.services.logs.querying import Filter, PageRequest, build_clause, list_page

PAGE_SIZE = 50
COUNT_CAP = 10_000
TABLES = ("threads", "runs", "generations", "steps", "scores")


@dataclass(frozen=True)
class RowsPage:
    rows: list[Any]
    start_cursor: str | None
    end_cursor: str | None
    has_next: bool
    has_previous: bool


def _base(table: str, project_id: str):
    """The project-scoped select of a table (runs and generations are typed steps)."""
    if table == "threads":
        return select(Thread).options(load_only(*lr.THREAD_COLUMNS)).where(Thread.project_id == project_id)
    if table == "scores":
        return select(Score).where(Score.project_id == project_id)
    if table == "users":
        return select(Participant).where(Participant.project_id == project_id)
    q = select(Step).options(load_only(*lr.STEP_COLUMNS)).where(Step.project_id == project_id)
    if table == "runs":
        q = q.where(Step.type == "run")
    elif table == "generations":
        q = q.where(Step.type == "llm")
    return q


def _filters(table: str, filters: LogFilters | list | None) -> tuple[list[Filter], dict | None]:
    if isinstance(filters, LogFilters):
        return engine_filters(filters, table), order_of(filters, table)
    return [Filter.parse(f) for f in (filters or [])], None


def list_rows(session: Session, actor: Actor, table: str, filters: LogFilters | list | None = None, *,
              after: str | None = None, before: str | None = None, limit: int = PAGE_SIZE,
              order_by: dict | None = None) -> RowsPage:
    """One page of ``table`` (a TABLES name or "users") under the filters, newest first by default."""
    require(actor, "observability:read")
    if table not in SPECS:
        raise Invalid(f"Unknown table {table!r}.")
    engine, order = _filters(table, filters)
    with serial_plans(session):
        engine = narrow(session, actor.project_id, table, engine)
        req = PageRequest(first=None if before else limit, last=limit if before else None, after=after,
                          before=before, filters=engine, order_by=order_by or order)
        page = list_page(session, SPECS[table], _base(table, actor.project_id), req, with_total=False)
    rows = lr.to_rows(session, actor.project_id, table, page.rows)
    return RowsPage(rows, page.start_cursor, page.end_cursor, page.has_next, page.has_previous)


def count_rows(session: Session, actor: Actor, table: str, filters: LogFilters | list | None = None,
               cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows match, counting at most ``cap`` (returns ``(n, more_than_cap)``)."""
    require(actor, "observability:read")
    if table not in SPECS:
        raise Invalid(f"Unknown table {table!r}.")
    spec, (engine, _) = SPECS[table], _filters(table, filters)
    dialect = session.get_bind().dialect.name
    with serial_plans(session):
        engine = narrow(session, actor.project_id, table, engine)
        q = _base(table, actor.project_id).where(*[build_clause(spec, f, dialect) for f in engine])
        n = session.execute(select(func.count()).select_from(q.with_only_columns(spec.id_col).limit(cap + 1)
                                                             .subquery())).scalar_one()
    return min(n, cap), n > cap


def matching_ids(session: Session, actor: Actor, table: str, filters: LogFilters | list | None = None,
                 cap: int = COUNT_CAP) -> list[str]:
    """Ids of the rows of ``table`` matching the filters, in the table's order, at most ``cap``: what
    "add all matching" acts on (the same filter engine and query plans as the page itself)."""
    require(actor, "observability:read")
    if table not in SPECS:
        raise Invalid(f"Unknown table {table!r}.")
    spec, (engine, order) = SPECS[table], _filters(table, filters)
    order = order or {}
    column = order.get("column") or spec.default_order
    expr = spec.orders.get(column, spec.orders[spec.default_order])
    desc = str(order.get("direction") or "DESC").upper() == "DESC"
    dialect = session.get_bind().dialect.name
    with serial_plans(session):
        engine = narrow(session, actor.project_id, table, engine)
        q = _base(table, actor.project_id).where(*[build_clause(spec, f, dialect) for f in engine])
        q = q.with_only_columns(spec.id_col).order_by(*((expr.desc(), spec.id_col.desc()) if desc
                                                         else (expr.asc(), spec.id_col.asc()))).limit(cap)
        return list(session.execute(q).scalars())


def distinct_values(session: Session, actor: Actor, what: str, recent: int = 5000) -> list[str]:
    """Suggestions for the filter bar (environments, models, providers, score names), taken from
    the most recent rows so the work stays bounded on large projects."""
    require(actor, "observability:read")
    sources = {"environment": (Thread.environment, Thread, []), "model": (Step.model, Step, [Step.type == "llm"]),
               "provider": (Step.provider, Step, [Step.type == "llm"]), "score": (Score.name, Score, [])}
    if what not in sources:
        raise Invalid(f"No suggestions for {what!r}.")
    col, model, where = sources[what]
    recent_rows = (select(col.label("v")).where(model.project_id == actor.project_id, *where)
                   .order_by(model.created_at.desc()).limit(recent).subquery())
    rows = session.execute(select(recent_rows.c.v).where(recent_rows.c.v.is_not(None)).distinct()
                           .order_by(recent_rows.c.v).limit(100)).scalars().all()
    return [r for r in rows if r]


def prompt_version_label(session: Session, actor: Actor, version_id: str) -> str:
    """``name vN`` of one of the project's prompt versions, or "" (the chip of the prompt filter
    that a prompt page's links apply: the version id alone tells a reader nothing)."""
    require(actor, "observability:read")
    row = session.execute(select(PromptLineage.name, PromptVersion.version)
                          .join(PromptLineage, PromptLineage.id == PromptVersion.lineage_id)
                          .where(PromptVersion.id == version_id, PromptVersion.project_id == actor.project_id)).first()
    return f"{row[0]} v{row[1]}" if row else ""


__all__ = ["RowsPage", "TABLES", "list_rows", "count_rows", "matching_ids", "distinct_values",
           "prompt_version_label"]
