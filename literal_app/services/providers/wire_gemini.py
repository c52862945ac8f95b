"""Google Gemini's ``generateContent`` / ``streamGenerateContent?alt=sse`` (Generative Language API)."""

from __future__ import annotations

import base64
import json
import mimetypes
from urllib.parse import quote

from literal_app.services.providers.shapes import (Accumulator, data_url, image_url, int_setting, stops,
                                                   tool_arguments, tool_names_by_id, tool_parts)
from literal_app.services.providers.types import ChatRequest, Message, ProviderError, ToolCall, Usage
from literal_app.services.providers.wire import Adapter, HttpCall, Parsed, clean_settings, dumps, loads_event

FINISH = {"STOP": "stop", "MAX_TOKENS": "length", "SAFETY": "content_filter", "RECITATION": "content_filter",
          "BLOCKLIST": "content_filter", "PROHIBITED_CONTENT": "content_filter", "SPII": "content_filter"}


def _image(part: dict) -> dict:
    url = image_url(part)
    inline = data_url(url)
    if inline:
        return {"inlineData": {"mimeType": inline[0], "data": base64.b64encode(inline[1]).decode()}}
    return {"fileData": {"mimeType": mimetypes.guess_type(url)[0] or "image/jpeg", "fileUri": url}}


def _parts(m: Message, names: dict[str, str]) -> list[dict]:
    if m.role == "tool":
        return [{"functionResponse": {"name": names.get(m.tool_call_id or "", m.name or "tool"),
                                      "response": {"content": m.text()}}}]
    parts = [_image(p) if p.get("type") == "image_url" else {"text": p.get("text", "")}
             for p in m.parts() if p.get("type") == "image_url" or p.get("text")]
    return parts + [{"functionCall": {"name": c.name, "args": tool_arguments(c)}} for c in m.tool_calls]


def _tool_config(request: ChatRequest) -> dict | None:
    choice = request.tool_choice
    if not request.tools or not choice or choice == "auto":
        return None
    if choice in ("none", "required"):
        return {"functionCallingConfig": {"mode": "NONE" if choice == "none" else "ANY"}}
    return {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": [choice]}}


class GeminiGenerate(Adapter):
    def build(self, request: ChatRequest, stream: bool) -> HttpCall:
        s, out = request.settings, request.output
        names = tool_names_by_id(request.messages)
        contents = [{"role": "model" if m.role == "assistant" else "user", "parts": _parts(m, names)}
                    for m in request.messages if m.role != "system"]
        config = clean_settings({}, {
            "temperature": s.get("temperature"), "topP": s.get("top_p"), "maxOutputTokens": int_setting(s, "max_tokens"),
            "frequencyPenalty": s.get("frequency_penalty"), "presencePenalty": s.get("presence_penalty"),
            "stopSequences": stops(s), "responseMimeType": "application/json" if out.wants_json else None,
            "responseJsonSchema": out.schema if out.kind in ("json_schema", "score_schema") else None})
        system = "\n\n".join(m.text() for m in request.messages if m.role == "system")
        body = clean_settings({"contents": contents}, {
            "systemInstruction": {"parts": [{"text": system}]} if system else None,
            "generationConfig": config or None, "toolConfig": _tool_config(request),
            "tools": [{"functionDeclarations": [dict(zip(("name", "description", "parameters"), tool_parts(t)))
                                                for t in request.tools]}] if request.tools else None})
        cred = self.credential
        action = "streamGenerateContent?alt=sse" if stream else "generateContent"
        url = f"{cred.base_url.rstrip('/')}/models/{quote(request.model, safe='')}:{action}"
        headers = {"x-goog-api-key": cred.api_key, "Content-Type": "application/json"}
        return HttpCall("POST", url, headers, dumps(body), "sse" if stream else None)

    def parse(self, data: dict, request: ChatRequest) -> Parsed:
        acc = Accumulator()
        self._read(acc, data)
        return Parsed(acc.full_text(), acc.tool_calls(), acc.finish_reason or "other", acc.usage,
                      acc.model or request.model)

    def feed(self, acc: Accumulator, event: str, data: str) -> list:
        return self._read(acc, loads_event(data, self.label))

    def _read(self, acc: Accumulator, chunk: dict) -> list:
        if "error" in chunk:
            raise ProviderError(f"{self.label} failed: {self.error_text(chunk)}")
        acc.model = chunk.get("modelVersion") or acc.model
        u = chunk.get("usageMetadata")
        if u:
            acc.usage = Usage(int(u.get("promptTokenCount") or 0), int(u.get("candidatesTokenCount") or 0)
                              + int(u.get("thoughtsTokenCount") or 0))
        out: list = []
        for cand in (chunk.get("candidates") or [])[:1]:
            for part in (cand.get("content") or {}).get("parts") or []:
                if "functionCall" in part:
                    call = part["functionCall"]
                    index = len(acc.calls)
                    out += acc.add_call(index, call.get("id") or f"call_{index}", call.get("name", ""),
                                        json.dumps(call.get("args") or {}))
                elif part.get("text") and not part.get("thought"):
                    out += acc.add_text(part["text"])
            if cand.get("finishReason"):
                acc.finish_reason = "tool_calls" if acc.calls else FINISH.get(cand["finishReason"], "other")
                acc.finished = True
        return out
