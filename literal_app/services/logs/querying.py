"""A table-driven list engine shared by every list of logs: filters, ordering, Relay pagination.

An entity is described once by an ``EntitySpec`` (``query_fields.py``): which filter fields exist
and how each turns into SQL, which columns can be ordered on. ``list_page`` then applies the
client's filters (``{field, operator, value, path}``, ANDed), orders (newest first by default) and
pages with opaque keyset cursors (``base64(json([order value, id]))``), on SQLite and PostgreSQL.

Operators (PROTOCOL.md 2.2): eq neq ilike nilike gt gte lt lte in nin is nis.
``ilike``/``nilike`` are case-insensitive *substring* matches unless the value contains ``%``.
On list-valued fields (tags) ``in`` means overlap and ``nin`` no overlap.
To add a filterable field, add a ``FieldSpec`` to the entity's table in ``query_fields.py``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, cast, exists, false, func, not_, or_, select, true, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, array
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session

from literal_app.services.kernel.errors import Invalid

DEFAULT_PAGE = 100
MAX_PAGE = 1000
OPERATORS = {"eq", "neq", "ilike", "nilike", "gt", "gte", "lt", "lte", "in", "nin", "is", "nis"}
ClauseBuilder = Callable[["Filter", str], ColumnElement]


@dataclass(frozen=True)
class Filter:
    field: str
    operator: str
    value: Any = None
    path: str | None = None

    @classmethod
    def parse(cls, raw: Any) -> "Filter":
        if isinstance(raw, Filter):
            return raw
        if not isinstance(raw, dict) or not raw.get("field") or not raw.get("operator"):
            raise Invalid("A filter needs a field and an operator.")
        return cls(str(raw["field"]), str(raw["operator"]), raw.get("value"), raw.get("path"))


@dataclass(frozen=True)
class FieldSpec:
    """How one filter field becomes SQL.

    ``kind``: string | number | datetime | json | list | bool. ``expr`` is the column (or a
    function of the JSON ``path`` for json fields). ``build`` overrides everything: a function
    ``(filter, dialect) -> clause`` for fields that test related rows (a thread's steps...).
    """

    kind: str
    expr: Any = None
    build: ClauseBuilder | None = None


@dataclass(frozen=True)
class EntitySpec:
    name: str
    model: Any
    id_col: Any
    fields: dict[str, FieldSpec]
    orders: dict[str, Any]  # column name -> non-null SQL expression
    default_order: str = "createdAt"


@dataclass(frozen=True)
class Page:
    rows: list
    cursors: list[str]
    has_next: bool
    has_previous: bool
    total_count: int

    @property
    def start_cursor(self) -> str | None:
        return self.cursors[0] if self.cursors else None

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


@dataclass(frozen=True)
class PageRequest:
    first: int | None = None
    after: str | None = None
    before: str | None = None
    last: int | None = None
    filters: list = field(default_factory=list)
    order_by: dict | None = None


# ---------------------------------------------------------------- clause helpers
def like_pattern(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text.lower() if "%" in text else f"%{text.lower()}%"


def parse_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("z", "Z"))
    except ValueError:
        raise Invalid(f"{value!r} is not an ISO-8601 date.") from None


def json_text(col: Any, path: str | None) -> Any:
    """The text at ``path`` (``a.b``) inside a JSON column, or the whole JSON as text."""
    if not path:
        return cast(col, String)
    return col[tuple(path.split("."))].as_string()


def json_number(col: Any, path: str) -> Any:
    return col[tuple(path.split("."))].as_float()


def overlap(col: Any, values: list, dialect: str) -> ColumnElement:
    """True when the JSON list ``col`` shares an element with ``values``."""
    values = [str(v) for v in values]
    if not values:
        return false()
    if dialect == "postgresql":
        return type_coerce(col, JSONB).has_any(cast(array(values), ARRAY(String)))
    each = func.json_each(col).table_valued("value")
    return exists(select(1).select_from(each).where(each.c.value.in_(values)))


def compare(expr: Any, kind: str, f: Filter, dialect: str) -> ColumnElement:
    """``expr <operator> value`` for a column of ``kind``."""
    op, value = f.operator, f.value
    if op not in OPERATORS:
        raise Invalid(f"Unknown filter operator {op!r} (use one of {', '.join(sorted(OPERATORS))}).")
    if op in ("is", "nis"):
        clause = expr.is_(None) if value is None else (expr == bool(value))
        if kind == "list" and value is None:
            clause = or_(expr.is_(None), cast(expr, String).in_(["[]", "null"]))
        return not_(clause) if op == "nis" else clause
    if kind == "list":
        if op in ("in", "eq"):
            return overlap(expr, value if isinstance(value, list) else [value], dialect)
        if op in ("nin", "neq"):
            return or_(expr.is_(None), not_(overlap(expr, value if isinstance(value, list) else [value], dialect)))
        if op in ("ilike", "nilike"):
            clause = func.lower(cast(expr, String)).like(like_pattern(value))
            return not_(clause) if op == "nilike" else clause
        raise Invalid(f"The operator {op!r} does not apply to a list field ({f.field}).")
    if kind == "datetime" and value is not None and op not in ("in", "nin"):
        value = parse_time(value)
    if kind == "number" and isinstance(value, str) and op not in ("ilike", "nilike"):
        try:
            value = float(value)
        except ValueError:
            raise Invalid(f"The filter on {f.field} needs a number.") from None
    if op == "eq":
        return expr == value if value is not None else expr.is_(None)
    if op == "neq":
        return or_(expr.is_(None), expr != value) if value is not None else expr.is_not(None)
    if op in ("ilike", "nilike"):
        clause = func.lower(cast(expr, String)).like(like_pattern(value))
        return or_(expr.is_(None), not_(clause)) if op == "nilike" else clause
    if op in ("in", "nin"):
        values = value if isinstance(value, list) else [value]
        return expr.in_(values) if op == "in" else or_(expr.is_(None), expr.not_in(values))
    if value is None:
        raise Invalid(f"The operator {op!r} on {f.field} needs a value.")
    return {"gt": expr > value, "gte": expr >= value, "lt": expr < value, "lte": expr <= value}[op]


def build_clause(spec: EntitySpec, f: Filter, dialect: str) -> ColumnElement:
    fs = spec.fields.get(f.field)
    if fs is None:
        raise Invalid(f"Cannot filter {spec.name} on {f.field!r} "
                      f"(filterable: {', '.join(sorted(spec.fields))}).")
    if fs.build is not None:
        return fs.build(f, dialect)
    if fs.kind == "json":
        if f.path and f.operator in ("gt", "gte", "lt", "lte") and isinstance(f.value, (int, float)):
            return compare(json_number(fs.expr, f.path), "number", f, dialect)
        return compare(json_text(fs.expr, f.path), "string", Filter(f.field, f.operator,
                       f.value if isinstance(f.value, (str, list)) or f.value is None else json.dumps(f.value)
                       if not isinstance(f.value, bool) else str(f.value).lower(), f.path), dialect)
    return compare(fs.expr, fs.kind, f, dialect)


# ---------------------------------------------------------------- cursors and pages
def encode_cursor(value: Any, row_id: str) -> str:
    raw = json.dumps([value.isoformat() if isinstance(value, datetime) else value, row_id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, is_time: bool) -> tuple[Any, str]:
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if is_time and value is not None:
            value = datetime.fromisoformat(value)
    except (ValueError, TypeError):
        raise Invalid("Invalid pagination cursor.") from None
    return value, row_id


def list_page(session: Session, spec: EntitySpec, base: Any, req: PageRequest,
              extra_where: list | None = None, with_total: bool = True) -> Page:
    """Run ``base`` (a select of ``spec.model`` already scoped to a project) as one page.

    ``with_total=False`` skips the count (``total_count`` is -1): the UI counts separately, capped.
    """
    dialect = session.get_bind().dialect.name
    where = [build_clause(spec, Filter.parse(f), dialect) for f in (req.filters or [])]
    where += extra_where or []
    query = base.where(*where) if where else base
    total = session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one() \
        if with_total else -1

    column = (req.order_by or {}).get("column") or spec.default_order
    if column not in spec.orders:
        raise Invalid(f"Cannot order {spec.name} by {column!r} (use {', '.join(sorted(spec.orders))}).")
    descending = str((req.order_by or {}).get("direction") or "DESC").upper() == "DESC"
    order_expr, id_col = spec.orders[column], spec.id_col
    backwards = bool(req.before) and not req.after
    forward_desc = descending != backwards
    limit = max(1, min(req.last if backwards and req.last else (req.first or DEFAULT_PAGE), MAX_PAGE))

    cursor = req.before if backwards else req.after
    if cursor:
        value, cid = decode_cursor(cursor, column in _TIME_COLUMNS)
        if forward_desc:
            query = query.where(or_(order_expr < value, and_(order_expr == value, id_col < cid)))
        else:
            query = query.where(or_(order_expr > value, and_(order_expr == value, id_col > cid)))
    ordering = (order_expr.desc(), id_col.desc()) if forward_desc else (order_expr.asc(), id_col.asc())
    rows = session.execute(query.add_columns(order_expr).order_by(*ordering).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    entities = [r[0] for r in rows]
    cursors = [encode_cursor(r[-1], getattr(r[0], "id")) for r in rows]
    has_next = more if not backwards else True
    has_previous = bool(req.after) if not backwards else more
    return Page(entities, cursors, has_next, has_previous, total)


_TIME_COLUMNS = {"createdAt", "startTime", "endTime", "lastEngaged", "updatedAt"}
__all__ = ["EntitySpec", "FieldSpec", "Filter", "Page", "PageRequest", "list_page", "overlap", "compare",
           "json_text", "like_pattern", "parse_time", "true"]
