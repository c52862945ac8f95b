"""Small, dependency-free helpers: timestamps and JSON-safe copies of user data."""

import math
from datetime import datetime, timezone
from typing import Any

_ATOMS = (str, int, float, bool, type(None))


def utc_now() -> str:
    """Current UTC time as ISO-8601 with microseconds and a ``Z`` (the protocol's format)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def timestamp_utc(timestamp: float) -> str:
    """A POSIX timestamp in the protocol's ISO-8601 format."""
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def jsonable(value: Any, _depth: int = 0) -> Any:
    """A JSON-safe copy of ``value``: containers are copied, pydantic models dumped, bytes
    replaced by ``STRIPPED_BINARY_DATA``, anything else turned into its ``str``.

    Copying (rather than referencing) snapshots the data when a step captures it, so later
    mutation by user code does not change what is logged.
    """
    if isinstance(value, _ATOMS):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        return value
    if _depth > 40:
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v, _depth + 1) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return "STRIPPED_BINARY_DATA"
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        try:
            return jsonable({k: v for k, v in dump().items() if v is not None}, _depth + 1)
        except Exception:
            return str(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        try:
            return jsonable(to_dict(), _depth + 1)
        except Exception:
            return str(value)
    return str(value)


def strip_bytes(value: Any) -> Any:
    """Replace raw bytes anywhere in GraphQL variables by ``STRIPPED_BINARY_DATA``."""
    if isinstance(value, (bytes, bytearray)):
        return "STRIPPED_BINARY_DATA"
    if isinstance(value, dict):
        return {k: strip_bytes(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strip_bytes(v) for v in value]
    return value


def drop_none(data: dict) -> dict:
    """The dict without its ``None`` values (absent means "leave unchanged" on the server)."""
    return {k: v for k, v in data.items() if v is not None}
