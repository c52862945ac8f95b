"""``client.instrument_openai()``: every chat completion, completion and image generation made
with the ``openai`` package (sync or async, streamed or not) becomes an ``llm`` step.

Inside a thread or step the generation is a child step of the current one; elsewhere it is
logged as a standalone generation. The step never becomes the *current* step, so code running
while a stream is consumed keeps its own parent. Logging problems never break the OpenAI call.
"""

import functools
import importlib
import logging
import time
from typing import Any, Dict, List, Optional

from literal_sdk.context import active_steps_var, active_thread_var
from literal_sdk.generation import ChatGeneration, CompletionGeneration
from literal_sdk.helpers import jsonable
from literal_sdk.instrumentation.openai_stream import AsyncStreamProxy, StreamProxy, apply_chunk
from literal_sdk.step import Step

logger = logging.getLogger("literal_sdk")
PROVIDER = "openai"
TARGETS = [  # module, class, method, kind, is_async
    ("openai.resources.chat.completions", "Completions", "create", "chat", False),
    ("openai.resources.chat.completions", "AsyncCompletions", "create", "chat", True),
    ("openai.resources.completions", "Completions", "create", "completion", False),
    ("openai.resources.completions", "AsyncCompletions", "create", "completion", True),
    ("openai.resources.images", "Images", "generate", "image", False),
    ("openai.resources.images", "AsyncImages", "generate", "image", True),
]
_NOT_SETTINGS = {"messages", "prompt", "tools", "functions", "extra_headers", "extra_query", "extra_body",
                 "timeout", "stream_options"}
_state: Dict[str, Any] = {"client": None, "patched": False}


def instrument_openai(client: Any) -> None:
    """Patch the openai resources once; later calls only switch the client logs go to."""
    try:
        importlib.import_module("openai")
    except ImportError as exc:
        raise ImportError("instrument_openai needs the openai package: pip install 'literal-sdk[openai]'") from exc
    _state["client"] = client
    if _state["patched"]:
        return
    for module_name, class_name, method, kind, is_async in TARGETS:
        try:
            owner = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            continue
        original = getattr(owner, method)
        setattr(owner, method, (_wrap_async if is_async else _wrap_sync)(original, kind))
    _state["patched"] = True


