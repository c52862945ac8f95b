"""Saving a playground template as a prompt version: a new version of an existing prompt or a new
prompt, with a changelog, an optional promotion (the version becomes the only one served by
name), the diff against the version the draft started from, and SDK snippets to fetch it."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.validation import clean_name
from literal_app.services.playground.editor import to_template
from literal_app.services.prompts import prompt_rollouts, prompts


@dataclass(frozen=True)
class SavedVersion:
    version_id: str
    lineage_id: str
    name: str
    version: int
    created: bool  # False when nothing changed and the latest version was returned
    promoted: bool


def stored_settings(provider: str, model: str, settings: dict[str, Any], output: dict[str, Any]) -> dict:
    """Settings as a prompt version stores them: provider, model, the sampling settings, and the
    output type as an OpenAI-style ``response_format`` (``score_schema`` names the schema id)."""
    out = {"provider": provider, "model": model, **settings}
    kind = output.get("kind") or "text"
    if kind == "json_object":
        out["response_format"] = {"type": "json_object"}
    elif kind == "json_schema":
        out["response_format"] = {"type": "json_schema", "json_schema": {"name": "answer", "schema": output.get("schema")}}
    elif kind == "score_schema":
        out["response_format"] = {"type": "score_schema", "score_schema_id": output.get("score_schema_id")}
    return {k: v for k, v in out.items() if v not in (None, "")}


def _text(messages: list[dict], settings: dict, tools: list) -> list[str]:
    lines = []
    for m in messages:
        lines.append(f"[{m.get('role')}]")
        content = m.get("content")
        lines += (content if isinstance(content, str) else json.dumps(content, indent=2)).splitlines() or [""]
        if m.get("tool_calls"):
            lines += json.dumps(m["tool_calls"], indent=2).splitlines()
    lines += ["[settings]"] + json.dumps(settings, indent=2, sort_keys=True).splitlines()
    lines += ["[tools]"] + (json.dumps(tools, indent=2).splitlines() if tools else ["none"])
    return lines


def diff(session: Session, actor: Actor, base_version_id: str | None, messages: list[dict],
         settings: dict, tools: list) -> list[str]:
    """Unified diff lines of the draft against ``base_version_id`` (every line added when none)."""
    require(actor, "prompts:read")
    base = prompts.get_version(session, actor, id=base_version_id) if base_version_id else None
    old = _text(base.template_messages or [], base.settings or {}, base.tools or []) if base else []
    new = _text(to_template(messages), settings, tools)
    label = f"v{base.version}" if base else "(nothing)"
    return list(difflib.unified_diff(old, new, label, "draft", n=2, lineterm=""))


def save_version(session: Session, actor: Actor, *, messages: list[dict], settings: dict, tools: list,
                 variables: dict[str, str], changelog: str, lineage_id: str | None = None,
                 new_name: str | None = None, promote: bool = False) -> SavedVersion:
    """Save as a new version of ``lineage_id`` or as a new prompt named ``new_name``."""
    require(actor, "prompts:write")
    changelog = (changelog or "").strip()
    if not changelog:
        raise Invalid("Write a changelog: what changed in this version and why.")
    if not messages:
        raise Invalid("A prompt needs at least one message.")
    if not lineage_id:
        name = clean_name(new_name, "Prompt name", 256)
        if prompts.get_lineage_by_name(session, actor, name) is not None:
            raise Invalid(f"A prompt named {name!r} already exists: save as a new version of it or pick another name.")
        lineage_id = prompts.get_or_create_lineage(session, actor, name=name).id
    before = {v.id for v in prompts.list_versions(session, actor, lineage_id)}
    v = prompts.create_version(session, actor, lineage_id=lineage_id, template_messages=to_template(messages),
                               settings=settings, tools=tools or None, variables_default_values=variables or None,
                               changelog=changelog)
    if promote:
        prompt_rollouts.update_rollouts(session, actor, v.name, [{"version": v.version, "rollout": 100}])
    return SavedVersion(v.id, v.lineage_id, v.name, v.version, v.id not in before, promote)


def snippets(name: str, version: int | None) -> dict[str, str]:
    """Python and TypeScript code fetching this prompt (and version) with the official SDKs."""
    pinned = f", version={version}" if version is not None else ""
    ts_pinned = f", {version}" if version is not None else ""
    python = (f"from literalai import LiteralClient\n\nclient = LiteralClient()  # LITERAL_API_KEY, LITERAL_API_URL\n"
              f"prompt = client.api.get_prompt(name={name!r}{pinned})\n"
              f"messages = prompt.format_messages(**variables)\n"
              f"# with OpenAI: client.instrument_openai(); openai.chat.completions.create(messages=messages, **prompt.settings)")
    typescript = (f"import {{ LiteralClient }} from '@literalai/client';\n\n"
                  f"const client = new LiteralClient();  // LITERAL_API_KEY, LITERAL_API_URL\n"
                  f"const prompt = await client.api.getPrompt({json.dumps(name)}{ts_pinned});\n"
                  f"const messages = prompt.formatMessages(variables);")
    return {"python": python, "typescript": typescript}
