"""The dashboard filter and the row sources every card aggregates.

A card never reads ``step`` directly for counts and sums: it aggregates ``step_rows``, which is the
daily rollup (exact, small) when the filter only uses rollup dimensions (dates, environment,
model), and otherwise an equivalent per-step projection of ``step`` with the same columns. So one
SQL shape serves both paths and both dialects.

Filter semantics: days are UTC days of a step's ``created_at`` (inclusive range); ``environment``
applies to steps, threads and scores (through their step), ``!name`` meaning every environment but
that one (the page's default is ``!evaluation``: LLM-as-judge calls stay out unless picked); ``model`` narrows LLM figures
(generations, tokens, cost, latency, prompts) and leaves runs and tools alone; ``run_name`` keeps
runs of that name and the steps inside them; ``tags`` keeps steps (and threads) carrying every
given tag on the step or on its thread.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import String, and_, case, cast, func, literal, or_, select, true, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session

from literal_app.models.tracing import Score, Step, Thread
from literal_app.services.dashboard import facet_sql, rollups
from literal_app.services.dashboard.shared import matching_scores, matching_steps
from literal_app.services.kernel.errors import Invalid

GENERATION_TYPES = ("llm", "embedding")
MAX_DAYS = 366


@dataclass(frozen=True)
class DashboardFilter:
    start: date
    end: date
    environment: str | None = None
    model: str | None = None
    run_name: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def last_days(cls, days: int, today: date | None = None, **kw) -> "DashboardFilter":
        """The ``days`` UTC days ending today (a preset of the filter bar)."""
        today = today or datetime.now(timezone.utc).date()
        return cls(start=today - timedelta(days=days - 1), end=today, **kw)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    @property
    def facet(self) -> str | None:
        """The one ``Step.facets`` value this filter narrows to (a run name or a single tag), if any."""
        if self.run_name and not self.tags and len(self.run_name) < facet_sql.NAME_MAX:
            return "r:" + self.run_name
        if len(self.tags) == 1 and not self.run_name and len(self.tags[0]) < facet_sql.TAG_MAX:
            return "t:" + self.tags[0]
        return None

    @property
    def uses_rollup(self) -> bool:
        """True when the daily rollups answer the filter: dates, environment and model are their
        columns; one run name or one tag reads the facet rollup."""
        return (not self.run_name and not self.tags) or self.facet is not None

    def previous(self) -> "DashboardFilter":
        """The period of the same length just before this one (for change badges)."""
        n = (self.end - self.start).days + 1
        return DashboardFilter(self.start - timedelta(days=n), self.start - timedelta(days=1),
                               self.environment, self.model, self.run_name, self.tags)

    def key(self) -> str:
        """A stable key of the non-date part (latency cache)."""
        raw = f"{self.environment}|{self.model}|{self.run_name}|{','.join(sorted(self.tags))}"
        return hashlib.sha1(raw.encode()).hexdigest()[:32]

    def check(self) -> "DashboardFilter":
        if self.end < self.start:
            raise Invalid("The end date must not be before the start date.")
        if (self.end - self.start).days >= MAX_DAYS:
            raise Invalid(f"Choose a date range of at most {MAX_DAYS} days.")
        return self


def env_match(column, environment: str) -> ColumnElement:
    """``column`` is ``environment``, or for ``!name`` is anything but ``name`` (none included)."""
    if environment.startswith("!"):
        return or_(column.is_(None), column != environment[1:])
    return column == environment


def day_of(session: Session, column) -> ColumnElement:
    """The UTC calendar day of a timestamp column, in the dialect at hand."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def as_date(value) -> date:
    """Days come back as ``date`` (PostgreSQL) or 'YYYY-MM-DD' (SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def bounds(f: DashboardFilter) -> tuple[datetime, datetime]:
    start = datetime(f.start.year, f.start.month, f.start.day, tzinfo=timezone.utc)
    return start, start + timedelta(days=(f.end - f.start).days + 1)


def tags_match(session: Session, column, tags: tuple[str, ...]) -> ColumnElement:
    """True when the JSON list ``column`` holds every tag (GIN-indexed ``@>`` on PostgreSQL)."""
    if not tags:
        return true()
    if session.get_bind().dialect.name == "postgresql":
        return type_coerce(column, JSONB).contains(list(tags))
    conds = [column.is_not(None)]  # first: most rows have no tags, and json_each is the cost
    for t in tags:
        je = func.json_each(column).table_valued("value").alias()
        conds.append(select(literal(1)).select_from(je).where(je.c.value == t).exists())
    return and_(*conds)


def has_facet(session: Session, facet: str, column=None) -> ColumnElement:
    """True when the step carries ``facet`` (``Step.facets``, or ``column``: a copy of it)."""
    column = Step.facets if column is None else column
    if session.get_bind().dialect.name == "postgresql":
        return type_coerce(column, JSONB).contains([facet])
    je = func.json_each(column).table_valued("value").alias()
    return and_(column.is_not(None), select(literal(1)).select_from(je).where(je.c.value == facet).exists())


def step_conditions(session: Session, actor_project: str, f: DashboardFilter,
                    dated: bool = True, tags: bool = True) -> list[ColumnElement]:
    """WHERE conditions on ``Step`` for the raw path (the rollup path has its own)."""
    start, end = bounds(f)
    conds = [Step.project_id == actor_project]
    if dated:
        conds += [Step.created_at >= start, Step.created_at < end]
    if f.environment:
        conds.append(env_match(Step.environment, f.environment))
    if f.model:
        conds.append(or_(Step.type.not_in(GENERATION_TYPES), Step.model == f.model))
    if f.facet:  # the step's facets say exactly whether it matches the run name or the tag
        conds.append(has_facet(session, f.facet))
    elif f.run_name:
        runs = select(Step.id).where(Step.project_id == actor_project, Step.type == "run",
                                     Step.name == f.run_name)
        conds.append(or_(and_(Step.type == "run", Step.name == f.run_name), Step.root_run_id.in_(runs)))
    if f.tags and tags and not f.facet:
        thread_tagged = select(Thread.id).where(Thread.project_id == actor_project,
                                                tags_match(session, Thread.tags, f.tags))
        conds.append(or_(tags_match(session, Step.tags, f.tags), Step.thread_id.in_(thread_tagged)))
    return conds


def step_rows(session: Session, project_id: str, f: DashboardFilter):
    """Rollup-shaped rows (day, environment, type, name, model, prompt_version_id + measures)."""
    if f.uses_rollup:
        r = rollups.rollup_rows(project_id) if f.facet is None else rollups.facet_rows(project_id, f.facet)
        conds = [r.c.day >= f.start, r.c.day <= f.end]
        if f.environment:
            conds.append(env_match(r.c.environment, f.environment))
        if f.model:
            conds.append(or_(r.c.type.not_in(GENERATION_TYPES), r.c.model == f.model))
        return select(r).where(*conds).subquery("rows")
    shared = matching_steps(session, project_id, f)
    if shared is not None:
        return select(shared[1]).subquery("rows")
    cols = [
        day_of(session, Step.created_at).label("day"),
        func.coalesce(Step.environment, "").label("environment"), Step.type.label("type"),
        func.substr(func.coalesce(Step.name, ""), 1, 200).label("name"),
        func.coalesce(Step.model, "").label("model"),
        func.coalesce(cast(Step.prompt_version_id, String), "").label("prompt_version_id"),
        literal(1).label("steps"), case((Step.error.is_not(None), 1), else_=0).label("errors"),
        func.coalesce(Step.input_token_count, 0).label("input_tokens"),
        func.coalesce(Step.output_token_count, 0).label("output_tokens"),
        func.coalesce(Step.cost, 0.0).label("cost"), func.coalesce(Step.duration, 0.0).label("duration"),
        literal(1).label("changes"),
    ]
    return select(*cols).where(*step_conditions(session, project_id, f)).subquery("rows")


def _narrow_columns(session: Session) -> list:
    """The columns of ``shared.matching_steps``' table, from ``Step``."""
    return [
        Step.id, Step.created_at, day_of(session, Step.created_at).label("day"),
        func.coalesce(Step.environment, "").label("environment"), Step.type,
        func.substr(func.coalesce(Step.name, ""), 1, 200).label("name"), func.coalesce(Step.model, "").label("model"),
        func.coalesce(cast(Step.prompt_version_id, String), "").label("prompt_version_id"), Step.thread_id,
        case((Step.error.is_not(None), 1), else_=0).label("error"),
        func.coalesce(Step.input_token_count, 0), func.coalesce(Step.output_token_count, 0),
        func.coalesce(Step.cost, 0.0), func.coalesce(Step.duration, 0.0), Step.duration, Step.tt_first_token,
        Step.token_throughput,
    ]


