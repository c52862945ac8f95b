"""Streamed OpenAI responses: proxies that pass every chunk through unchanged while assembling
the completion, time to first token, throughput and usage (sent in a final chunk when the
request asks for ``stream_options={"include_usage": True}``)."""

import logging
from typing import Any

logger = logging.getLogger("literal_sdk")


def apply_chunk(call: Any, chunk: Any) -> None:
    """Fold one chunk into the call's generation."""
    gen = call.generation
    if getattr(chunk, "model", None):
        gen.model = chunk.model
    if getattr(chunk, "usage", None) is not None:
        call.set_usage(chunk.usage)
    choices = getattr(chunk, "choices", None) or []
    if not choices:
        return
    if call.kind != "chat":
        text = getattr(choices[0], "text", None)
        if text:
            gen.completion = (gen.completion or "") + text
            call.first_token()
            call.token_chunks += 1
        return
    delta = choices[0].delta
    if delta is not None and _apply_delta(gen, delta):
        call.first_token()
        call.token_chunks += 1


def _apply_delta(gen: Any, delta: Any) -> bool:
    """Merge a chat delta (text, tool call pieces, legacy function call); True if it carried any."""
    message = gen.message_completion
    if message is None:
        message = gen.message_completion = {"role": "assistant", "content": ""}
    produced = False
    if getattr(delta, "content", None):
        message["content"] = (message.get("content") or "") + delta.content
        produced = True
    for tool_call in getattr(delta, "tool_calls", None) or []:
        _merge_tool_call(message.setdefault("tool_calls", []), tool_call)
        produced = True
    function_call = getattr(delta, "function_call", None)
    if function_call is not None:
        current = message.setdefault("function_call", {"name": "", "arguments": ""})
        current["name"] += function_call.name or ""
        current["arguments"] += function_call.arguments or ""
        produced = True
    return produced


def _merge_tool_call(calls: list, piece: Any) -> None:
    index = piece.index if piece.index is not None else len(calls) - 1
    while len(calls) <= index:
        calls.append({"id": None, "type": "function", "function": {"name": "", "arguments": ""}})
    entry = calls[index]
    entry["id"] = piece.id or entry["id"]
    if piece.function is not None:
        entry["function"]["name"] += piece.function.name or ""
        entry["function"]["arguments"] += piece.function.arguments or ""


class _Base:
    def __init__(self, stream: Any, call: Any):
        self._stream, self._call, self._done = stream, call, False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def _chunk(self, chunk: Any) -> None:
        try:
            apply_chunk(self._call, chunk)
        except Exception:
            logger.exception("literal_sdk: failed to read an OpenAI stream chunk")

    def _finish(self, error: Any = None) -> None:
        if not self._done:
            self._done = True
            self._call.end(error)

    def __del__(self):
        try:
            self._finish()
        except Exception:
            pass


class StreamProxy(_Base):
    """Wraps ``openai.Stream``: iterate it, use it as a context manager, or close it."""

    def __iter__(self):
        return self

    def __next__(self):
        try:
            chunk = next(self._stream)
        except StopIteration:
            self._finish()
            raise
        except Exception as exc:
            self._finish(exc)
            raise
        self._chunk(chunk)
        return chunk

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            self._finish()


class AsyncStreamProxy(_Base):
    """Wraps ``openai.AsyncStream``."""

    def __aiter__(self):
        return self

    async def __anext__(self):
        try:
            chunk = await self._stream.__anext__()
        except StopAsyncIteration:
            self._finish()
            raise
        except Exception as exc:
            self._finish(exc)
            raise
        self._chunk(chunk)
        return chunk

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()
        return False

    async def close(self) -> None:
        try:
            await self._stream.close()
        finally:
            self._finish()
