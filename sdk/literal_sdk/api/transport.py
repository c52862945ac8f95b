"""HTTP to a Literal AI-compatible server: GraphQL and REST calls, sync and async.

httpx is imported on first use so that importing the SDK stays fast; the sync client is kept and
reused (connection pooling), async calls use a client per call because an ``AsyncClient`` is
bound to the event loop that created it.
"""

import logging
import os
import threading
from typing import Any, Dict, Optional

from literal_sdk.context import active_env_var
from literal_sdk.helpers import strip_bytes
from literal_sdk.version import __version__

logger = logging.getLogger("literal_sdk")


class LiteralAPIError(Exception):
    """The server answered with an error (non-2xx, GraphQL ``errors`` or ``ok: false``)."""

    def __init__(self, message: str, status: Optional[int] = None, errors: Any = None):
        super().__init__(message)
        self.status, self.errors = status, errors

    @property
    def transient(self) -> bool:
        """Worth retrying: the server is overloaded or failing, not rejecting the request."""
        return self.status is not None and (self.status >= 500 or self.status == 429)


def _httpx():
    import httpx
    return httpx


def check_graphql(description: str, response: Any, check_ok: bool = True) -> Dict:
    """The decoded body of a GraphQL response, or :class:`LiteralAPIError`."""
    if response.status_code >= 300:
        raise LiteralAPIError(f"Failed to {description}: {response.text}", response.status_code)
    try:
        body = response.json()
    except ValueError:
        raise LiteralAPIError(f"Failed to {description}: invalid JSON response", response.status_code)
    if body.get("errors"):
        raise LiteralAPIError(f"Failed to {description}: {body['errors']}", response.status_code,
                              body["errors"])
    data = body.get("data")
    if check_ok and isinstance(data, dict):
        for value in data.values():
            if isinstance(value, dict) and value.get("ok") is False:
                raise LiteralAPIError(f"Failed to {description}: {value.get('message')}",
                                      response.status_code, value)
    return body


class Transport:
    """Endpoints, headers and the underlying HTTP clients of one API key and base URL."""

    def __init__(self, api_key: str, url: str, environment: Optional[str] = None):
        self.api_key = api_key
        self.url = url[:-1] if url.endswith("/") else url
        self.environment = environment
        self.graphql_endpoint = self.url + "/api/graphql"
        self.rest_endpoint = self.url + "/api"
        self._client = None
        self._lock = threading.Lock()

    def headers(self, env: Optional[str] = None) -> Dict[str, str]:
        headers = {"Content-Type": "application/json", "x-api-key": self.api_key,
                   "x-client-name": "py-literal-client", "x-client-version": __version__}
        env = env or active_env_var.get() or self.environment or os.getenv("LITERAL_ENV")
        if env:
            headers["x-env"] = env
        return headers

    @property
    def client(self):
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = _httpx().Client(follow_redirects=True)
        return self._client

    def graphql(self, description: str, query: str, variables: Dict, timeout: Optional[float] = None,
                env: Optional[str] = None, check_ok: bool = True) -> Dict:
        response = self.client.post(self.graphql_endpoint, headers=self.headers(env), timeout=timeout,
                                    json={"query": query, "variables": strip_bytes(variables)})
        return check_graphql(description, response, check_ok)

    async def agraphql(self, description: str, query: str, variables: Dict,
                       timeout: Optional[float] = 10) -> Dict:
        async with _httpx().AsyncClient(follow_redirects=True) as client:
            response = await client.post(self.graphql_endpoint, headers=self.headers(), timeout=timeout,
                                         json={"query": query, "variables": strip_bytes(variables)})
        return check_graphql(description, response)

    def rest(self, subpath: str, body: Dict) -> Dict:
        response = self.client.post(self.rest_endpoint + subpath, json=body, headers=self.headers(), timeout=20)
        return _check_rest(subpath, response)

    async def arest(self, subpath: str, body: Dict) -> Dict:
        async with _httpx().AsyncClient(follow_redirects=True) as client:
            response = await client.post(self.rest_endpoint + subpath, json=body, headers=self.headers(),
                                         timeout=20)
        return _check_rest(subpath, response)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _check_rest(subpath: str, response: Any) -> Dict:
    if response.status_code >= 300:
        raise LiteralAPIError(f"Failed to call {subpath}: {response.text}", response.status_code)
    try:
        return response.json()
    except ValueError:
        raise LiteralAPIError(f"Failed to call {subpath}: invalid JSON response", response.status_code)
