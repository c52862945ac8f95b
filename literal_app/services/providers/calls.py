"""Calling a model: ``complete`` (one answer), ``stream`` (sync iterator of delta events, then
``Done``) and ``astream`` (the same for async code such as the Playground's background events).

The credential is resolved and the request built before the first ``next()``, so a missing
credential or bad input raises at once; the database session is not needed while streaming."""

from __future__ import annotations

import time
from typing import AsyncIterator, Iterator

import httpx
from jsonschema import SchemaError
from jsonschema.validators import validator_for
from sqlmodel import Session

from literal_app.services.kernel.actor import Actor
from literal_app.services.kernel.errors import Invalid
from literal_app.services.providers import transport
from literal_app.services.providers.catalog import provider_label
from literal_app.services.providers.credentials import ResolvedCredential, get_credential, resolve
from literal_app.services.providers.shapes import Accumulator, check_tools
from literal_app.services.providers.types import (ChatRequest, ChatResult, Done, Message, ProviderError,
                                                  StreamEvent)
from literal_app.services.providers.wire import Adapter, HttpCall
from literal_app.services.providers.wire_anthropic import AnthropicMessages
from literal_app.services.providers.wire_bedrock import BedrockConverse
from literal_app.services.providers.wire_gemini import GeminiGenerate
from literal_app.services.providers.wire_openai import OpenAIChat

_WIRES: dict[str, type[Adapter]] = {
    "openai": OpenAIChat, "azure_openai": OpenAIChat, "mistral": OpenAIChat, "groq": OpenAIChat,
    "custom": OpenAIChat, "anthropic": AnthropicMessages, "gemini": GeminiGenerate, "bedrock": BedrockConverse,
}


def adapter_for(cred: ResolvedCredential) -> Adapter:
    wire = _WIRES.get(cred.provider)
    if wire is None:
        raise Invalid(f"Provider {cred.provider!r} is not supported.")
    label = cred.name if cred.provider == "custom" else provider_label(cred.provider)
    return wire(cred.provider, label, cred)


def check_request(request: ChatRequest) -> None:
    """``Invalid`` for requests no provider could take (no model, no messages, bad tools/schema)."""
    if not (request.model or "").strip():
        raise Invalid("Choose a model.")
    if not any(m.role != "system" for m in request.messages):
        raise Invalid("Add at least one user message.")
    request.tools = check_tools(request.tools)
    if request.output.kind in ("json_schema", "score_schema"):
        if not isinstance(request.output.schema, dict):
            raise Invalid("The JSON schema output needs a schema (a JSON object).")
        try:
            validator_for(request.output.schema).check_schema(request.output.schema)
        except SchemaError as exc:
            raise Invalid(f"The output schema is not a valid JSON schema: {exc.message}")


def _prepare(session: Session, caller: Actor | str, credential_id: str, request: ChatRequest,
             stream: bool) -> tuple[Adapter, HttpCall]:
    check_request(request)
    adapter = adapter_for(resolve(session, caller, credential_id))
    return adapter, adapter.build(request, stream)


def complete(session: Session, caller: Actor | str, credential_id: str, request: ChatRequest) -> ChatResult:
    """One whole answer. ``caller``: an Actor, or a project id for background jobs."""
    adapter, call = _prepare(session, caller, credential_id, request, False)
    start = time.perf_counter()
    parsed = adapter.parse(transport.send(adapter, request, call), request)
    return ChatResult(parsed.text, parsed.tool_calls, parsed.finish_reason, parsed.usage, parsed.model,
                      adapter.provider, (time.perf_counter() - start) * 1000)


def _done(adapter: Adapter, request: ChatRequest, acc: Accumulator, start: float, ttft: float | None) -> Done:
    if not (acc.finished or acc.finish_reason):
        raise ProviderError(f"{adapter.label}'s stream ended before the answer was complete.",
                            provider=adapter.provider)
    finish = "tool_calls" if acc.calls and acc.finish_reason in (None, "stop") else acc.finish_reason or "stop"
    return Done(ChatResult(acc.full_text(), acc.tool_calls(), finish, acc.usage, acc.model or request.model,
                           adapter.provider, (time.perf_counter() - start) * 1000, ttft))


