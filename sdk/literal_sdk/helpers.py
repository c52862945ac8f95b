"""Small, dependency-free helpers: timestamps and JSON-safe copies of user data."""

import math
import os
import time
from datetime import datetime, timezone
from typing import Any


_clock = {"second": -1, "prefix": ""}


def utc_now() -> str:
    """Current UTC time as ISO-8601 with microseconds and a ``Z`` (the protocol's format).

    The date part is formatted once per second: ``strftime`` dominates the cost of a step.
    """
    now = time.time()
    second = int(now)
    if second != _clock["second"]:
        _clock["prefix"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        _clock["second"] = second
    return f"{_clock['prefix']}.{int((now - second) * 1e6):06d}Z"


def timestamp_utc(timestamp: float) -> str:
    """A POSIX timestamp in the protocol's ISO-8601 format."""
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_id() -> str:
    """A random (version 4) UUID string, without the cost of building a ``uuid.UUID``."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of ``value``: containers are copied, pydantic models dumped, bytes
    replaced by ``STRIPPED_BINARY_DATA``, anything else turned into its ``str``.

    Copying (rather than referencing) snapshots the data when a step captures it, so later
    mutation by user code does not change what is logged.
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        return {(k if type(k) is str else str(k)): jsonable(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [jsonable(v) for v in value]
    try:
        return _jsonable_other(value)
    except RecursionError:
        return str(value)


def _jsonable_other(value: Any) -> Any:
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else str(value)
    if isinstance(value, (str, int)):  # subclasses (enums, ...)
        return value.value if hasattr(value, "value") and isinstance(value.value, (str, int)) else value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return "STRIPPED_BINARY_DATA"
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        try:
            return jsonable({k: v for k, v in dump().items() if v is not None})
        except Exception:
            return str(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        try:
            return jsonable(to_dict())
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
