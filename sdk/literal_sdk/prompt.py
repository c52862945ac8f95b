"""Prompt versions: Mustache templates rendered with chevron, linked to the generations they
produce (each formatted message remembers which prompt version and variables made it)."""

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional

from literal_sdk.generation import GenerationMessage, GenerationType
from literal_sdk.types import TypedDict, Utils

if TYPE_CHECKING:
    from literal_sdk.api import LiteralAPI


class ProviderSettings(TypedDict, total=False):
    provider: str
    model: str
    frequency_penalty: float
    max_tokens: int
    presence_penalty: float
    stop: Optional[List[str]]
    temperature: float
    top_p: float


class PromptVariable(TypedDict, total=False):
    name: str
    language: Literal["json", "plaintext"]


class LiteralMessageDict(dict):
    """A plain chat message dict that also remembers the prompt it came from
    (``__literal_prompt__``), so the OpenAI instrumentation can link the generation."""

    def __init__(self, prompt_id: str, variables: Dict, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if "uuid" in self:
            self.__literal_prompt__ = {"uuid": self.pop("uuid"), "prompt_id": prompt_id, "variables": variables}


def _render(template: str, variables: Dict) -> str:
    import chevron
    return html.unescape(chevron.render(template, variables))


@dataclass(repr=False)
class Prompt(Utils):
    api: "LiteralAPI"
    id: str
    created_at: str
    updated_at: str
    type: Any
    name: str
    version: int
    url: str
    version_desc: Optional[str]
    template_messages: List[GenerationMessage]
    tools: Optional[List[Dict]]
    provider: str
    settings: ProviderSettings
    variables: List[PromptVariable]
    variables_default_values: Optional[Dict[str, Any]] = field(default=None)

    def to_dict(self):
        return {"id": self.id, "createdAt": self.created_at, "updatedAt": self.updated_at, "type": self.type,
                "name": self.name, "version": self.version, "url": self.url, "versionDesc": self.version_desc,
                "templateMessages": self.template_messages, "tools": self.tools, "provider": self.provider,
                "settings": self.settings, "variables": self.variables,
                "variablesDefaultValues": self.variables_default_values}

    @classmethod
    def from_dict(cls, api: "LiteralAPI", data: Dict) -> "Prompt":
        settings = dict(data.get("settings") or {})
        provider = settings.pop("provider", "")  # stored inside settings on the wire
        return cls(api=api, id=data.get("id", ""), name=(data.get("lineage") or {}).get("name", ""),
                   version=data.get("version", 0), url=data.get("url", ""),
                   created_at=data.get("createdAt", ""), updated_at=data.get("updatedAt", ""),
                   type=data.get("type", GenerationType.CHAT), version_desc=data.get("versionDesc"),
                   template_messages=data.get("templateMessages") or [], tools=data.get("tools") or [],
                   provider=provider, settings=settings, variables=data.get("variables") or [],
                   variables_default_values=data.get("variablesDefaultValues"))

    def format_messages(self, **kwargs: Any) -> List[Any]:
        """The template messages rendered with the defaults overridden by ``kwargs``."""
        variables = {**(self.variables_default_values or {}), **kwargs}
        messages = []
        for template in self.template_messages:
            message = LiteralMessageDict(self.id, variables, dict(template))
            content = message.get("content")
            if isinstance(content, str):
                message["content"] = _render(content, variables)
            elif isinstance(content, list):
                message["content"] = [
                    {**part, "text": _render(part["text"], variables)} if part.get("type") == "text" else part
                    for part in content]
            messages.append(message)
        return messages

    def format(self, variables: Optional[Dict[str, Any]] = None) -> List[Any]:
        """Deprecated alias of ``format_messages``."""
        return self.format_messages(**(variables or {}))

    def to_langchain_chat_prompt_template(self, additional_messages: Optional[list] = None):
        """A LangChain ``ChatPromptTemplate`` rendering this prompt with Mustache (needs the
        ``langchain`` extra: ``pip install literal-sdk[langchain]``)."""
        from literal_sdk.langchain_prompt import to_langchain_template
        return to_langchain_template(self, additional_messages or [])
