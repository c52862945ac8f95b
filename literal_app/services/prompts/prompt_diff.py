"""Comparing two versions of a prompt: the messages line by line, the settings key by key, the tools
as JSON lines and the output type, so a reviewer sees exactly what a new version changed."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from literal_app.models.prompts import PromptVersion
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned

_NOT_SETTINGS = ("response_format",)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # same | add | del | hunk
    text: str


@dataclass(frozen=True)
class SettingChange:
    key: str
    old: str
    new: str


@dataclass(frozen=True)
class VersionDiff:
    old_version: int
    new_version: int
    messages: list[DiffLine]
    settings: list[SettingChange]
    tools: list[DiffLine]
    old_output: str
    new_output: str


def output_type(settings: dict | None) -> str:
    """The version's output type as a label: text, JSON object, JSON schema or score schema."""
    fmt = (settings or {}).get("response_format") or {}
    kind = fmt.get("type") if isinstance(fmt, dict) else None
    if kind == "json_schema":
        schema = (fmt.get("json_schema") or {}).get("schema")
        return "JSON schema " + json.dumps(schema, sort_keys=True) if schema else "JSON schema"
    return {"json_object": "JSON object", "score_schema": "Score schema"}.get(kind, "Text")


def message_lines(messages: list | None) -> list[str]:
    """Template messages as text lines: a ``[role]`` line then its content lines."""
    lines: list[str] = []
    for m in messages or []:
        if not isinstance(m, dict):
            continue
        lines.append(f"[{m.get('role')}]")
        content = m.get("content")
        if isinstance(content, list):
            content = "\n".join(p.get("text", "") if isinstance(p, dict) and p.get("type") == "text"
                                else f"<{p.get('type', 'part') if isinstance(p, dict) else 'part'}>"
                                for p in content)
        lines += (content if isinstance(content, str) else json.dumps(content)).splitlines() or [""]
    return lines


def _line_diff(old: list[str], new: list[str]) -> list[DiffLine]:
    """Every line of both sides, marked same/add/del (a full side-by-side reading, not hunks)."""
    out: list[DiffLine] = []
    for line in difflib.ndiff(old, new):
        tag, text = line[:2], line[2:]
        if tag == "? ":
            continue
        out.append(DiffLine({"+ ": "add", "- ": "del"}.get(tag, "same"), text))
    return out


def _fmt(value: Any) -> str:
    return "—" if value is None else value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _settings(old: dict, new: dict) -> list[SettingChange]:
    keys = sorted((set(old) | set(new)) - set(_NOT_SETTINGS))
    return [SettingChange(k, _fmt(old.get(k)), _fmt(new.get(k))) for k in keys if old.get(k) != new.get(k)]


def diff_versions(session: Session, actor: Actor, old_id: str, new_id: str) -> VersionDiff:
    """What changed from version ``old_id`` to ``new_id`` (two versions of one prompt)."""
    require(actor, "prompts:view")
    old = owned(session, PromptVersion, old_id, actor, "Prompt version not found.")
    new = owned(session, PromptVersion, new_id, actor, "Prompt version not found.")
    if old.lineage_id != new.lineage_id:
        raise Invalid("Pick two versions of the same prompt to compare.")
    if old.version > new.version:
        old, new = new, old
    tools = lambda v: json.dumps(v.tools, indent=2, sort_keys=True).splitlines() if v.tools else []  # noqa: E731
    return VersionDiff(old.version, new.version, _line_diff(message_lines(old.template_messages),
                                                            message_lines(new.template_messages)),
                       _settings(old.settings or {}, new.settings or {}), _line_diff(tools(old), tools(new)),
                       output_type(old.settings), output_type(new.settings))