def step_selects(session: Session, project_id: str, f: DashboardFilter) -> list:
    """Selects (to be UNION ALLed) of the steps matching ``f``. A tag filter is split into the steps
    of tagged threads and the other steps carrying the tags themselves, so each part can use an
    index (a thread id lookup, the GIN index of step tags) instead of testing every step."""
    cols, base = _narrow_columns(session), step_conditions(session, project_id, f, tags=False)
    if not f.tags or f.facet:
        return [select(*cols).where(*base)]
    tagged = select(Thread.id).where(Thread.project_id == project_id, tags_match(session, Thread.tags, f.tags))
    return [select(*cols).where(*base, Step.thread_id.in_(tagged)),
            select(*cols).where(*base, tags_match(session, Step.tags, f.tags),
                                or_(Step.thread_id.is_(None), Step.thread_id.not_in(tagged)))]


def run_rows(session: Session, project_id: str, f: DashboardFilter):
    """Runs matching ``f`` with id, name, thread_id, environment, duration, error, created_at."""
    shared = None if f.uses_rollup else matching_steps(session, project_id, f)
    if shared is not None:
        t = shared[0].c
        return select(t.id, t.name, t.thread_id, t.environment, t.raw_duration.label("duration"),
                      t.error, t.created_at).where(t.type == "run").subquery("runs")
    start, end = bounds(f)
    created = unindexed(session, Step.created_at)
    return select(Step.id, Step.name, Step.thread_id, Step.environment, Step.duration,
                  case((Step.error.is_not(None), 1), else_=0).label("error"), Step.created_at).where(
        *step_conditions(session, project_id, f, dated=False), created >= start, created < end,
        Step.type == "run").subquery("runs")


