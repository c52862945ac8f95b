"""ASGI middleware that answers ``get_prompt`` before FastAPI's routing.

The SDKs call ``get_prompt`` before each LLM call. Its fast path (``app.serve_prompt``: one
statement, the answer rendered without graphql-core's executor) cost less than FastAPI's own
routing, request and response machinery around it (~0.2 ms of CPU per request on this machine).
Installed inside the rate limit, CORS and security-header middlewares (``api.app.build_api``), it
reads the small JSON body of ``POST /api/graphql`` once a ``promptVersion`` document is known,
answers when the fast path can, and otherwise hands the request on with its body replayed, so the
ordinary endpoint sees it unchanged.
"""

from __future__ import annotations

import orjson

from api.graphql import app as graphql

FAST_BODY_MAX = 16 * 1024  # the clients' get_prompt bodies are under 1 KB
_WANTED = (b"x-api-key", b"x-env", b"content-length")


class PromptFastPath:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if (scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != "/api/graphql"
                or not graphql.knows_prompt_documents()):
            await self.app(scope, receive, send)
            return
        headers = {k: v for k, v in scope["headers"] if k in _WANTED}
        length = headers.get(b"content-length", b"")
        if not length.isdigit() or int(length) > FAST_BODY_MAX:
            await self.app(scope, receive, send)
            return
        messages, chunks = [], []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":  # e.g. a disconnect: the ordinary path sees it
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        answer = None
        if messages[-1]["type"] == "http.request":
            key, env = headers.get(b"x-api-key"), headers.get(b"x-env")
            answer = await graphql.serve_prompt(b"".join(chunks), key and key.decode("latin-1"),
                                                env and env.decode("latin-1"))
        if answer is None:
            await self.app(scope, _replay(messages, receive), send)
            return
        payload = orjson.dumps(answer)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})


def _replay(messages: list[dict], receive):
    """``receive`` that gives the messages already read first."""
    pending = list(messages)

    async def replayed():
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
