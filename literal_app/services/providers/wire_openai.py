"""The OpenAI chat-completions wire format, spoken by OpenAI, Azure OpenAI, Mistral, Groq and
custom OpenAI-compatible servers (vLLM, Ollama, LiteLLM, ...)."""

from __future__ import annotations

import json

from literal_app.services.providers.shapes import Accumulator, image_url, int_setting, stops, tool_parts
from literal_app.services.providers.types import ChatRequest, Message, ProviderError, ToolCall, Usage
from literal_app.services.providers.wire import Adapter, HttpCall, Parsed, clean_settings, dumps, loads_event

FINISH = {"stop": "stop", "length": "length", "tool_calls": "tool_calls", "function_call": "tool_calls",
          "content_filter": "content_filter", "model_length": "length", "error": "other"}
_USAGE_IN_STREAM = ("openai", "azure_openai", "groq", "custom")


def _message(m: Message) -> dict:
    if m.role == "tool":
        return {"role": "tool", "tool_call_id": m.tool_call_id or "", "content": m.text()}
    if m.role == "assistant":
        out: dict = {"role": "assistant", "content": m.text() or None}
        if m.tool_calls:
            out["tool_calls"] = [{"id": c.id, "type": "function",
                                  "function": {"name": c.name, "arguments": c.arguments or "{}"}}
                                 for c in m.tool_calls]
        return out
    parts = m.parts()
    if all(p.get("type") == "text" for p in parts):
        return {"role": m.role, "content": m.text()}
    return {"role": m.role, "content": [
        {"type": "image_url", "image_url": {"url": image_url(p)}} if p.get("type") == "image_url"
        else {"type": "text", "text": p.get("text", "")} for p in parts]}


def _tool_choice(choice: str | None, provider: str):
    if not choice:
        return None
    if choice in ("auto", "none"):
        return choice
    if choice == "required":
        return "any" if provider == "mistral" else "required"
    return {"type": "function", "function": {"name": choice}}


def _response_format(request: ChatRequest) -> dict | None:
    out = request.output
    if out.kind == "json_object":
        return {"type": "json_object"}
    if out.kind in ("json_schema", "score_schema") and out.schema:
        return {"type": "json_schema", "json_schema": {"name": out.name, "schema": out.schema, "strict": False}}
    return None


class OpenAIChat(Adapter):
    def url_and_headers(self) -> tuple[str, dict]:
        cred = self.credential
        if self.provider == "azure_openai":
            extra = cred.extra
            url = (f"{cred.base_url}/openai/deployments/{extra.get('deployment')}/chat/completions"
                   f"?api-version={extra.get('api_version')}")
            return url, {"api-key": cred.api_key}
        headers = {"Authorization": f"Bearer {cred.api_key}"} if cred.api_key else {}
        return f"{cred.base_url.rstrip('/')}/chat/completions", headers

    def build(self, request: ChatRequest, stream: bool) -> HttpCall:
        s = request.settings
        max_key = "max_completion_tokens" if self.provider in ("openai", "azure_openai") else "max_tokens"
        body = clean_settings({"model": request.model, "messages": [_message(m) for m in request.messages]}, {
            "temperature": s.get("temperature"), "top_p": s.get("top_p"), max_key: int_setting(s, "max_tokens"),
            "frequency_penalty": s.get("frequency_penalty"), "presence_penalty": s.get("presence_penalty"),
            "stop": stops(s), "response_format": _response_format(request),
            "tools": [{"type": "function", "function": dict(zip(("name", "description", "parameters"),
                                                                  tool_parts(t)))} for t in request.tools],
            "tool_choice": _tool_choice(request.tool_choice, self.provider) if request.tools else None})
        if stream:
            body["stream"] = True
            if self.provider in _USAGE_IN_STREAM:
                body["stream_options"] = {"include_usage": True}
        url, headers = self.url_and_headers()
        return HttpCall("POST", url, {**headers, "Content-Type": "application/json"}, dumps(body),
                        "sse" if stream else None)

    def parse(self, data: dict, request: ChatRequest) -> Parsed:
        choices = data.get("choices") or []
        if not choices:
            raise ProviderError(f"{self.label} answered without choices: {json.dumps(data)[:300]}")
        msg = choices[0].get("message") or {}
        calls = [ToolCall(c.get("id") or f"call_{i}", (c.get("function") or {}).get("name", ""),
                          (c.get("function") or {}).get("arguments") or "")
                 for i, c in enumerate(msg.get("tool_calls") or [])]
        content = msg.get("content")
        if isinstance(content, list):
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        return Parsed(content or "", calls, FINISH.get(choices[0].get("finish_reason") or "", "other"),
                      _usage(data), data.get("model") or request.model)

    def feed(self, acc: Accumulator, event: str, data: str) -> list:
        if data.strip() == "[DONE]":
            acc.finished = True
            return []
        chunk = loads_event(data, self.label)
        if "error" in chunk:
            raise ProviderError(f"{self.label} failed mid-answer: {self.error_text(chunk)}")
        acc.model = chunk.get("model") or acc.model
        if chunk.get("usage") or (chunk.get("x_groq") or {}).get("usage"):
            acc.usage = _usage(chunk)
        out: list = []
        for choice in chunk.get("choices") or []:
            delta = choice.get("delta") or {}
            out += acc.add_text(delta.get("content") or "")
            for call in delta.get("tool_calls") or []:
                fn = call.get("function") or {}
                out += acc.add_call(call.get("index", 0), call.get("id") or "", fn.get("name") or "",
                                    fn.get("arguments") or "")
            if choice.get("finish_reason"):
                acc.finish_reason = FINISH.get(choice["finish_reason"], "other")
        return out


def _usage(data: dict) -> Usage:
    u = data.get("usage") or (data.get("x_groq") or {}).get("usage") or {}
    return Usage(int(u.get("prompt_tokens") or 0), int(u.get("completion_tokens") or 0))
