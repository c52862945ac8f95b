"""Which columns each Logs table shows, in which order, remembered per member in the browser's
localStorage (as Langfuse's tables and Phoenix's preferences do: a view preference, not data, so
it lives with the browser and costs the server nothing).

``order`` lists the table's column keys in display order and ``hidden`` the unchecked ones; keys a
newer version adds to a table appear at the end, keys it removed are dropped.
"""

from __future__ import annotations

import json

from literal_app.state.logs.columns import COLUMNS


def load(raw: str, member_id: str, table: str) -> tuple[list[str], set[str]]:
    """(order of every column key, hidden keys) for ``member_id``'s view of ``table``."""
    keys = [c.key for c in COLUMNS.get(table, [])]
    try:
        mine = json.loads(raw or "{}").get(member_id, {}).get(table, {})
        order = [k for k in mine.get("order", []) if k in keys]
        hidden = {k for k in mine.get("hidden", []) if k in keys}
    except (ValueError, AttributeError, TypeError):
        order, hidden = [], set()
    order += [k for k in keys if k not in order]
    if len(hidden) >= len(keys):
        hidden = set()  # never hide every column
    return order, hidden


def store(raw: str, member_id: str, table: str, order: list[str], hidden: set[str]) -> str:
    """``raw`` with ``member_id``'s view of ``table`` replaced."""
    try:
        data = json.loads(raw or "{}")
        data = data if isinstance(data, dict) else {}
    except ValueError:
        data = {}
    data.setdefault(member_id, {})[table] = {"order": order, "hidden": sorted(hidden)}
    return json.dumps(data, separators=(",", ":"))


def reset(raw: str, member_id: str, table: str) -> str:
    try:
        data = json.loads(raw or "{}")
        data.get(member_id, {}).pop(table, None)
    except (ValueError, AttributeError):
        data = {}
    return json.dumps(data, separators=(",", ":"))


def visible(table: str, order: list[str], hidden: set[str]) -> list[list[str]]:
    """[key, header, sort, index in COLUMNS] of the shown columns, in display order."""
    cols = {c.key: (i, c) for i, c in enumerate(COLUMNS.get(table, []))}
    return [[k, cols[k][1].header, cols[k][1].sort, str(cols[k][0])] for k in order if k not in hidden]


def choices(table: str, order: list[str], hidden: set[str]) -> list[list[str]]:
    """[key, header, "1" when shown else ""] of every column, in display order."""
    headers = {c.key: c.header for c in COLUMNS.get(table, [])}
    return [[k, headers[k], "" if k in hidden else "1"] for k in order]
