"""Conversion of a :class:`Prompt` into a LangChain chat prompt template (optional extra)."""

from typing import TYPE_CHECKING, Any, Dict, List, Optional

if TYPE_CHECKING:
    from literal_sdk.prompt import Prompt


def _template_class():
    """The ``ChatPromptTemplate`` subclass, built on first use (langchain is optional)."""
    try:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
        from langchain_core.prompts import ChatPromptTemplate
    except ImportError as exc:
        raise ImportError("Prompt.to_langchain_chat_prompt_template needs langchain-core: "
                          "pip install 'literal-sdk[langchain]'") from exc
    from literal_sdk.prompt import _render

    classes = {"system": SystemMessage, "assistant": AIMessage, "ai": AIMessage}

    class LiteralChatPromptTemplate(ChatPromptTemplate):
        """Renders the Literal template messages with Mustache, then any extra LangChain ones;
        each rendered message carries the prompt id and variables for generation linking."""

        orig_messages: Optional[List[Dict]] = None
        default_vars: Optional[Dict] = None
        prompt_id: Optional[str] = None

        def format_messages(self, **kwargs: Any) -> list:
            variables = {**(self.default_vars or {}), **kwargs}
            rendered = []
            for template in self.orig_messages or []:
                content = template.get("content")
                text = _render(content, variables) if isinstance(content, str) else content
                extra = {"uuid": template.get("uuid"), "prompt_id": self.prompt_id, "variables": variables}
                cls = classes.get(template.get("role", "user"), HumanMessage)
                rendered.append(cls(content=text, additional_kwargs=extra))
            extra_messages = self.messages[len(self.orig_messages or []):]
            if extra_messages:
                rendered += ChatPromptTemplate.from_messages(extra_messages).format_messages(**kwargs)
            return rendered

        async def aformat_messages(self, **kwargs: Any) -> list:
            return self.format_messages(**kwargs)

    return LiteralChatPromptTemplate


def to_langchain_template(prompt: "Prompt", additional_messages: list):
    cls = _template_class()
    pairs = [(m.get("role", "user"), m.get("content") if isinstance(m.get("content"), str) else "")
             for m in prompt.template_messages]
    template = cls.from_messages(pairs + list(additional_messages), template_format="mustache")
    template.orig_messages = list(prompt.template_messages)
    template.default_vars = prompt.variables_default_values
    template.prompt_id = prompt.id
    return template
