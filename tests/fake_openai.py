"""A small OpenAI-compatible fake server (FastAPI) standing in for LLM providers in tests.

Endpoints: ``POST /v1/chat/completions`` (plain, or streamed as SSE with a final usage chunk when
``stream_options.include_usage`` is set; answers with a tool call when tools are offered and the
last message is from the user), ``POST /v1/completions`` (plain or streamed), ``POST
/v1/images/generations`` and ``GET /v1/models``. Answers are deterministic: the assistant echoes
the last user message, token counts are word counts. Every request body is recorded.

    server = start_fake_openai(); ...; server.url  # e.g. http://127.0.0.1:PORT/v1; server.stop()
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from tests.live import free_port


def _words(text: Any) -> int:
    if isinstance(text, list):
        text = " ".join(part.get("text", "") for part in text if isinstance(part, dict))
    return len(str(text or "").split())


def _usage(prompt: int, completion: int) -> Dict[str, int]:
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _chat_reply(body: Dict) -> Dict:
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    prompt_tokens = sum(_words(m.get("content")) for m in messages)
    if body.get("tools") and last.get("role") == "user":
        tool = body["tools"][0]["function"]["name"]
        call = {"id": "call_1", "type": "function",
                "function": {"name": tool, "arguments": json.dumps({"query": last.get("content")})}}
        return {"message": {"role": "assistant", "content": None, "tool_calls": [call]},
                "finish_reason": "tool_calls", "usage": _usage(prompt_tokens, 5)}
    text = f"Echo: {last.get('content') if isinstance(last.get('content'), str) else 'content'}"
    return {"message": {"role": "assistant", "content": text}, "finish_reason": "stop",
            "usage": _usage(prompt_tokens, _words(text))}


def _sse(chunks: List[Dict]):
    for chunk in chunks:
        yield f"data: {json.dumps(chunk)}\n\n"
    yield "data: [DONE]\n\n"


def _chat_chunks(body: Dict, reply: Dict) -> List[Dict]:
    base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": body.get("model")}
    message = reply["message"]
    chunks = [{**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                    "finish_reason": None}]}]
    if message.get("tool_calls"):
        call = message["tool_calls"][0]
        args = call["function"]["arguments"]
        first = {"index": 0, "id": call["id"], "type": "function",
                 "function": {"name": call["function"]["name"], "arguments": ""}}
        chunks.append({**base, "choices": [{"index": 0, "delta": {"tool_calls": [first]}, "finish_reason": None}]})
        for piece in (args[: len(args) // 2], args[len(args) // 2:]):
            delta = {"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}
            chunks.append({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
    else:
        for word in message["content"].split(" "):
            chunks.append({**base, "choices": [{"index": 0, "delta": {"content": word + " "},
                                                "finish_reason": None}]})
    chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": reply["finish_reason"]}]})
    if (body.get("stream_options") or {}).get("include_usage"):
        chunks.append({**base, "choices": [], "usage": reply["usage"]})
    return chunks


def build_app(requests: List[Dict]) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def chat(request: Request):
        body = await request.json()
        requests.append({"path": "chat", "body": body})
        reply = _chat_reply(body)
        if body.get("stream"):
            return StreamingResponse(_sse(_chat_chunks(body, reply)), media_type="text/event-stream")
        return JSONResponse({"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                             "model": body.get("model"), "usage": reply["usage"],
                             "choices": [{"index": 0, "message": reply["message"],
                                          "finish_reason": reply["finish_reason"]}]})

    @app.post("/v1/completions")
    async def completions(request: Request):
        body = await request.json()
        requests.append({"path": "completions", "body": body})
        text = f" echo {body.get('prompt')}"
        base = {"id": "cmpl-fake", "object": "text_completion", "created": int(time.time()),
                "model": body.get("model")}
        if body.get("stream"):
            chunks = [{**base, "choices": [{"index": 0, "text": w + " ", "finish_reason": None}]}
                      for w in text.split()]
            return StreamingResponse(_sse(chunks), media_type="text/event-stream")
        return JSONResponse({**base, "usage": _usage(_words(body.get("prompt")), _words(text)),
                             "choices": [{"index": 0, "text": text, "finish_reason": "stop"}]})

    @app.post("/v1/images/generations")
    async def images(request: Request):
        body = await request.json()
        requests.append({"path": "images", "body": body})
        return JSONResponse({"created": int(time.time()),
                             "data": [{"url": f"https://images.example/{i}.png", "revised_prompt": body.get("prompt")}
                                      for i in range(body.get("n") or 1)]})

    @app.get("/v1/models")
    async def models():
        return {"object": "list", "data": [{"id": "fake-gpt", "object": "model", "owned_by": "tests"}]}

    return app


@dataclass
class FakeOpenAI:
    url: str
    server: uvicorn.Server
    thread: threading.Thread
    requests: List[Dict] = field(default_factory=list)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def start_fake_openai() -> FakeOpenAI:
    """Serve the fake on a free port in a background thread; returns once it accepts requests."""
    requests: List[Dict] = []
    port = free_port()
    config = uvicorn.Config(build_app(requests), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    return FakeOpenAI(f"http://127.0.0.1:{port}/v1", server, thread, requests)
