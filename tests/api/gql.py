"""A tiny GraphQL client for API tests: post a document with a key, return the decoded body."""

from __future__ import annotations

import httpx


def gql(live, key: str | None, query: str, variables: dict | None = None, env: str | None = None,
        status: int = 200) -> dict:
    headers = {"x-api-key": key} if key else {}
    if env:
        headers["x-env"] = env
    r = httpx.post(f"{live.url}/api/graphql", json={"query": query, "variables": variables or {}},
                   headers=headers, timeout=180)
    assert r.status_code == status, r.text
    return r.json()
