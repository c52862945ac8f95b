"""Fake Anthropic messages API (``/anthropic/v1/messages``), plain and streamed."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from tests.fake_llm import script

_ERRORS = {401: ("authentication_error", "invalid x-api-key"), 404: ("not_found_error", "model: not found"),
           400: ("invalid_request_error", "bad request"), 429: ("rate_limit_error", "Number of requests exceeded"),
           500: ("api_error", "Internal server error")}


def _plan(body: dict) -> script.Plan:
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    content = last.get("content")
    text = content if isinstance(content, str) else " ".join(
        b.get("text", "") for b in content or [] if b.get("type") == "text")
    is_user = last.get("role") == "user" and not any(b.get("type") == "tool_result" for b in content or []
                                                     if isinstance(b, dict))
    system = body.get("system") or ""
    schema = None
    if "JSON schema" in system:
        schema = json.loads(system.split("JSON schema:\n", 1)[1])
    return script.plan(body.get("model", ""), text if is_user else "",
                       sum(script.words(m.get("content")) for m in messages) + script.words(system),
                       [t["name"] for t in body.get("tools") or []], "JSON object" in system, schema)


def _event(kind: str, data: dict) -> str:
    return f"event: {kind}\ndata: {json.dumps({'type': kind, **data})}\n\n"


async def _events(body: dict, p: script.Plan):
    yield _event("message_start", {"message": {"id": "msg_fake", "type": "message", "role": "assistant",
                                               "model": body["model"], "content": [],
                                               "usage": {"input_tokens": p.input_tokens, "output_tokens": 1}}})
    if p.tool:
        await script.pace(p, 0)
        yield _event("content_block_start", {"index": 0, "content_block": {
            "type": "tool_use", "id": "toolu_1", "name": p.tool[0], "input": {}}})
        yield _event("content_block_delta", {"index": 0, "delta": {"type": "input_json_delta",
                                                                    "partial_json": p.tool[1]}})
    else:
        yield _event("content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}})
        yield _event("ping", {})
        for i, token in enumerate(p.tokens):
            await script.pace(p, i)
            if "malformed" in p.scenario and i == 1:
                yield "event: content_block_delta\ndata: {oops\n\n"
            yield _event("content_block_delta", {"index": 0, "delta": {"type": "text_delta", "text": token}})
            if "truncated" in p.scenario and i == 1:
                return
    yield _event("content_block_stop", {"index": 0})
    yield _event("message_delta", {"delta": {"stop_reason": "tool_use" if p.tool else "end_turn"},
                                   "usage": {"output_tokens": p.output_tokens}})
    yield _event("message_stop", {})


def routes(record: list) -> APIRouter:
    router = APIRouter()

    @router.post("/anthropic/v1/messages")
    async def messages(request: Request):
        body = await request.json()
        record.append({"provider": "anthropic", "path": request.url.path, "headers": dict(request.headers),
                       "body": body})
        await script.hang_if_asked(body.get("model", ""))
        status = script.failure(body.get("model", ""))
        if status:
            kind, message = _ERRORS[status]
            return JSONResponse({"type": "error", "error": {"type": kind, "message": message}}, status_code=status,
                                headers={"retry-after": "0"} if status == 429 else {})
        p = _plan(body)
        if body.get("stream"):
            return StreamingResponse(_events(body, p), media_type="text/event-stream")
        content = ([{"type": "tool_use", "id": "toolu_1", "name": p.tool[0], "input": json.loads(p.tool[1])}]
                   if p.tool else [{"type": "text", "text": p.text}])
        return JSONResponse({"id": "msg_fake", "type": "message", "role": "assistant", "model": body["model"],
                             "content": content, "stop_reason": "tool_use" if p.tool else "end_turn",
                             "usage": {"input_tokens": p.input_tokens, "output_tokens": p.output_tokens}})

    return router
