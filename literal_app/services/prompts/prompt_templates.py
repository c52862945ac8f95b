"""Pure helpers for prompt templates: Mustache rendering exactly as the official clients do it,
variable extraction, and the normalisation used to decide whether a prompt changed.

No database access here: the prompt services, the playground and experiments share these.
"""

from __future__ import annotations

import copy
import html
import re
from typing import Any

import chevron

_TAG = re.compile(r"\{\{\{\s*([^}]+?)\s*\}\}\}|\{\{\s*([#^/&!>]?)\s*([^}]*?)\s*\}\}")
_MESSAGE_CLIENT_KEYS = ("uuid", "templated")  # added by the clients or the UI, not template content


def render_text(template: str, variables: dict[str, Any]) -> str:
    """Render one template string like the Python SDK: chevron, then HTML-unescape."""
    return html.unescape(chevron.render(template, variables))


def render_messages(template_messages: list[dict] | None, variables: dict[str, Any] | None = None,
                    defaults: dict[str, Any] | None = None) -> list[dict]:
    """Format chat template messages with ``variables`` over ``defaults`` (``format_messages``)."""
    values = {**(defaults or {}), **(variables or {})}
    out: list[dict] = []
    for message in template_messages or []:
        msg = {k: v for k, v in copy.deepcopy(message).items() if k not in _MESSAGE_CLIENT_KEYS}
        content = msg.get("content")
        if isinstance(content, str):
            msg["content"] = render_text(content, values)
        elif isinstance(content, list):
            for part in content:
                if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str):
                    part["text"] = render_text(part["text"], values)
        out.append(msg)
    return out


def _texts(template_messages: list[dict] | None) -> list[str]:
    texts: list[str] = []
    for message in template_messages or []:
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        if isinstance(content, str):
            texts.append(content)
        elif isinstance(content, list):
            texts += [p["text"] for p in content
                      if isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str)]
    return texts


def extract_variables(template_messages: list[dict] | None) -> list[dict[str, str]]:
    """The top-level Mustache variables of the templates, in order of first use.

    Tags inside a section refer to the section's items, so only the section name counts; a name
    used as a section (list or object) is a ``json`` variable, others are ``plaintext``.
    """
    found: dict[str, str] = {}
    for text in _texts(template_messages):
        depth = 0
        for m in _TAG.finditer(text):
            triple, sigil, name = m.group(1), m.group(2) or "", (m.group(3) or "").strip()
            if triple:
                sigil, name = "&", triple.strip()
            if sigil == "/":
                depth = max(0, depth - 1)
                continue
            if sigil in ("!", ">") or not name or name == ".":
                continue
            root = name.split(".")[0]
            if depth == 0:
                if sigil in ("#", "^"):
                    found[root] = "json"
                else:
                    found.setdefault(root, "plaintext")
            if sigil in ("#", "^"):
                depth += 1
    return [{"name": n, "language": lang} for n, lang in found.items()]


def normalize_messages(template_messages: Any) -> Any:
    """Template messages without client-only keys, for change detection."""
    if not isinstance(template_messages, list):
        return template_messages
    return [{k: v for k, v in m.items() if k not in _MESSAGE_CLIENT_KEYS} if isinstance(m, dict) else m
            for m in template_messages]


def empty_to_none(value: Any) -> Any:
    """``null``, ``[]`` and ``{}`` all mean "none" for tools and settings."""
    return None if value in (None, [], {}) else value


def settings_with_provider(settings: Any, fallback_provider: str | None) -> dict | None:
    """Settings as stored: a dict whose ``provider`` is filled from the previous version when the
    client sent settings it read back (the clients strip ``provider`` out of them)."""
    if not isinstance(settings, dict):
        settings = {}
    settings = dict(settings)
    if not settings.get("provider") and fallback_provider:
        settings["provider"] = fallback_provider
    return empty_to_none(settings)


def same_prompt(a_messages: Any, a_settings: Any, a_tools: Any,
                b_messages: Any, b_settings: Any, b_tools: Any) -> bool:
    """True when two prompt configurations are equal after normalisation."""
    return (normalize_messages(a_messages) == normalize_messages(b_messages)
            and empty_to_none(a_settings) == empty_to_none(b_settings)
            and empty_to_none(a_tools) == empty_to_none(b_tools))
