"""Fake LLM providers for tests and benchmarks: one FastAPI server speaking the OpenAI chat format
(also Azure's deployment URLs), Anthropic messages, Gemini generateContent and Bedrock Converse,
each plain and streamed, with tool calls, usage and error answers (see ``script`` for the
scenarios a model name selects: 429 with Retry-After, 5xx, hang, malformed stream, ...).

    fake = start_fake_llm(); fake.base("anthropic")  # http://127.0.0.1:PORT/anthropic/v1; fake.stop()

Run it alone (benchmarks, manual checks): ``python -m tests.fake_llm --port 8011``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import uvicorn
from fastapi import FastAPI

from tests.fake_llm import anthropic, bedrock, gemini, openai_chat
from tests.live import free_port

BASES = {"openai": "/openai/v1", "custom": "/openai/v1", "mistral": "/openai/v1", "groq": "/openai/v1",
         "azure_openai": "", "anthropic": "/anthropic/v1", "gemini": "/gemini/v1beta", "bedrock": "/bedrock"}


def build_app(record: list) -> FastAPI:
    app = FastAPI()
    for module in (openai_chat, anthropic, gemini, bedrock):
        app.include_router(module.routes(record))
    return app


@dataclass
class FakeLLM:
    url: str
    server: uvicorn.Server
    thread: threading.Thread
    requests: list[dict] = field(default_factory=list)

    def base(self, provider: str) -> str:
        """The base URL a credential of ``provider`` should use to reach this fake."""
        return self.url + BASES[provider]

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def start_fake_llm(port: int | None = None) -> FakeLLM:
    """Serve the fakes on a free port in a background thread; returns once it accepts requests."""
    record: list[dict] = []
    port = port or free_port()
    config = uvicorn.Config(build_app(record), host="127.0.0.1", port=port, log_level="warning",
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.02)
    return FakeLLM(f"http://127.0.0.1:{port}", server, thread, record)