class Call:
    """One instrumented OpenAI call: its generation, its step (if in context) and timing."""

    def __init__(self, kind: str, kwargs: Dict[str, Any]):
        self.client = _state["client"]
        self.kind = kind
        self.tags = kwargs.pop("literalai_tags", None)
        self.metadata = kwargs.pop("literalai_metadata", None)
        self.start = time.time()
        self.generation = self._generation(kwargs)
        self.step: Optional[Step] = None
        self.token_chunks = 0
        if active_steps_var.get() or active_thread_var.get() is not None:
            stack = active_steps_var.get()
            self.step = self.client.start_step(name=self.generation.model or PROVIDER, type="llm")
            active_steps_var.set(stack)  # a child of the current step, not the new current step
            content = self.generation.messages if kind == "chat" else self.generation.prompt
            self.step.input = {"content": content}

    def _generation(self, kwargs: Dict[str, Any]):
        settings = {k: jsonable(v) for k, v in kwargs.items() if k not in _NOT_SETTINGS and v is not None}
        common = dict(provider=PROVIDER, model=kwargs.get("model"), settings=settings,
                      metadata=jsonable(self.metadata) or {}, tags=list(self.tags or []))
        if self.kind != "chat":
            return CompletionGeneration(prompt=jsonable(kwargs.get("prompt")), **common)
        originals = list(kwargs.get("messages") or [])
        messages = jsonable(originals)
        prompt_id, variables = None, None
        for original, message in zip(originals, messages):
            link = getattr(original, "__literal_prompt__", None)
            if link:
                prompt_id, variables = link.get("prompt_id"), link.get("variables")
                message["uuid"], message["templated"] = link.get("uuid"), True
        return ChatGeneration(messages=messages, tools=jsonable(kwargs.get("tools")), prompt_id=prompt_id,
                              variables=jsonable(variables) or {}, **common)

    def set_usage(self, usage: Any) -> None:
        if usage is None:
            return
        self.generation.input_token_count = getattr(usage, "prompt_tokens", None)
        self.generation.output_token_count = getattr(usage, "completion_tokens", None)
        self.generation.token_count = getattr(usage, "total_tokens", None)

    def first_token(self) -> None:
        if self.generation.tt_first_token is None:
            self.generation.tt_first_token = (time.time() - self.start) * 1000

    def finish_result(self, result: Any) -> None:
        """Record a non-streamed response."""
        self.generation.model = getattr(result, "model", None) or self.generation.model
        if self.kind == "chat":
            message = result.choices[0].message if result.choices else None
            self.generation.message_completion = jsonable(message) if message is not None else None
        elif self.kind == "completion":
            self.generation.completion = result.choices[0].text if result.choices else ""
        else:
            images = getattr(result, "data", None) or []
            urls = [img.url for img in images if getattr(img, "url", None)]
            self.generation.completion = "\n".join(urls) or f"{len(images)} image(s) (base64)"
        self.set_usage(getattr(result, "usage", None) if self.kind != "image" else None)
        self.end()

    def end(self, error: Optional[BaseException] = None) -> None:
        """Complete the generation and log it (as a child step, or standalone)."""
        try:
            gen = self.generation
            gen.duration = time.time() - self.start
            if error is not None:
                gen.error = str(error)
            tokens = gen.output_token_count or self.token_chunks
            if self.token_chunks and gen.duration:
                gen.token_throughput_in_s = tokens / gen.duration
            if self.kind == "chat" and gen.settings is not None and gen.model:
                gen.settings["model"] = gen.model
            step = self.step
            if step is None:
                step = Step(name=gen.model or PROVIDER, type="llm", processor=self.client.event_processor)
                step.input = {"content": gen.messages if self.kind == "chat" else gen.prompt}
                if self.client.global_metadata:
                    step.metadata = dict(self.client.global_metadata)
            step.name = gen.model or PROVIDER
            step.output = (gen.message_completion or {}) if self.kind == "chat" else {"content": gen.completion}
            step.generation = gen
            step.tags = step.tags or (list(self.tags) if self.tags else None)
            if error is not None:
                step.error = str(error)
            step.end()
        except Exception:  # logging must never break the user's call
            logger.exception("literal_sdk: failed to log an OpenAI call")


def _start(kind: str, kwargs: Dict[str, Any]) -> Optional[Call]:
    if _state["client"] is None:
        return None
    try:
        return Call(kind, kwargs)
    except Exception:
        kwargs.pop("literalai_tags", None)
        kwargs.pop("literalai_metadata", None)
        logger.exception("literal_sdk: failed to prepare logging of an OpenAI call")
        return None


def _after(call: Call, result: Any, proxy: Any) -> Any:
    if getattr(result, "__class__", None).__name__ in ("Stream", "AsyncStream"):
        return proxy(result, call)
    try:
        call.finish_result(result)
    except Exception:
        logger.exception("literal_sdk: failed to log an OpenAI response")
    return result


def _wrap_sync(original, kind: str):
    @functools.wraps(original)
    def wrapper(self, *args, **kwargs):
        call = _start(kind, kwargs)
        if call is None:
            return original(self, *args, **kwargs)
        try:
            result = original(self, *args, **kwargs)
        except Exception as exc:
            call.end(exc)
            raise
        return _after(call, result, StreamProxy)
    wrapper.__literal_sdk_original__ = original
    return wrapper


def _wrap_async(original, kind: str):
    @functools.wraps(original)
    async def wrapper(self, *args, **kwargs):
        call = _start(kind, kwargs)
        if call is None:
            return await original(self, *args, **kwargs)
        try:
            result = await original(self, *args, **kwargs)
        except Exception as exc:
            call.end(exc)
            raise
        return _after(call, result, AsyncStreamProxy)
    wrapper.__literal_sdk_original__ = original
    return wrapper


__all__: List[str] = ["instrument_openai", "apply_chunk"]
