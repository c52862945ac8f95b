"""Amazon Bedrock's Converse API (``/model/<id>/converse`` and ``/converse-stream``), signed with
botocore's SigV4 signer and sent with httpx; the stream is AWS event-stream framing, decoded with
botocore's ``EventStreamBuffer``."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from literal_app.services.kernel.errors import Invalid
from literal_app.services.providers.shapes import (Accumulator, data_url, image_url, int_setting, stops,
                                                   system_text, tool_arguments, tool_parts)
from literal_app.services.providers.types import ChatRequest, Message, ProviderError, ToolCall, Usage
from literal_app.services.providers.wire import Adapter, HttpCall, Parsed, clean_settings, dumps, loads_event

FINISH = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length", "tool_use": "tool_calls",
          "content_filtered": "content_filter", "guardrail_intervened": "content_filter"}
_FORMATS = {"image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif", "image/webp": "webp"}


def _image(part: dict) -> dict:
    inline = data_url(image_url(part))
    if not inline or inline[0] not in _FORMATS:
        raise Invalid("Amazon Bedrock takes uploaded PNG, JPEG, GIF or WebP images, not image URLs: "
                      "upload the image instead.")
    return {"image": {"format": _FORMATS[inline[0]], "source": {"bytes": base64.b64encode(inline[1]).decode()}}}


def _content(m: Message) -> list[dict]:
    if m.role == "tool":
        return [{"toolResult": {"toolUseId": m.tool_call_id or "", "content": [{"text": m.text()}]}}]
    blocks = [_image(p) if p.get("type") == "image_url" else {"text": p.get("text", "")}
              for p in m.parts() if p.get("type") == "image_url" or p.get("text")]
    return blocks + [{"toolUse": {"toolUseId": c.id, "name": c.name, "input": tool_arguments(c)}}
                     for c in m.tool_calls]


def _tool_config(request: ChatRequest) -> dict | None:
    if not request.tools:
        return None
    choice = request.tool_choice
    config: dict = {"tools": [{"toolSpec": {"name": n, "description": d or n, "inputSchema": {"json": p}}}
                              for n, d, p in map(tool_parts, request.tools)]}
    if choice == "required":
        config["toolChoice"] = {"any": {}}
    elif choice and choice not in ("auto", "none"):
        config["toolChoice"] = {"tool": {"name": choice}}
    return config


class BedrockConverse(Adapter):
    def endpoint(self) -> str:
        cred = self.credential
        return (cred.base_url or f"https://bedrock-runtime.{cred.extra.get('region')}.amazonaws.com").rstrip("/")

    def build(self, request: ChatRequest, stream: bool) -> HttpCall:
        s = request.settings
        messages = [{"role": "assistant" if m.role == "assistant" else "user", "content": _content(m)}
                    for m in request.messages if m.role != "system"]
        system = system_text(request)
        body = clean_settings({"messages": messages}, {
            "system": [{"text": system}] if system else None, "toolConfig": _tool_config(request),
            "inferenceConfig": clean_settings({}, {
                "maxTokens": int_setting(s, "max_tokens"), "temperature": s.get("temperature"),
                "topP": s.get("top_p"), "stopSequences": stops(s)}) or None})
        url = f"{self.endpoint()}/model/{quote(request.model, safe='')}/{'converse-stream' if stream else 'converse'}"
        payload = dumps(body)
        return HttpCall("POST", url, self.sign(url, payload), payload, "eventstream" if stream else None)

    def sign(self, url: str, payload: bytes) -> dict[str, str]:
        """SigV4 headers for the request, as boto3 itself would send them."""
        cred = self.credential
        aws = AWSRequest(method="POST", url=url, data=payload,
                         headers={"Content-Type": "application/json", "Accept": "application/json"})
        SigV4Auth(Credentials(cred.extra.get("access_key_id", ""), cred.api_key), "bedrock",
                  cred.extra.get("region", "us-east-1")).add_auth(aws)
        return dict(aws.headers.items())

    def parse(self, data: dict, request: ChatRequest) -> Parsed:
        text, calls = [], []
        for block in ((data.get("output") or {}).get("message") or {}).get("content") or []:
            if "text" in block:
                text.append(block["text"])
            elif "toolUse" in block:
                use = block["toolUse"]
                calls.append(ToolCall(use.get("toolUseId", ""), use.get("name", ""), json.dumps(use.get("input") or {})))
        u = data.get("usage") or {}
        return Parsed("".join(text), calls, FINISH.get(data.get("stopReason") or "", "other"),
                      Usage(int(u.get("inputTokens") or 0), int(u.get("outputTokens") or 0)), request.model)

    def feed(self, acc: Accumulator, event: str, data: str) -> list:
        ev = loads_event(data, self.label)
        if event.endswith("Exception") or event == "exception":
            raise ProviderError(f"{self.label} failed mid-answer: {ev.get('message') or event}")
        index = ev.get("contentBlockIndex", 0)
        if event == "contentBlockStart":
            use = (ev.get("start") or {}).get("toolUse")
            return acc.add_call(index, use.get("toolUseId", ""), use.get("name", "")) if use else []
        if event == "contentBlockDelta":
            delta = ev.get("delta") or {}
            if "toolUse" in delta:
                return acc.add_call(index, arguments=delta["toolUse"].get("input") or "")
            return acc.add_text(delta.get("text") or "")
        if event == "messageStop":
            acc.finish_reason = FINISH.get(ev.get("stopReason") or "", "other")
        elif event == "metadata":
            u = ev.get("usage") or {}
            acc.usage = Usage(int(u.get("inputTokens") or 0), int(u.get("outputTokens") or 0))
            acc.finished = True
        return []
