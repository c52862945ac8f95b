"""Generation payloads: normalisation, default token counts (tiktoken cl100k_base) and cost.

The payload is stored as the client sent it (camelCase keys, nulls dropped, ``id``/``createdAt``/
``stepId`` ignored: a generation's id is its step's id); searchable numbers are copied to columns.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.limits import CONTENT_MAX, check_json

_CAMEL = {"prompt_id": "promptId", "message_completion": "messageCompletion", "token_count": "tokenCount",
          "input_token_count": "inputTokenCount", "output_token_count": "outputTokenCount",
          "tt_first_token": "ttFirstToken", "token_throughput_in_seconds": "tokenThroughputInSeconds"}
_IGNORED = {"id", "createdAt", "created_at", "stepId", "step_id"}
_SHAPES = {"messages": list, "tools": list, "tags": list, "settings": dict, "variables": dict,
           "metadata": dict, "messageCompletion": dict}
_NUMBERS = ("tokenCount", "inputTokenCount", "outputTokenCount", "ttFirstToken", "tokenThroughputInSeconds",
            "duration")
GENERATION_MAX = 2 * CONTENT_MAX


def normalize(payload: dict | None) -> dict | None:
    """The non-null keys of a generation payload in camelCase, shape-checked; None when empty."""
    if not payload:
        return None
    if not isinstance(payload, dict):
        raise Invalid("generation must be an object.")
    g = {_CAMEL.get(k, k): v for k, v in payload.items() if v is not None and k not in _IGNORED}
    for key, kind in _SHAPES.items():
        if key in g and not isinstance(g[key], kind):
            raise Invalid(f"generation.{key} must be {'a list' if kind is list else 'an object'}.")
    for key in _NUMBERS:
        if key in g and (isinstance(g[key], bool) or not isinstance(g[key], (int, float))):
            raise Invalid(f"generation.{key} must be a number.")
        if key in g and not 0 <= g[key] < 2**63:  # negative counts would make negative costs
            raise Invalid(f"generation.{key} must be a non-negative number (got {g[key]!r}).")
    if g.get("type") not in (None, "CHAT", "COMPLETION"):
        raise Invalid(f"generation.type must be CHAT or COMPLETION, not {g['type']!r}.")
    return check_json(g, "generation", GENERATION_MAX) if g else None


def infer_type(g: dict) -> str:
    if g.get("type") in ("CHAT", "COMPLETION"):
        return g["type"]
    if "prompt" in g or "completion" in g:
        return "COMPLETION"
    return "CHAT"


@lru_cache
def _encoding():
    from literal_app.startup import seed_tiktoken_cache

    seed_tiktoken_cache()
    import tiktoken

    return tiktoken.get_encoding("cl100k_base")


def _text_of(value: Any) -> str:
    """The text a model reads in a message list, a message, or a string."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(_text_of(v) for v in value)
    if isinstance(value, dict):
        content = value.get("content")
        if isinstance(content, list):
            content = "\n".join(c.get("text", "") for c in content if isinstance(c, dict))
        parts = [content if isinstance(content, str) else ""]
        if value.get("tool_calls"):
            parts.append(json.dumps(value["tool_calls"]))
        if value.get("function_call"):
            parts.append(json.dumps(value["function_call"]))
        return "\n".join(p for p in parts if p)
    return json.dumps(value)


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=())) if text else 0


def with_token_counts(g: dict) -> dict:
    """Fill missing input/output/total token counts with cl100k_base estimates; keep given ones."""
    g = dict(g)
    chat = infer_type(g) == "CHAT"
    if "inputTokenCount" not in g:
        g["inputTokenCount"] = count_tokens(_text_of(g.get("messages") if chat else g.get("prompt")))
    if "outputTokenCount" not in g:
        g["outputTokenCount"] = count_tokens(_text_of(g.get("messageCompletion") if chat else g.get("completion")))
    if "tokenCount" not in g:
        g["tokenCount"] = int(g["inputTokenCount"] or 0) + int(g["outputTokenCount"] or 0)
    return g
