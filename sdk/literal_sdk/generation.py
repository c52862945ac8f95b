"""LLM generations: a chat (messages -> message completion) or a completion (prompt -> text).

A generation travels inside its ``llm`` step; its id on the server is that step's id.
"""

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Dict, List, Literal, Optional, Union

from literal_sdk.types import ImageUrlContent, TextContent, TypedDict, Utils

GenerationMessageRole = Literal["user", "assistant", "tool", "function", "system"]


class GenerationType(str, Enum):
    CHAT = "CHAT"
    COMPLETION = "COMPLETION"

    def __str__(self) -> str:
        return self.value

    def to_json(self) -> str:
        return self.value


class GenerationMessage(TypedDict, total=False):
    uuid: Optional[str]
    templated: Optional[bool]
    name: Optional[str]
    role: Optional[GenerationMessageRole]
    content: Optional[Union[str, List[Union[TextContent, ImageUrlContent]]]]
    function_call: Optional[Dict]
    tool_calls: Optional[List[Dict]]
    tool_call_id: Optional[str]


_COMMON = {  # python attribute -> wire key
    "prompt_id": "promptId", "provider": "provider", "model": "model", "error": "error",
    "settings": "settings", "variables": "variables", "tags": "tags", "metadata": "metadata",
    "tools": "tools", "token_count": "tokenCount", "input_token_count": "inputTokenCount",
    "output_token_count": "outputTokenCount", "tt_first_token": "ttFirstToken",
    "token_throughput_in_s": "tokenThroughputInSeconds", "duration": "duration",
}


@dataclass(repr=False)
class BaseGeneration(Utils):
    """Fields shared by chat and completion generations (units: duration in seconds,
    ``tt_first_token`` in milliseconds, throughput in tokens per second)."""

    id: Optional[str] = None
    prompt_id: Optional[str] = None
    provider: Optional[str] = None
    model: Optional[str] = None
    error: Optional[str] = None
    settings: Optional[Dict] = field(default_factory=dict)
    variables: Optional[Dict] = field(default_factory=dict)
    tags: Optional[List[str]] = field(default_factory=list)
    metadata: Optional[Dict] = field(default_factory=dict)
    tools: Optional[List[Dict]] = None
    token_count: Optional[int] = None
    input_token_count: Optional[int] = None
    output_token_count: Optional[int] = None
    tt_first_token: Optional[float] = None
    token_throughput_in_s: Optional[float] = None
    duration: Optional[float] = None

    def to_dict(self) -> Dict[str, Any]:
        data = {wire: getattr(self, attr) for attr, wire in _COMMON.items()}
        if self.id:
            data["id"] = self.id
        return data

    @classmethod
    def _common_kwargs(cls, data: Dict) -> Dict[str, Any]:
        kwargs = {attr: data.get(wire) for attr, wire in _COMMON.items()}
        kwargs["id"] = data.get("id") or data.get("stepId")
        return kwargs

    @classmethod
    def from_dict(cls, data: Dict) -> Union["ChatGeneration", "CompletionGeneration"]:
        kind = data.get("type")
        if kind == GenerationType.COMPLETION:
            return CompletionGeneration.from_dict(data)
        if kind == GenerationType.CHAT or kind is None:
            return ChatGeneration.from_dict(data)
        raise ValueError(f"Unknown generation type: {kind}")


@dataclass(repr=False)
class CompletionGeneration(BaseGeneration):
    prompt: Optional[str] = None
    completion: Optional[str] = None
    type = GenerationType.COMPLETION

    def to_dict(self):
        data = super().to_dict()
        data.update({"prompt": self.prompt, "completion": self.completion, "type": self.type.value})
        return data

    @classmethod
    def from_dict(cls, data: Dict) -> "CompletionGeneration":
        return cls(prompt=data.get("prompt"), completion=data.get("completion"),
                   **cls._common_kwargs(data))


@dataclass(repr=False)
class ChatGeneration(BaseGeneration):
    messages: Optional[List[GenerationMessage]] = field(default_factory=list)
    message_completion: Optional[GenerationMessage] = None
    type = GenerationType.CHAT

    def to_dict(self):
        data = super().to_dict()
        data.update({"messages": self.messages, "messageCompletion": self.message_completion,
                     "type": self.type.value})
        return data

    @classmethod
    def from_dict(cls, data: Dict) -> "ChatGeneration":
        return cls(messages=data.get("messages") or [], message_completion=data.get("messageCompletion"),
                   **cls._common_kwargs(data))
