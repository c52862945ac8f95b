"""The Anthropic messages API (``POST /v1/messages``), plain and streamed."""

from __future__ import annotations

import base64
import json

from literal_app.services.providers.shapes import (Accumulator, data_url, image_url, int_setting, stops,
                                                   system_text, tool_arguments, tool_parts)
from literal_app.services.providers.types import ChatRequest, Message, ProviderError, ToolCall, Usage
from literal_app.services.providers.wire import Adapter, HttpCall, Parsed, clean_settings, dumps, loads_event

VERSION = "2023-06-01"
DEFAULT_MAX_TOKENS = 1024
FINISH = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length", "tool_use": "tool_calls",
          "refusal": "content_filter", "pause_turn": "other"}


def _image(part: dict) -> dict:
    url = image_url(part)
    inline = data_url(url)
    if inline:
        return {"type": "image", "source": {"type": "base64", "media_type": inline[0],
                                            "data": base64.b64encode(inline[1]).decode()}}
    return {"type": "image", "source": {"type": "url", "url": url}}


def _content(m: Message) -> list[dict]:
    if m.role == "tool":
        return [{"type": "tool_result", "tool_use_id": m.tool_call_id or "", "content": m.text()}]
    blocks = [_image(p) if p.get("type") == "image_url" else {"type": "text", "text": p.get("text", "")}
              for p in m.parts() if p.get("type") == "image_url" or p.get("text")]
    blocks += [{"type": "tool_use", "id": c.id, "name": c.name, "input": tool_arguments(c)} for c in m.tool_calls]
    return blocks


def _tool_choice(choice: str | None) -> dict | None:
    if not choice:
        return None
    return {"auto": {"type": "auto"}, "none": {"type": "none"}, "required": {"type": "any"}}.get(
        choice, {"type": "tool", "name": choice})


class AnthropicMessages(Adapter):
    def build(self, request: ChatRequest, stream: bool) -> HttpCall:
        s = request.settings
        messages = [{"role": "assistant" if m.role == "assistant" else "user", "content": _content(m)}
                    for m in request.messages if m.role != "system"]
        body = clean_settings({"model": request.model, "messages": messages,
                               "max_tokens": int_setting(s, "max_tokens") or DEFAULT_MAX_TOKENS}, {
            "system": system_text(request), "temperature": s.get("temperature"), "top_p": s.get("top_p"),
            "stop_sequences": stops(s),
            "tools": [dict(zip(("name", "description", "input_schema"), tool_parts(t))) for t in request.tools],
            "tool_choice": _tool_choice(request.tool_choice) if request.tools else None})
        if stream:
            body["stream"] = True
        cred = self.credential
        headers = {"x-api-key": cred.api_key, "anthropic-version": VERSION, "Content-Type": "application/json"}
        return HttpCall("POST", f"{cred.base_url.rstrip('/')}/messages", headers, dumps(body),
                        "sse" if stream else None)

    def parse(self, data: dict, request: ChatRequest) -> Parsed:
        text, calls = [], []
        for block in data.get("content") or []:
            if block.get("type") == "text":
                text.append(block.get("text", ""))
            elif block.get("type") == "tool_use":
                calls.append(ToolCall(block.get("id", ""), block.get("name", ""), json.dumps(block.get("input") or {})))
        u = data.get("usage") or {}
        return Parsed("".join(text), calls, FINISH.get(data.get("stop_reason") or "", "other"),
                      Usage(int(u.get("input_tokens") or 0), int(u.get("output_tokens") or 0)),
                      data.get("model") or request.model)

    def feed(self, acc: Accumulator, event: str, data: str) -> list:
        ev = loads_event(data, self.label)
        kind = ev.get("type") or event
        if kind == "error":
            raise ProviderError(f"{self.label} failed mid-answer: {self.error_text(ev)}")
        if kind == "message_start":
            msg = ev.get("message") or {}
            acc.model = msg.get("model") or acc.model
            acc.usage = Usage(int((msg.get("usage") or {}).get("input_tokens") or 0), 0)
        elif kind == "content_block_start":
            block = ev.get("content_block") or {}
            if block.get("type") == "tool_use":
                return acc.add_call(ev.get("index", 0), block.get("id", ""), block.get("name", ""))
            return acc.add_text(block.get("text") or "")
        elif kind == "content_block_delta":
            delta = ev.get("delta") or {}
            if delta.get("type") == "input_json_delta":
                return acc.add_call(ev.get("index", 0), arguments=delta.get("partial_json") or "")
            return acc.add_text(delta.get("text") or "")
        elif kind == "message_delta":
            acc.finish_reason = FINISH.get((ev.get("delta") or {}).get("stop_reason") or "", acc.finish_reason)
            out_tokens = (ev.get("usage") or {}).get("output_tokens")
            if out_tokens is not None:
                acc.usage = Usage(acc.usage.input_tokens, int(out_tokens))
        elif kind == "message_stop":
            acc.finished = True
        return []
