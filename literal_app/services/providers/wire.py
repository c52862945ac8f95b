"""What an adapter produces and consumes: the HTTP call to make, the parsed answer, and the
interface every wire format implements (OpenAI chat, Anthropic messages, Gemini, Bedrock Converse)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from literal_app.services.providers.shapes import Accumulator
from literal_app.services.providers.types import ChatRequest, ToolCall, Usage


@dataclass
class HttpCall:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes
    stream_format: Literal["sse", "eventstream", None] = None


@dataclass
class Parsed:
    text: str
    tool_calls: list[ToolCall]
    finish_reason: str
    usage: Usage
    model: str


@dataclass
class Adapter:
    """Base of the wire formats: ``build`` makes the request, ``parse`` reads a whole answer,
    ``feed`` reads one stream event into the accumulator and returns the common delta events."""

    provider: str
    label: str
    credential: Any  # ResolvedCredential
    extra: dict = field(default_factory=dict)

    def build(self, request: ChatRequest, stream: bool) -> HttpCall:
        raise NotImplementedError

    def parse(self, data: dict, request: ChatRequest) -> Parsed:
        raise NotImplementedError

    def feed(self, acc: Accumulator, event: str, data: str) -> list:
        raise NotImplementedError

    def error_text(self, body: Any) -> str:
        """The provider's own message out of an error body."""
        if isinstance(body, dict):
            err = body.get("error", body)
            if isinstance(err, dict):
                return str(err.get("message") or err.get("detail") or json.dumps(err)[:500])
            if isinstance(err, str):
                return err
            if isinstance(body.get("message"), str):
                return body["message"]
        return str(body)[:500]


def dumps(body: dict) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


def loads_event(data: str, label: str) -> dict:
    """One streamed JSON event, or ``ProviderError`` naming the malformed stream."""
    from literal_app.services.providers.types import ProviderError

    try:
        value = json.loads(data)
    except json.JSONDecodeError:
        raise ProviderError(f"{label} sent a malformed stream event: {data[:200]!r}")
    if not isinstance(value, dict):
        raise ProviderError(f"{label} sent a malformed stream event: {data[:200]!r}")
    return value


def clean_settings(out: dict, pairs: dict[str, Any]) -> dict:
    """``out`` with the ``pairs`` whose values are set (None and '' dropped)."""
    out.update({k: v for k, v in pairs.items() if v not in (None, "", [])})
    return out
