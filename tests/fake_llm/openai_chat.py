"""Fake OpenAI chat completions (``/openai/v1/chat/completions``), also serving as the custom
OpenAI-compatible provider, Azure (``/openai/deployments/<d>/chat/completions``), Mistral and Groq."""

from __future__ import annotations

import asyncio
import json
import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from tests.fake_llm import script

def _plan(body: dict) -> script.Plan:
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    content = last.get("content")
    text = content if isinstance(content, str) else " ".join(
        p.get("text", "") for p in content or [] if isinstance(p, dict))
    fmt = body.get("response_format") or {}
    schema = (fmt.get("json_schema") or {}).get("schema")
    forced = _forced_score_tool(body)
    if forced is not None:  # a judge answering through a forced tool call (its score schema's fields)
        name, params = forced
        users = [m for m in messages if m.get("role") == "user"]
        asked = users[-1].get("content") if users else ""
        p = script.plan(body.get("model", ""), "", sum(script.words(m.get("content")) for m in messages), [], False)
        p.tool = (name, script.json_answer(asked if isinstance(asked, str) else "", params))
        return p
    return script.plan(body.get("model", ""), text if last.get("role") == "user" else "",
                       sum(script.words(m.get("content")) for m in messages),
                       [t["function"]["name"] for t in body.get("tools") or []], bool(fmt), schema)


def _forced_score_tool(body: dict) -> tuple[str, dict] | None:
    """(name, parameters) of the tool ``tool_choice`` forces, when its parameters ask for a score."""
    choice = body.get("tool_choice")
    name = (choice.get("function") or {}).get("name") if isinstance(choice, dict) else None
    for t in body.get("tools") or []:
        fn = t.get("function") or {}
        params = fn.get("parameters") or {}
        if fn.get("name") == name and ({"category", "value"} & set(params.get("properties") or {})):
            return name, params
    return None


def _error(status: int) -> JSONResponse:
    messages = {401: "Incorrect API key provided.", 404: "The model does not exist.", 400: "Bad request.",
                429: "Rate limit reached.", 500: "The server had an error."}
    headers = {"retry-after": "0"} if status == 429 else {}
    return JSONResponse({"error": {"message": messages[status], "type": "fake", "code": status}},
                        status_code=status, headers=headers)


def _usage(p: script.Plan) -> dict:
    return {"prompt_tokens": p.input_tokens, "completion_tokens": p.output_tokens,
            "total_tokens": p.input_tokens + p.output_tokens}


async def _chunks(body: dict, p: script.Plan):
    base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": body.get("model")}

    def chunk(delta: dict, finish=None, **more) -> str:
        return "data: " + json.dumps({**base, **more, "choices": [{"index": 0, "delta": delta,
                                                                    "finish_reason": finish}]}) + "\n\n"

    yield chunk({"role": "assistant", "content": ""})
    if p.tool:
        await script.pace(p, 0)
        yield chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                     "function": {"name": p.tool[0], "arguments": ""}}]})
        args = p.tool[1]
        for piece in (args[: len(args) // 2], args[len(args) // 2:]):
            yield chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
    for i, token in enumerate(p.tokens):
        await script.pace(p, i)
        if "malformed" in p.scenario and i == 1:
            yield "data: {not json\n\n"
        yield chunk({"content": token})
        if "truncated" in p.scenario and i == 1:
            return
    separate = (body.get("stream_options") or {}).get("include_usage")
    # Without stream_options the usage rides on the last chunk, as Mistral sends it.
    yield chunk({}, "tool_calls" if p.tool else "stop", **({} if separate else {"usage": _usage(p)}))
    if separate:
        yield "data: " + json.dumps({**base, "choices": [], "usage": _usage(p)}) + "\n\n"
    yield "data: [DONE]\n\n"


async def _answer(request: Request, record: list):
    body = await request.json()
    record.append({"provider": "openai", "path": request.url.path, "headers": dict(request.headers), "body": body})
    model = body.get("model") or request.path_params.get("deployment", "")
    body["model"] = model
    await script.hang_if_asked(model)
    status = script.failure(model)
    if status:
        return _error(status)
    p = _plan(body)
    if body.get("stream"):
        return StreamingResponse(_chunks(body, p), media_type="text/event-stream")
    if p.ttft:  # a whole answer arrives after the model's latency (``ttftN`` in its name)
        await asyncio.sleep(p.ttft)
    message = ({"role": "assistant", "content": None, "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": p.tool[0], "arguments": p.tool[1]}}]}
        if p.tool else {"role": "assistant", "content": p.text})
    return JSONResponse({"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                         "model": model, "usage": _usage(p),
                         "choices": [{"index": 0, "message": message,
                                      "finish_reason": "tool_calls" if p.tool else "stop"}]})


def routes(record: list) -> APIRouter:
    router = APIRouter()

    @router.post("/openai/v1/chat/completions")
    async def chat(request: Request):
        return await _answer(request, record)

    @router.post("/openai/deployments/{deployment}/chat/completions")
    async def azure(request: Request, deployment: str):
        return await _answer(request, record)

    return router