def stream(session: Session, caller: Actor | str, credential_id: str, request: ChatRequest) -> Iterator[StreamEvent]:
    """Delta events as they arrive, then ``Done`` with the whole answer."""
    adapter, call = _prepare(session, caller, credential_id, request, True)
    return _stream(adapter, request, call)


def _stream(adapter: Adapter, request: ChatRequest, call: HttpCall) -> Iterator[StreamEvent]:
    start = time.perf_counter()
    for attempt in range(transport.ATTEMPTS):
        try:
            with transport.client().stream(call.method, call.url, headers=call.headers, content=call.body,
                                           timeout=transport.timeout(request)) as resp:
                if resp.is_success:
                    yield from _consume(adapter, request, transport.events(resp, call), start)
                    return
                error = transport.status_error(adapter, request, resp.status_code, resp.headers, resp.read())
        except httpx.HTTPError as exc:
            error = transport.transport_error(adapter, request, exc)
        if not error.retryable or attempt == transport.ATTEMPTS - 1:
            raise error
        time.sleep(transport.delay(error, attempt))


def _consume(adapter: Adapter, request: ChatRequest, events, start: float) -> Iterator[StreamEvent]:
    acc, ttft = Accumulator(), None
    try:
        for name, data in events:
            for event in adapter.feed(acc, name, data):
                ttft = ttft if ttft is not None else (time.perf_counter() - start) * 1000
                yield event
    except httpx.HTTPError as exc:  # once streaming, never retried: the caller already shows tokens
        raise transport.transport_error(adapter, request, exc)
    yield _done(adapter, request, acc, start, ttft)


def astream(session: Session, caller: Actor | str, credential_id: str,
            request: ChatRequest) -> AsyncIterator[StreamEvent]:
    """``stream`` for async callers (an async iterator, prepared synchronously so the session can
    close before the first token); closing the iterator (a Stop button) closes the connection."""
    adapter, call = _prepare(session, caller, credential_id, request, True)
    return _astream(adapter, request, call)


async def _astream(adapter: Adapter, request: ChatRequest, call: HttpCall) -> AsyncIterator[StreamEvent]:
    start = time.perf_counter()
    async with httpx.AsyncClient() as client:
        for attempt in range(transport.ATTEMPTS):
            try:
                async with client.stream(call.method, call.url, headers=call.headers, content=call.body,
                                         timeout=transport.timeout(request)) as resp:
                    if resp.is_success:
                        acc, ttft = Accumulator(), None
                        try:
                            async for name, data in transport.aevents(resp, call):
                                for event in adapter.feed(acc, name, data):
                                    ttft = ttft if ttft is not None else (time.perf_counter() - start) * 1000
                                    yield event
                        except httpx.HTTPError as exc:
                            raise transport.transport_error(adapter, request, exc)
                        yield _done(adapter, request, acc, start, ttft)
                        return
                    error = transport.status_error(adapter, request, resp.status_code, resp.headers,
                                                   await resp.aread())
            except httpx.HTTPError as exc:
                error = transport.transport_error(adapter, request, exc)
            if not error.retryable or attempt == transport.ATTEMPTS - 1:
                raise error
            await transport.asleep(error, attempt)


def test_credential(session: Session, actor: Actor, credential_id: str, model: str | None = None) -> ChatResult:
    """A minimal call ("Reply with OK", a few tokens) that says whether a credential works."""
    read = get_credential(session, actor, credential_id)
    model = model or (read.models[0] if read.models else "")
    if not model:
        raise Invalid("Add a model name to this credential first.")
    request = ChatRequest(model=model, messages=[Message("user", "Reply with OK.")],
                          settings={"max_tokens": 16}, timeout=30)
    return complete(session, actor, credential_id, request)
