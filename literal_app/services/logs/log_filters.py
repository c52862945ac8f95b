"""The Logs pages' filter state: what the filter bar edits and the URL carries (so a view can be
shared), and its translation into filters of the list engine (``querying.Filter``).

Every value is kept as the string the user typed; ``engine_filters`` checks them and raises
``Invalid`` with a message naming the field.

Environment: empty means the default, every environment but ``evaluation`` (where LLM-as-judge
calls are logged: they never mix with production logs unless asked for) on the tables that can
hold them (generations and steps); ``*`` means every environment; any other value that one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta, timezone

from literal_app.services.kernel.errors import Invalid
from literal_app.services.logs.querying import Filter

EVALUATION_ENVIRONMENT = "evaluation"
ALL_ENVIRONMENTS = "*"
DEFAULT_ENV_TABLES = ("generations", "steps")  # judge calls are llm steps without a thread
PERIODS = {"1h": timedelta(hours=1), "24h": timedelta(days=1), "7d": timedelta(days=7),
           "30d": timedelta(days=30), "90d": timedelta(days=90)}
SORTS = {  # table -> sortable columns (engine order names)
    "threads": ("createdAt", "tokenCount", "cost", "stepCount"),
    "runs": ("createdAt", "duration", "tokenCount", "cost"),
    "generations": ("createdAt", "duration", "tokenCount", "cost", "ttft", "throughput"),
    "steps": ("createdAt", "duration", "tokenCount", "cost"),
    "scores": ("createdAt", "value"),
    "users": ("createdAt", "lastEngaged", "threadCount", "tokenCount", "cost"),
}
# URL parameter name for each field (short, stable: shared links depend on them)
URL_PARAMS = {"period": "period", "since": "from", "until": "to", "environment": "env", "name": "name",
           "tags": "tags", "participant": "user", "model": "model", "provider": "provider", "step_type": "type",
           "error": "error", "duration_min": "dmin", "duration_max": "dmax", "tokens_min": "tmin",
           "tokens_max": "tmax", "cost_min": "cmin", "cost_max": "cmax", "score_name": "score",
           "score_min": "smin", "score_max": "smax", "prompt_version": "prompt", "meta_key": "mkey",
           "meta_value": "mval", "search": "q", "target_type": "target", "sort": "sort", "direction": "dir"}


@dataclass(frozen=True)
class LogFilters:
    period: str = ""  # a PERIODS key, "custom" (since/until) or "" (all time)
    since: str = ""
    until: str = ""
    environment: str = ""
    name: str = ""
    tags: str = ""  # comma-separated
    participant: str = ""
    model: str = ""
    provider: str = ""
    step_type: str = ""
    error: str = ""  # "" | "yes" | "no"
    duration_min: str = ""
    duration_max: str = ""
    tokens_min: str = ""
    tokens_max: str = ""
    cost_min: str = ""
    cost_max: str = ""
    score_name: str = ""
    score_min: str = ""
    score_max: str = ""
    prompt_version: str = ""
    meta_key: str = ""
    meta_value: str = ""
    search: str = ""
    target_type: str = ""  # Scores: generation | run | thread | step
    sort: str = ""
    direction: str = ""

    def to_params(self) -> dict[str, str]:
        """Non-empty fields under their URL names."""
        return {URL_PARAMS[k]: v for k, v in asdict(self).items() if v}

    @classmethod
    def from_params(cls, params: dict) -> "LogFilters":
        by_param = {p: k for k, p in URL_PARAMS.items()}
        return cls(**{by_param[p]: str(v).strip() for p, v in (params or {}).items()
                      if p in by_param and v is not None and str(v).strip()})

    def with_(self, **changes: str) -> "LogFilters":
        return replace(self, **changes)

    def active_count(self) -> int:
        return sum(1 for f in fields(self) if f.name not in ("sort", "direction") and getattr(self, f.name))


def _number(value: str, what: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise Invalid(f"{what} must be a number.") from None


def _time(value: str, what: str) -> datetime:
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{what} must be a date like 2026-01-31 or 2026-01-31T14:00.") from None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _range(out: list, field: str, lo: str, hi: str, what: str) -> None:
    if lo:
        out.append(Filter(field, "gte", _number(lo, f"The minimum {what}")))
    if hi:
        out.append(Filter(field, "lte", _number(hi, f"The maximum {what}")))


def _time_filters(f: LogFilters, now: datetime) -> list[Filter]:
    if f.period in PERIODS:
        return [Filter("createdAt", "gte", now - PERIODS[f.period])]
    out = []
    if f.since:
        out.append(Filter("createdAt", "gte", _time(f.since, "The start date")))
    if f.until:
        until = _time(f.until, "The end date")
        if len(f.until) <= 10:  # a bare date includes that whole day
            until += timedelta(days=1)
        out.append(Filter("createdAt", "lt", until))
    return out


def engine_filters(f: LogFilters, table: str, now: datetime | None = None) -> list[Filter]:
    """The engine filters for ``table`` (threads | runs | generations | steps | scores)."""
    now = now or datetime.now(timezone.utc)
    out = _time_filters(f, now)
    if table == "users":  # the period is the engagement period; search looks at identifiers
        out = [Filter("lastEngagedAt", x.operator, x.value) for x in out]
        return out + ([Filter("identifier", "ilike", f.search)] if f.search else [])
    if f.environment == ALL_ENVIRONMENTS:
        pass
    elif f.environment:
        out.append(Filter("environment", "eq", f.environment))
    elif table in DEFAULT_ENV_TABLES:
        out.append(Filter("environment", "neq", EVALUATION_ENVIRONMENT))
    simple = (("name", f.name, "ilike"), ("model", f.model, "eq"),
              ("provider", f.provider, "eq"), ("participant", f.participant, "ilike"),
              ("search", f.search, "ilike"), ("promptVersionId", f.prompt_version, "eq"))
    out += [Filter(field, op, v) for field, v, op in simple if v]
    if f.tags:
        out.append(Filter("tags", "in", [t.strip() for t in f.tags.split(",") if t.strip()]))
    if f.step_type and table in ("steps", "scores"):  # a step type, or a score type on Scores
        out.append(Filter("type", "eq", f.step_type))
    if f.target_type and table == "scores":
        out.append(Filter("targetType", "eq", f.target_type))
    if f.error in ("yes", "no"):
        out.append(Filter("error", "nis" if f.error == "yes" else "is", None))
    _range(out, "duration", f.duration_min, f.duration_max, "duration")
    _range(out, "tokenCount", f.tokens_min, f.tokens_max, "token count")
    _range(out, "cost", f.cost_min, f.cost_max, "cost")
    if f.score_name or f.score_min or f.score_max:
        field = "value" if table == "scores" else "score"
        if table == "scores" and f.score_name:
            out.append(Filter("name", "eq", f.score_name))
        lo, hi = f.score_min, f.score_max
        if not lo and not hi and table != "scores":
            out.append(Filter(field, "nis", None, f.score_name or None))
        if lo:
            out.append(Filter(field, "gte", _number(lo, "The minimum score"), f.score_name or None))
        if hi:
            out.append(Filter(field, "lte", _number(hi, "The maximum score"), f.score_name or None))
    if f.meta_key:
        out.append(Filter("metadata", "eq" if f.meta_value else "nis", f.meta_value or None, f.meta_key))
    return out


def order_of(f: LogFilters, table: str) -> dict:
    column = f.sort if f.sort in SORTS.get(table, ()) else "createdAt"
    return {"column": column, "direction": "ASC" if f.direction.upper() == "ASC" else "DESC"}
