"""Formatting of service DTO fields into the plain strings page states hold."""

from __future__ import annotations

from datetime import datetime, timezone


def when(value: datetime | None, empty: str = "never") -> str:
    """``2026-11-26 14:05 UTC`` (or ``empty`` for None): stable, readable, sortable."""
    if value is None:
        return empty
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def counted(n: int, noun: str) -> str:
    """``1 version``, ``2 versions``, ``1,204 generations``: a count with its noun agreeing."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
