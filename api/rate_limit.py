"""Per-client rate limits on the API: a token bucket per API key (per client address for requests
without one), so one client cannot starve the others.

``LITERAL_RATE_LIMIT`` requests per second are refilled up to ``LITERAL_RATE_BURST``; a request
finding the bucket empty gets ``429`` with ``Retry-After`` (seconds until a token is back).
Buckets live in the process: with several app processes each enforces the limit on the requests
it serves. Stored files, health checks and the session-cookie routes are not limited (a browser
loads many attachment images at once; the files' links are already signed).
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time

from literal_app.config import get_settings

UNLIMITED_PREFIXES = ("/api/files/", "/api/health", "/api/auth/")
MAX_BUCKETS = 100_000


class Buckets:
    """Token buckets by client key (thread-safe; the oldest are dropped beyond MAX_BUCKETS)."""

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self._state: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """Take a token: 0 when allowed, else the seconds until one is available."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, at = self._state.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._state[key] = (tokens - 1 if tokens >= 1 else tokens, now)
            if len(self._state) > MAX_BUCKETS:
                self._state.pop(next(iter(self._state)))
            return wait


def client_key(scope) -> str:
    """The API key's hash when the request has one, else the client's address."""
    for name, value in scope.get("headers", []):
        if name == b"x-api-key" and value:
            return "k:" + hashlib.sha256(value).hexdigest()[:32]
    client = scope.get("client") or ("?", 0)
    return f"a:{client[0]}"


class RateLimit:
    """ASGI middleware applying the buckets to ``/api/*`` requests."""

    def __init__(self, app):
        self.app = app
        s = get_settings()
        self.buckets = Buckets(s.rate_limit, s.rate_burst) if s.rate_limit > 0 else None

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if (self.buckets is None or scope["type"] != "http" or not path.startswith("/api/")
                or path.startswith(UNLIMITED_PREFIXES)):
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(client_key(scope))
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        message = "Too many requests for this API key: slow down and retry after the given seconds."
        body = json.dumps({"error": message, "message": message, "errors": [{"message": message}]}).encode()
        await send({"type": "http.response.start", "status": 429, "headers": [
            (b"content-type", b"application/json"), (b"retry-after", str(max(1, math.ceil(wait))).encode())]})
        await send({"type": "http.response.body", "body": body})