def unindexed(session: Session, column):
    """``column`` as SQLite must not use an index of: a top-N by duration or cost over a date range
    then walks the (project, type, duration) index and stops after N rows instead of sorting every
    row of the range (1.9 s -> ms at 1M steps). PostgreSQL plans this well by itself."""
    return func.coalesce(column, column) if session.get_bind().dialect.name == "sqlite" else column


def score_rows(session: Session, project_id: str, f: DashboardFilter):
    """Scores of the range whose step matches ``f``: id, name, type, value, label, step_id, created_at."""
    conds = score_conditions(session, project_id, f)
    if f.environment or f.model or f.run_name or f.tags:
        shared = matching_scores(session, project_id, f, conds)
        if shared is not None:
            return select(shared).subquery("scores")
    return select(Score.id, Score.name, Score.type, Score.value, Score.label, Score.step_id,
                  Score.created_at).where(*conds).subquery("scores")


def thread_conditions(session: Session, project_id: str, f: DashboardFilter,
                      dated: bool = True) -> list[ColumnElement]:
    """Threads created in the range (environment and tags apply; model and run name do not)."""
    start, end = bounds(f)
    conds = [Thread.project_id == project_id]
    if dated:
        conds += [Thread.created_at >= start, Thread.created_at < end]
    if f.environment:
        conds.append(env_match(Thread.environment, f.environment))
    if f.tags:
        conds.append(tags_match(session, Thread.tags, f.tags))
    return conds


def score_conditions(session: Session, project_id: str, f: DashboardFilter) -> list[ColumnElement]:
    """Scores created in the range; the other filters apply to the scored step, whose environment,
    type, model and facets the score carries (``Score.step_*``, kept by triggers). Several tags or a
    run name with tags look each step up (a correlated EXISTS)."""
    start, end = bounds(f)
    conds = [Score.project_id == project_id, Score.created_at >= start, Score.created_at < end]
    if not (f.environment or f.model or f.run_name or f.tags):
        return conds
    if (f.run_name or f.tags) and not f.facet:
        conds.append(select(Step.id).where(Step.id == Score.step_id,
                                           *step_conditions(session, project_id, f, dated=False))
                     .correlate(Score).exists())
        return conds
    conds.append(Score.step_type.is_not(None))  # a step of the project was scored
    if f.environment:
        conds.append(env_match(Score.step_environment, f.environment))
    if f.model:
        conds.append(or_(Score.step_type.not_in(GENERATION_TYPES), Score.step_model == f.model))
    if f.facet:
        conds.append(has_facet(session, f.facet, Score.step_facets))
    return conds
