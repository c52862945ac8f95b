"""The two custom scalars of the contract: ``Json`` (any JSON value) and ``DateTime`` (ISO-8601).

DateTime accepts every shape the clients send (``...123456Z``, ``...+00:00``, ``...123Z``, naive
times taken as UTC) and is emitted as ISO-8601 in UTC with a ``Z`` suffix.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ariadne import ScalarType
from graphql import StringValueNode
from graphql.utilities import value_from_ast_untyped

json_scalar = ScalarType("Json")
datetime_scalar = ScalarType("DateTime")


@json_scalar.serializer
def serialize_json(value: Any) -> Any:
    return value


@json_scalar.value_parser
def parse_json_value(value: Any) -> Any:
    return value


@json_scalar.literal_parser
def parse_json_literal(ast, variables=None) -> Any:
    return value_from_ast_untyped(ast, variables)


def parse_datetime(value: Any) -> datetime:
    """An aware UTC datetime from an ISO-8601 string; ValueError with a readable message otherwise."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, str):
        try:
            dt = datetime.fromisoformat(value.strip().replace("z", "Z"))
        except ValueError:
            raise ValueError(f"{value[:40]!r} is not an ISO-8601 date-time.") from None
    else:
        raise ValueError("A DateTime must be an ISO-8601 string.")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


@datetime_scalar.serializer
def serialize_datetime(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


@datetime_scalar.value_parser
def parse_datetime_value(value: Any) -> datetime:
    return parse_datetime(value)


@datetime_scalar.literal_parser
def parse_datetime_literal(ast, variables=None) -> datetime:
    if not isinstance(ast, StringValueNode):
        raise ValueError("A DateTime literal must be a string.")
    return parse_datetime(ast.value)


scalars = [json_scalar, datetime_scalar]
