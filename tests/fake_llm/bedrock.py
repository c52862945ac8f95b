"""Fake Amazon Bedrock runtime (``/bedrock/model/<id>/converse`` and ``/converse-stream``); the
stream is AWS event-stream framing (binary, CRC-checked), as the real service sends it. Requests
must carry a SigV4 ``Authorization`` header for the ``bedrock`` service."""

from __future__ import annotations

import binascii
import json
import struct

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from tests.fake_llm import script

_TYPES = {401: "UnrecognizedClientException", 404: "ResourceNotFoundException", 400: "ValidationException",
          429: "ThrottlingException", 500: "InternalServerException"}


def frame(headers: dict[str, str], payload: bytes) -> bytes:
    """One event-stream message: prelude (lengths + CRC), string headers, payload, message CRC."""
    raw = b"".join(bytes([len(k)]) + k.encode() + b"\x07" + struct.pack(">H", len(v)) + v.encode()
                   for k, v in headers.items())
    prelude = struct.pack(">II", 16 + len(raw) + len(payload), len(raw))
    head = prelude + struct.pack(">I", binascii.crc32(prelude))
    body = head + raw + payload
    return body + struct.pack(">I", binascii.crc32(body))


def event(kind: str, data: dict) -> bytes:
    return frame({":event-type": kind, ":content-type": "application/json", ":message-type": "event"},
                 json.dumps(data).encode())


def _plan(model: str, body: dict) -> script.Plan:
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    text = " ".join(b["text"] for b in last.get("content") or [] if "text" in b)
    is_user = last.get("role") == "user" and not any("toolResult" in b for b in last.get("content") or [])
    system = " ".join(s.get("text", "") for s in body.get("system") or [])
    schema = json.loads(system.split("JSON schema:\n", 1)[1]) if "JSON schema:\n" in system else None
    tools = [t["toolSpec"]["name"] for t in (body.get("toolConfig") or {}).get("tools") or []]
    return script.plan(model, text if is_user else "",
                       sum(script.words(b.get("text")) for m in messages for b in m.get("content") or []),
                       tools, "JSON object" in system, schema)


async def _stream(p: script.Plan):
    yield event("messageStart", {"role": "assistant"})
    if p.tool:
        await script.pace(p, 0)
        yield event("contentBlockStart", {"contentBlockIndex": 0, "start": {
            "toolUse": {"toolUseId": "tooluse_1", "name": p.tool[0]}}})
        yield event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"toolUse": {"input": p.tool[1]}}})
    for i, token in enumerate(p.tokens):
        await script.pace(p, i)
        if "malformed" in p.scenario and i == 1:
            yield frame({":event-type": "contentBlockDelta", ":message-type": "event"}, b"{oops")
        yield event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": token}})
        if "truncated" in p.scenario and i == 1:
            return
    yield event("contentBlockStop", {"contentBlockIndex": 0})
    yield event("messageStop", {"stopReason": "tool_use" if p.tool else "end_turn"})
    yield event("metadata", {"usage": {"inputTokens": p.input_tokens, "outputTokens": p.output_tokens,
                                       "totalTokens": p.input_tokens + p.output_tokens},
                             "metrics": {"latencyMs": 1}})


def _error(status: int, message: str) -> Response:
    headers = {"x-amzn-ErrorType": _TYPES.get(status, "Error")}
    if status == 429:
        headers["retry-after"] = "0"
    return JSONResponse({"message": message}, status_code=status, headers=headers)


def routes(record: list) -> APIRouter:
    router = APIRouter()

    @router.post("/bedrock/model/{model}/{action}")
    async def converse(request: Request, model: str, action: str):
        body = await request.json()
        auth = request.headers.get("authorization", "")
        record.append({"provider": "bedrock", "path": request.url.path, "headers": dict(request.headers),
                       "body": body})
        if not auth.startswith("AWS4-HMAC-SHA256 Credential=") or "/bedrock/aws4_request" not in auth:
            return _error(403, "Missing Authentication Token")
        await script.hang_if_asked(model)
        status = script.failure(model)
        if status:
            return _error(status, f"Fake Bedrock error {status}.")
        p = _plan(model, body)
        if action == "converse-stream":
            return StreamingResponse(_stream(p), media_type="application/vnd.amazon.eventstream")
        content = ([{"toolUse": {"toolUseId": "tooluse_1", "name": p.tool[0], "input": json.loads(p.tool[1])}}]
                   if p.tool else [{"text": p.text}])
        return JSONResponse({"output": {"message": {"role": "assistant", "content": content}},
                             "stopReason": "tool_use" if p.tool else "end_turn",
                             "usage": {"inputTokens": p.input_tokens, "outputTokens": p.output_tokens,
                                       "totalTokens": p.input_tokens + p.output_tokens},
                             "metrics": {"latencyMs": 1}})

    return router
