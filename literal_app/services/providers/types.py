"""The common request and result shapes every provider adapter speaks, and the one error type."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from literal_app.services.kernel.errors import DomainError

Role = Literal["system", "user", "assistant", "tool"]
SETTING_NAMES = ("temperature", "max_tokens", "top_p", "frequency_penalty", "presence_penalty", "stop")


class ProviderError(DomainError):
    """A provider refused or failed a call; ``message`` names the provider and quotes its answer."""

    status_code = 502

    def __init__(self, message: str, *, provider: str = "", status: int | None = None,
                 retryable: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.provider = provider
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after


@dataclass(frozen=True)
class ToolCall:
    """A function call the model asked for; ``arguments`` is the JSON text as the model wrote it."""

    id: str
    name: str
    arguments: str


@dataclass
class Message:
    """One chat message. ``content`` is text or a list of parts: ``{"type": "text", "text": ...}``
    and ``{"type": "image_url", "image_url": {"url": ...}}`` (an http(s) or data: URL)."""

    role: Role
    content: str | list[dict[str, Any]] = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    tool_call_id: str | None = None
    name: str | None = None

    def parts(self) -> list[dict[str, Any]]:
        """The content as a list of parts (a plain string is one text part)."""
        if isinstance(self.content, str):
            return [{"type": "text", "text": self.content}] if self.content else []
        return [p for p in self.content if isinstance(p, dict)]

    def text(self) -> str:
        """The text parts joined (for providers that only take text in this position)."""
        return "".join(p.get("text", "") for p in self.parts() if p.get("type") == "text")


@dataclass(frozen=True)
class OutputType:
    """``text``, ``json_object``, ``json_schema`` (``schema`` required) or ``score_schema`` (a
    ``json_schema`` built from a project score schema: ``{"reason": ..., "category": ...}``)."""

    kind: Literal["text", "json_object", "json_schema", "score_schema"] = "text"
    schema: dict[str, Any] | None = None
    name: str = "answer"

    @property
    def wants_json(self) -> bool:
        return self.kind != "text"


@dataclass
class ChatRequest:
    """What to send: ``tools`` are OpenAI-style function tools (``{"type": "function", "function":
    {"name", "description", "parameters"}}``); ``tool_choice`` is auto | none | required | a tool
    name; ``settings`` holds any of ``SETTING_NAMES``; ``timeout`` bounds each wait in seconds."""

    model: str
    messages: list[Message]
    tools: list[dict[str, Any]] = field(default_factory=list)
    tool_choice: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    output: OutputType = field(default_factory=OutputType)
    timeout: float = 60.0


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def total(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True)
class ChatResult:
    """The answer: ``finish_reason`` is stop | length | tool_calls | content_filter | other;
    ``latency_ms`` is the whole call, ``ttft_ms`` the time to the first token (streams only)."""

    text: str
    tool_calls: list[ToolCall]
    finish_reason: str
    usage: Usage
    model: str
    provider: str
    latency_ms: float
    ttft_ms: float | None = None


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer's text, as streamed."""

    text: str


@dataclass(frozen=True)
class ToolCallDelta:
    """A piece of a tool call: the first for an index carries id and name, later ones argument text."""

    index: int
    id: str = ""
    name: str = ""
    arguments: str = ""


@dataclass(frozen=True)
class Done:
    """The last event of a stream: the whole answer."""

    result: ChatResult


StreamEvent = TextDelta | ToolCallDelta | Done
