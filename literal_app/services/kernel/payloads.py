"""How a logged input/output/metadata value is shown: plain text, JSON and YAML renderings,
cut at a size limit so no page ships megabytes (the full value is loaded on demand).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

PREVIEW_LIMIT = 20_000  # characters sent with a detail page per payload
WHOLE_LIMIT = 3 * 1024 * 1024  # the largest value the protocol accepts


@dataclass(frozen=True)
class PayloadView:
    """One value in its three views. ``truncated`` means the views hold only the start."""

    empty: bool
    text: str
    json: str
    yaml: str
    size: int
    truncated: bool


def _as_text(value: Any) -> str | None:
    """The human text of a value: a string, or the ``content`` of a message-like object."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("content", "text", "answer", "question", "query", "output", "input"):
            if isinstance(value.get(key), str) and len(value) <= 3:
                return value[key]
    return None


def _cut(s: str, limit: int) -> str:
    return s if len(s) <= limit else s[:limit] + "\n…"


def render(value: Any, limit: int | None = PREVIEW_LIMIT) -> PayloadView:
    """Render ``value``; with ``limit`` set, each view holds at most ``limit`` characters."""
    if value is None or value == {} or value == []:
        return PayloadView(True, "", "", "", 0, False)
    as_json = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    size = len(as_json)
    cap = limit or max(size, 1)
    truncated = size > cap
    text = _as_text(value)
    text = _cut(text if text is not None else as_json, cap)
    if truncated:  # YAML of a huge value is expensive and useless cut: show JSON's start instead
        return PayloadView(False, text, _cut(as_json, cap), _cut(as_json, cap), size, True)
    as_yaml = yaml.safe_dump(json.loads(as_json), allow_unicode=True, sort_keys=False, width=100)
    return PayloadView(False, text, as_json, as_yaml, size, False)


def preview(value: Any, chars: int = 200) -> str:
    """A one-line preview of a value for table cells."""
    if value is None:
        return ""
    text = _as_text(value)
    if text is None:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1] + "…"
