"""Editor messages <-> stored template messages, variable detection, and the checks the editor
runs as you type (tools JSON, output schema). Pure functions: no database."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import SchemaError
from jsonschema.validators import validator_for

from literal_app.services.kernel.errors import Invalid
from literal_app.services.prompts.prompt_templates import extract_variables, render_messages
from literal_app.services.providers.shapes import check_tools
from literal_app.services.providers.types import Message, OutputType, ToolCall

ROLES = ("system", "user", "assistant", "tool")
OUTPUT_KINDS = ("text", "json_object", "json_schema", "score_schema")


def editor_message(role: str = "user", content: str = "", images: list[str] | None = None,
                   tool_call_id: str = "", tool_calls: list[dict] | None = None) -> dict:
    return {"role": role if role in ROLES else "user", "content": content, "images": list(images or []),
            "tool_call_id": tool_call_id or "", "tool_calls": list(tool_calls or [])}


def _text_and_images(content: Any) -> tuple[str, list[str]]:
    if isinstance(content, str):
        return content, []
    if content is None:
        return "", []
    if isinstance(content, list):
        texts = [p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"]
        images = [((p.get("image_url") or {}).get("url") if isinstance(p.get("image_url"), dict) else p.get("image_url"))
                  for p in content if isinstance(p, dict) and p.get("type") == "image_url"]
        return "\n".join(texts), [i for i in images if i]
    return json.dumps(content), []


def _calls(raw: Any) -> list[dict]:
    out = []
    for i, c in enumerate(raw or []):
        if not isinstance(c, dict):
            continue
        fn = c.get("function") or c
        args = fn.get("arguments", "")
        out.append({"id": c.get("id") or f"call_{i}", "name": fn.get("name") or "",
                    "arguments": args if isinstance(args, str) else json.dumps(args)})
    return out


def from_template(messages: Any) -> list[dict]:
    """Editor messages from stored template or logged generation messages (OpenAI-style)."""
    out = []
    for m in messages or []:
        if not isinstance(m, dict):
            continue
        text, images = _text_and_images(m.get("content"))
        out.append(editor_message(str(m.get("role") or "user").lower(), text, images, m.get("tool_call_id") or "",
                                  _calls(m.get("tool_calls"))))
    return out


def to_template(messages: list[dict]) -> list[dict]:
    """Stored template messages (what the SDKs read back) from editor messages."""
    out = []
    for m in messages:
        images = [u for u in m.get("images") or [] if u]
        content: Any = m.get("content") or ""
        if images:
            content = ([{"type": "text", "text": content}] if content else []) + [
                {"type": "image_url", "image_url": {"url": u}} for u in images]
        msg: dict = {"role": m["role"], "content": content}
        if m["role"] == "tool" and m.get("tool_call_id"):
            msg["tool_call_id"] = m["tool_call_id"]
        if m["role"] == "assistant" and m.get("tool_calls"):
            msg["tool_calls"] = [{"id": c["id"], "type": "function",
                                  "function": {"name": c["name"], "arguments": c["arguments"]}} for c in m["tool_calls"]]
        out.append(msg)
    return out


def variables_of(messages: list[dict]) -> list[str]:
    """The Mustache variables the messages use, in order of first use (sections count once)."""
    return [v["name"] for v in extract_variables(to_template(messages))]


def parse_tools(text: str) -> list[dict]:
    """The tools JSON editor's content as a checked function tool list ([] when empty)."""
    if not (text or "").strip():
        return []
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Invalid(f"Tools: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}.")
    return check_tools(value)


def parse_schema(text: str) -> dict:
    """The JSON schema editor's content, checked to be a valid JSON schema object."""
    try:
        value = json.loads(text or "")
    except json.JSONDecodeError as exc:
        raise Invalid(f"Schema: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}.")
    if not isinstance(value, dict):
        raise Invalid("Schema: a JSON schema is an object, e.g. {\"type\": \"object\", \"properties\": {...}}.")
    try:
        validator_for(value).check_schema(value)
    except SchemaError as exc:
        raise Invalid(f"Schema: not a valid JSON schema: {exc.message}")
    return value


def score_output(schema) -> OutputType:
    """The output a score schema asks for: ``{"reason": str, "category": <one of its categories>}``
    (a number in its range for a continuous schema)."""
    if schema.type == "categorical":
        category = {"type": "string", "enum": [c.label for c in schema.categories or []]}
    else:
        category = {"type": "number", **({"minimum": schema.min_value} if schema.min_value is not None else {}),
                    **({"maximum": schema.max_value} if schema.max_value is not None else {})}
    return OutputType("score_schema", {"type": "object", "properties": {"reason": {"type": "string"},
                                                                      "category": category},
                                       "required": ["reason", "category"], "additionalProperties": False},
                      "score")


def rendered(messages: list[dict], values: dict[str, Any]) -> list[Message]:
    """The editor messages rendered with chevron into provider messages."""
    unknown = [v for v in variables_of(messages) if v not in values]
    if unknown:
        raise Invalid(f"No value for the variable(s) {', '.join(unknown)}: fill them in or remove them.")
    out = []
    for m, r in zip(messages, render_messages(to_template(messages), {k: _value(v) for k, v in values.items()})):
        calls = [ToolCall(c["id"], c["name"], c["arguments"]) for c in m.get("tool_calls") or []]
        out.append(Message(m["role"], r["content"], calls, m.get("tool_call_id") or None))
    return out


def _value(value: Any) -> Any:
    """A variable's value for chevron: JSON lists and objects become data, so sections loop."""
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def check_answer(text: str, output: OutputType) -> str:
    """'' when the answer fits the output type, else what is wrong (shown under the answer)."""
    if not output.wants_json:
        return ""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"The answer is not valid JSON: {exc.msg} (line {exc.lineno})."
    if output.schema:
        errors = sorted(validator_for(output.schema)(output.schema).iter_errors(value), key=lambda e: e.path)
        if errors:
            where = "/".join(str(p) for p in errors[0].path) or "the answer"
            return f"The answer does not match the schema at {where}: {errors[0].message}"
    return ""
