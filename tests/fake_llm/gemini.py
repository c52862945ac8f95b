"""Fake Gemini API (``/gemini/v1beta/models/<model>:generateContent`` and
``:streamGenerateContent?alt=sse``)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from tests.fake_llm import script

_STATUS = {401: "UNAUTHENTICATED", 404: "NOT_FOUND", 400: "INVALID_ARGUMENT", 429: "RESOURCE_EXHAUSTED",
           500: "INTERNAL"}


def _plan(model: str, body: dict) -> script.Plan:
    contents = body.get("contents") or []
    last = contents[-1] if contents else {}
    text = " ".join(p.get("text", "") for p in last.get("parts") or [] if "text" in p)
    is_user = last.get("role") == "user" and not any("functionResponse" in p for p in last.get("parts") or [])
    config = body.get("generationConfig") or {}
    tools = [d["name"] for t in body.get("tools") or [] for d in t.get("functionDeclarations") or []]
    return script.plan(model, text if is_user else "",
                       sum(script.words(p.get("text")) for c in contents for p in c.get("parts") or []), tools,
                       config.get("responseMimeType") == "application/json", config.get("responseJsonSchema"))


def _chunk(model: str, parts: list, finish: str | None = None, usage: script.Plan | None = None) -> dict:
    cand: dict = {"content": {"role": "model", "parts": parts}, "index": 0}
    if finish:
        cand["finishReason"] = finish
    out: dict = {"candidates": [cand], "modelVersion": model}
    if usage:
        out["usageMetadata"] = {"promptTokenCount": usage.input_tokens, "candidatesTokenCount": usage.output_tokens,
                                "totalTokenCount": usage.input_tokens + usage.output_tokens}
    return out


async def _stream(model: str, p: script.Plan):
    if p.tool:
        await script.pace(p, 0)
        call = {"functionCall": {"name": p.tool[0], "args": json.loads(p.tool[1])}}
        yield f"data: {json.dumps(_chunk(model, [call], 'STOP', p))}\n\n"
        return
    for i, token in enumerate(p.tokens):
        await script.pace(p, i)
        if "malformed" in p.scenario and i == 1:
            yield "data: [oops\n\n"
        last = i == len(p.tokens) - 1
        yield f"data: {json.dumps(_chunk(model, [{'text': token}], 'STOP' if last else None, p if last else None))}\n\n"
        if "truncated" in p.scenario and i == 1:
            return


def routes(record: list) -> APIRouter:
    router = APIRouter()

    @router.post("/gemini/v1beta/models/{target}")
    async def generate(request: Request, target: str):
        body = await request.json()
        model, _, action = target.partition(":")
        record.append({"provider": "gemini", "path": request.url.path, "query": str(request.url.query),
                       "headers": dict(request.headers), "body": body})
        await script.hang_if_asked(model)
        status = script.failure(model)
        if status:
            return JSONResponse({"error": {"code": status, "message": f"Fake Gemini error {status}.",
                                           "status": _STATUS[status]}}, status_code=status,
                                headers={"retry-after": "0"} if status == 429 else {})
        p = _plan(model, body)
        if action == "streamGenerateContent":
            return StreamingResponse(_stream(model, p), media_type="text/event-stream")
        parts = ([{"functionCall": {"name": p.tool[0], "args": json.loads(p.tool[1])}}] if p.tool
                 else [{"text": p.text}])
        return JSONResponse(_chunk(model, parts, "STOP", p))

    return router
