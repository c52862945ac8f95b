"""Item 2: GraphQL cost is bounded. Cyclic nesting, alias floods, deep documents and overlong
pages are refused before they run; the API key is checked before a document is parsed; a request
past its time budget stops; every document the official Python SDK sends stays within bounds."""

from __future__ import annotations

import importlib
import pkgutil
import time
import uuid

import httpx
from graphql import get_introspection_query, parse

from api.graphql import limits
from api.graphql.app import get_schema
from tests.api.gql import gql

INGEST = "mutation { ingestStep(id: \"%s\", threadId: \"%s\", type: run, name: \"s\") { ok message } }"


def _too_complex(body: dict) -> str:
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX", body
    return body["errors"][0]["message"]


def test_cyclic_nesting_is_refused_before_running(live):
    _, key = live.new_key()
    thread = uuid.uuid4().hex
    for i in range(4):
        assert gql(live, key, INGEST % (f"s{i}", thread))["data"]["ingestStep"]["ok"]
    nested = "step(id: \"s0\") { thread { steps { thread { steps { thread { steps { id } } } } } } }"
    started = time.monotonic()
    message = _too_complex(gql(live, key, "query { %s }" % nested, status=400))
    assert "Step inside itself" in message and time.monotonic() - started < 5
    # One level of going back is what clients do, and is answered.
    ok = gql(live, key, "query { step(id: \"s0\") { thread { steps { id } } } }")
    assert len(ok["data"]["step"]["thread"]["steps"]) == 4


def test_alias_floods_and_deep_documents_are_refused(live):
    _, key = live.new_key()
    aliases = " ".join(f"a{i}: participant(id: \"x\") {{ id }}" for i in range(5000))
    assert "root fields" in _too_complex(gql(live, key, "query { %s }" % aliases, status=400))
    deep = "__type(name: \"Step\") { " + "ofType { " * 20 + "name" + " }" * 20 + " }"
    assert "levels deep" in _too_complex(gql(live, key, "query { %s }" % deep, status=400))
    pages = "threads(first: 1000) { edges { node { steps { scores { id } attachments { id } } } } }"
    assert "objects" in _too_complex(gql(live, key, "query { %s }" % pages, status=400))


def test_the_api_key_is_checked_before_the_document_is_parsed(live):
    huge = "query { " + "participant(id: \"x\") { id } " * 20_000  # ~400 KB, and not even valid
    started = time.monotonic()
    r = httpx.post(f"{live.url}/api/graphql", json={"query": huge}, timeout=60)
    assert r.status_code == 401 and "Syntax Error" not in r.text
    assert time.monotonic() - started < 3
    r = httpx.post(f"{live.url}/api/graphql", json={"query": huge}, headers={"x-api-key": "lsk_wrong"}, timeout=60)
    assert r.status_code == 401


def test_a_request_past_its_time_budget_stops(strict_live):
    _, key = strict_live.new_key()
    body = gql(strict_live, key, "query { participant(id: \"x\") { id } }")
    assert "errors" in body, body
    assert body["data"]["participant"] is None
    assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
    assert "took longer than" in body["errors"][0]["message"]


def _python_sdk_documents() -> dict[str, str]:
    import literalai.api.helpers as helpers

    docs = {}
    for info in pkgutil.iter_modules(helpers.__path__):
        module = importlib.import_module(f"{helpers.__name__}.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, str) and ("query" in value or "mutation" in value) and "{" in value:
                docs[f"{info.name}.{name}"] = value
    return docs


def test_every_official_python_document_and_introspection_are_within_bounds():
    docs = _python_sdk_documents()
    assert len(docs) >= 40
    for name, text in {**docs, "introspection": get_introspection_query()}.items():
        assert limits.check(get_schema(), parse(text)) == [], name
    from literalai.api.helpers.step_helpers import send_steps_helper  # the batch builder

    batch = send_steps_helper([{"id": f"s{i}", "name": "n"} for i in range(1000)])
    assert limits.check(get_schema(), parse(batch[0])) == []
