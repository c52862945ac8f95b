"""Sending an adapter's HTTP call with httpx: status errors into ``ProviderError`` with the
provider's own message, retries of 429/5xx/connection failures with backoff (honouring
Retry-After) while nothing has been streamed yet, SSE (httpx-sse) and AWS event-stream decoding."""

from __future__ import annotations

import asyncio
import json
import random
import time
from email.utils import parsedate_to_datetime
from typing import AsyncIterator, Iterator

import httpx
from botocore.eventstream import EventStreamBuffer
from httpx_sse import EventSource

from literal_app.services.providers.types import ChatRequest, ProviderError
from literal_app.services.providers.wire import Adapter, HttpCall

ATTEMPTS = 3
MAX_WAIT = 20.0  # never wait longer than this between attempts, whatever Retry-After says
BASE_DELAY = 0.5

_client: httpx.Client | None = None


def client() -> httpx.Client:
    """One pooled sync client per process (keeps TLS connections to providers warm)."""
    global _client
    if _client is None:
        _client = httpx.Client(limits=httpx.Limits(max_connections=100, max_keepalive_connections=20))
    return _client


def timeout(request: ChatRequest) -> httpx.Timeout:
    return httpx.Timeout(request.timeout, connect=min(10.0, request.timeout))


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait from ``retry-after-ms`` / ``retry-after`` (seconds or an HTTP date)."""
    if headers.get("retry-after-ms"):
        try:
            return float(headers["retry-after-ms"]) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def status_error(adapter: Adapter, request: ChatRequest, status: int, headers: httpx.Headers,
                 body: bytes) -> ProviderError:
    """A readable error for a non-2xx answer, quoting the provider's message."""
    try:
        detail = adapter.error_text(json.loads(body))
    except ValueError:
        detail = body.decode(errors="replace").strip()[:500] or httpx.codes.get_reason_phrase(status)
    hint = {401: " Check the credential's API key.", 403: " The key is not allowed to use this model.",
            404: f" The model {request.model!r} may not exist for this credential."}.get(status, "")
    return ProviderError(f"{adapter.label} answered {status}: {detail}{hint}", provider=adapter.provider,
                         status=status, retryable=status == 429 or status >= 500, retry_after=retry_after(headers))


def transport_error(adapter: Adapter, request: ChatRequest, exc: httpx.HTTPError) -> ProviderError:
    if isinstance(exc, httpx.TimeoutException):
        return ProviderError(f"{adapter.label} did not answer within {request.timeout:g} s.", provider=adapter.provider)
    return ProviderError(f"Could not reach {adapter.label}: {exc.__class__.__name__} {exc}".strip(),
                         provider=adapter.provider, retryable=isinstance(exc, httpx.ConnectError))


def delay(error: ProviderError, attempt: int) -> float:
    if error.retry_after is not None:
        return min(MAX_WAIT, error.retry_after)
    return min(MAX_WAIT, BASE_DELAY * 2 ** attempt * (0.5 + random.random()))


def send(adapter: Adapter, request: ChatRequest, call: HttpCall) -> dict:
    """The JSON answer of a plain call, retrying what is retryable."""
    for attempt in range(ATTEMPTS):
        try:
            resp = client().request(call.method, call.url, headers=call.headers, content=call.body,
                                    timeout=timeout(request))
            if resp.is_success:
                try:
                    return resp.json()
                except ValueError:
                    raise ProviderError(f"{adapter.label} answered with something that is not JSON: "
                                        f"{resp.text[:200]!r}", provider=adapter.provider)
            error = status_error(adapter, request, resp.status_code, resp.headers, resp.content)
        except httpx.HTTPError as exc:
            error = transport_error(adapter, request, exc)
        if not error.retryable or attempt == ATTEMPTS - 1:
            raise error
        time.sleep(delay(error, attempt))
    raise AssertionError("unreachable")


def events(response: httpx.Response, call: HttpCall) -> Iterator[tuple[str, str]]:
    """(event name, data) pairs of a streamed answer."""
    if call.stream_format == "eventstream":
        buffer = EventStreamBuffer()
        for chunk in response.iter_bytes():
            buffer.add_data(chunk)
            for message in buffer:
                yield _frame(message)
        return
    for sse in EventSource(response).iter_sse():
        if sse.data:
            yield sse.event, sse.data


async def aevents(response: httpx.Response, call: HttpCall) -> AsyncIterator[tuple[str, str]]:
    if call.stream_format == "eventstream":
        buffer = EventStreamBuffer()
        async for chunk in response.aiter_bytes():
            buffer.add_data(chunk)
            for message in buffer:
                yield _frame(message)
        return
    async for sse in EventSource(response).aiter_sse():
        if sse.data:
            yield sse.event, sse.data


def _frame(message) -> tuple[str, str]:
    headers = message.headers
    if headers.get(":message-type") == "exception":
        return headers.get(":exception-type", "exception"), message.payload.decode(errors="replace")
    if headers.get(":message-type") == "error":
        return "exception", json.dumps({"message": headers.get(":error-message", "error")})
    return headers.get(":event-type", ""), message.payload.decode(errors="replace")


async def asleep(error: ProviderError, attempt: int) -> None:
    await asyncio.sleep(delay(error, attempt))
