"""Helpers shared by the adapters: checking a tool list, reading images and tool calls out of
the common messages, the JSON-answer instruction for providers without a native JSON mode, and
the stream accumulator that turns provider deltas into common events and a final answer."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Any

from literal_app.services.kernel.errors import Invalid
from literal_app.services.providers.types import (ChatRequest, Message, TextDelta, ToolCall, ToolCallDelta,
                                                  Usage)

_DATA_URL = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+);base64,(?P<data>.+)$", re.S)
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def check_tools(tools: Any) -> list[dict]:
    """A list of OpenAI-style function tools, or ``Invalid`` saying what is wrong with which tool."""
    if tools in (None, "", []):
        return []
    if not isinstance(tools, list):
        raise Invalid("Tools must be a JSON list of function tools: [{\"type\": \"function\", \"function\": {...}}].")
    names: set[str] = set()
    for i, tool in enumerate(tools, 1):
        fn = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(tool, dict) or tool.get("type") != "function" or not isinstance(fn, dict):
            raise Invalid(f"Tool {i} must be {{\"type\": \"function\", \"function\": {{\"name\": ..., \"parameters\": ...}}}}.")
        name = fn.get("name")
        if not isinstance(name, str) or not _NAME.match(name):
            raise Invalid(f"Tool {i} needs a name of letters, digits, _ or - (at most 64).")
        if name in names:
            raise Invalid(f"Two tools are named {name!r}.")
        names.add(name)
        params = fn.get("parameters", {"type": "object", "properties": {}})
        if not isinstance(params, dict) or params.get("type", "object") != "object":
            raise Invalid(f"Tool {name!r}: parameters must be a JSON schema of type object.")
    return tools


def tool_parts(tool: dict) -> tuple[str, str, dict]:
    """(name, description, parameters schema) of an OpenAI-style tool."""
    fn = tool["function"]
    return fn["name"], fn.get("description") or "", fn.get("parameters") or {"type": "object", "properties": {}}


def data_url(url: str) -> tuple[str, bytes] | None:
    """(mime type, bytes) of a ``data:`` URL; None for other URLs."""
    found = _DATA_URL.match(url or "")
    if not found:
        return None
    try:
        return found["mime"], base64.b64decode(found["data"])
    except ValueError:
        raise Invalid("An image is not valid base64 data.")


def image_url(part: dict) -> str:
    value = part.get("image_url")
    return value.get("url", "") if isinstance(value, dict) else str(value or "")


def tool_arguments(call: ToolCall) -> dict:
    """A tool call's arguments as an object (providers other than OpenAI send objects)."""
    try:
        value = json.loads(call.arguments or "{}")
    except json.JSONDecodeError:
        return {"arguments": call.arguments}
    return value if isinstance(value, dict) else {"value": value}


def tool_names_by_id(messages: list[Message]) -> dict[str, str]:
    return {c.id: c.name for m in messages for c in m.tool_calls}


def json_instruction(request: ChatRequest) -> str:
    """A system instruction asking for JSON, for providers without a native JSON output mode."""
    out = request.output
    if not out.wants_json:
        return ""
    text = "Answer with one JSON object only, no prose and no code fences."
    if out.schema:
        text += " It must validate against this JSON schema:\n" + json.dumps(out.schema)
    return text


def system_text(request: ChatRequest) -> str:
    parts = [m.text() for m in request.messages if m.role == "system"]
    extra = json_instruction(request)
    return "\n\n".join(p for p in [*parts, extra] if p)


def int_setting(settings: dict, name: str) -> int | None:
    value = settings.get(name)
    return int(value) if value not in (None, "") else None


def stops(settings: dict) -> list[str]:
    value = settings.get("stop")
    if isinstance(value, str):
        value = [value]
    return [s for s in (value or []) if isinstance(s, str) and s][:4]


@dataclass
class Accumulator:
    """Collects streamed text and tool calls (by index) and emits the common delta events."""

    text: list[str] = field(default_factory=list)
    calls: dict[int, list[str]] = field(default_factory=dict)  # index -> [id, name, arguments]
    finish_reason: str | None = None
    usage: Usage = field(default_factory=Usage)
    model: str = ""
    finished: bool = False

    def add_text(self, text: str) -> list:
        if not text:
            return []
        self.text.append(text)
        return [TextDelta(text)]

    def add_call(self, index: int, id: str = "", name: str = "", arguments: str = "") -> list:
        slot = self.calls.setdefault(index, ["", "", ""])
        slot[0] = slot[0] or id
        slot[1] = slot[1] or name
        slot[2] += arguments
        return [ToolCallDelta(index, id, name, arguments)]

    def tool_calls(self) -> list[ToolCall]:
        return [ToolCall(c[0] or f"call_{i}", c[1], c[2]) for i, c in sorted(self.calls.items())]

    def full_text(self) -> str:
        return "".join(self.text)
