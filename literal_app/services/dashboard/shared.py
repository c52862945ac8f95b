"""Rows shared by the cards of one dashboard load, so a filter that the rollups cannot answer scans
the steps once instead of once per card.

Inside ``shared_rows(session)`` (``load_dashboard`` opens it), the first card that needs them
materialises, in temporary tables of the session's connection:

- for a tag or run-name filter, the matching steps (a narrow copy: the rollup dimensions and
  measures plus what the latency and run cards read) and their rollup-shaped aggregate;
- for any filter beyond dates, the scores of the range whose step matches.

Cards then read those small tables. Outside the context (a card called on its own) nothing is
materialised and the cards read the base tables, with the same results.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import (
    BigInteger, Column, Date, Float, Integer, MetaData, String, Table, func, insert, select, text, union_all,
)
from sqlmodel import Session

from literal_app.models.tracing import Score
from literal_app.models.types import UTCDateTime

_MEMO = "dashboard.shared_rows"
_names = itertools.count()

ROLLUP_SHAPE = ("day", "environment", "type", "name", "model", "prompt_version_id")
MEASURES = ("steps", "errors", "input_tokens", "output_tokens", "cost", "duration", "changes")


@contextmanager
def shared_rows(session: Session) -> Iterator[None]:
    """Share materialised rows between the cards computed inside; temporary tables are dropped after."""
    memo: dict = {}
    session.info[_MEMO] = memo
    try:
        yield
    finally:
        session.info.pop(_MEMO, None)
        for table in reversed([t for tables in memo.values() for t in tables]):
            table.drop(session.connection(), checkfirst=True)


@contextmanager
def _cached_data_costs(session: Session) -> Iterator[None]:
    """PostgreSQL's default random_page_cost (4) assumes spinning disks: it then prefers reading
    every step over following the thread index for the steps of tagged threads (1.3 s against
    0.3 s at 1M steps). The step table of a live project is cached, so price index reads as such
    for this statement only."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    previous = session.execute(text("SELECT current_setting('random_page_cost')")).scalar()
    session.execute(text("SELECT set_config('random_page_cost', '1.1', true)"))
    try:
        yield
    finally:
        session.execute(text("SELECT set_config('random_page_cost', :v, true)"), {"v": previous})


def _create_as(session: Session, table: Table, query) -> None:
    """``CREATE TEMPORARY TABLE ... AS <query>``: unlike INSERT ... SELECT, PostgreSQL may run the
    query with parallel workers. Parameters go through their types' bind processors (JSONB, UTC
    timestamps) as SQLAlchemy would."""
    dialect = session.get_bind().dialect
    compiled = query.compile(dialect=dialect)
    params = compiled.construct_params()
    procs = compiled._bind_processors  # noqa: SLF001 (no public way to process a raw statement's binds)
    params = {k: procs[k](v) if k in procs and v is not None else v for k, v in params.items()}
    args = tuple(params[k] for k in compiled.positiontup) if compiled.positiontup else params
    session.connection().exec_driver_sql(f"CREATE TEMPORARY TABLE {table.name} AS {compiled}", args)


def _memo(session: Session) -> dict | None:
    return session.info.get(_MEMO)


def _temp(name: str, *columns: Column) -> Table:
    return Table(name, MetaData(), *columns, prefixes=["TEMPORARY"])


def _step_table() -> Table:
    n = next(_names)
    return _temp(
        f"dash_steps_{n}", Column("id", String), Column("created_at", UTCDateTime()), Column("day", Date),
        Column("environment", String), Column("type", String), Column("name", String), Column("model", String),
        Column("prompt_version_id", String), Column("thread_id", String), Column("error", Integer),
        Column("input_tokens", BigInteger), Column("output_tokens", BigInteger), Column("cost", Float),
        Column("duration", Float), Column("raw_duration", Float), Column("ttft", Float),
        Column("throughput", Float))


def _rollup_table(n: str) -> Table:
    dims = [Column(c, Date if c == "day" else String) for c in ROLLUP_SHAPE]
    measures = [Column(c, Float if c in ("cost", "duration") else BigInteger) for c in MEASURES]
    return _temp(f"dash_rollup_{n}", *dims, *measures)


def matching_steps(session: Session, project_id: str, f) -> tuple[Table, Table] | None:
    """(matching steps, their rollup-shaped aggregate) for a raw-path filter inside ``shared_rows``;
    None outside it."""
    memo = _memo(session)
    if memo is None:
        return None
    key = ("steps", project_id, f)
    if key not in memo:
        from literal_app.services.dashboard.filters import step_selects  # noqa: PLC0415 (filters imports us)
        steps = _step_table()
        rollup = _rollup_table(steps.name.rsplit("_", 1)[1])
        conn = session.connection()
        memo[key] = (steps, rollup)
        query = union_all(*step_selects(session, project_id, f)).subquery()
        with _cached_data_costs(session):
            _create_as(session, steps, select(*[query.c[i].label(c.name) for i, c in enumerate(steps.columns)]))
        rollup.create(conn)
        s = steps.c
        agg = [func.count(), func.sum(s.error), func.sum(s.input_tokens), func.sum(s.output_tokens),
               func.sum(s.cost), func.sum(s.duration), func.count()]
        session.execute(insert(rollup).from_select(
            list(ROLLUP_SHAPE) + list(MEASURES),
            select(*[s[c] for c in ROLLUP_SHAPE], *agg).group_by(*[s[c] for c in ROLLUP_SHAPE])))
    return memo[key]


def matching_scores(session: Session, project_id: str, f, conditions) -> Table | None:
    """The scores of the range whose step matches ``f`` (``conditions`` on ``Score``),
    materialised once inside ``shared_rows``; None outside it."""
    memo = _memo(session)
    if memo is None:
        return None
    key = ("scores", project_id, f)
    if key not in memo:
        table = _temp(f"dash_scores_{next(_names)}", Column("id", String), Column("name", String),
                      Column("type", String), Column("value", Float), Column("label", String),
                      Column("step_id", String), Column("created_at", UTCDateTime()))
        table.create(session.connection())
        memo[key] = (table,)
        session.execute(insert(table).from_select(
            [c.name for c in table.columns],
            select(Score.id, Score.name, Score.type, Score.value, Score.label, Score.step_id, Score.created_at)
            .where(*conditions)))
    return memo[key][0]
