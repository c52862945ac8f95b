"""Items 6 and 7: values no database can store faithfully (a lone surrogate, an integer beyond 64
bits) and negative counts/durations fail only the step holding them, with a readable reason; the
other steps of the batch are stored."""

from __future__ import annotations

import json
import uuid

import httpx

from tests.api.gql import gql

ADD = ("mutation AddStep($thread: String, $id_0: String!, $input_0: Json, $name_0: String, $id_1: String!, $input_1: Json, "
       "$generation_1: GenerationPayloadInput, $startTime_1: DateTime, $endTime_1: DateTime) {"
       " step0: ingestStep(id: $id_0, threadId: $thread, name: $name_0, type: run, input: $input_0) { ok message }"
       " step1: ingestStep(id: $id_1, threadId: $thread, type: llm, input: $input_1, generation: $generation_1,"
       " startTime: $startTime_1, endTime: $endTime_1) { ok message } }")
STEP = "query($id: String!) { step(id: $id) { id input } }"


def _post_raw(live, key: str, raw: str) -> httpx.Response:
    """Send a body as written (the standard encoder would escape what we want to send as is)."""
    return httpx.post(f"{live.url}/api/graphql", content=raw.encode(), timeout=60,
                      headers={"x-api-key": key, "content-type": "application/json"})


def _batch(variables: dict) -> str:
    return json.dumps({"query": ADD, "variables": {"thread": uuid.uuid4().hex, **variables}})


def test_a_lone_surrogate_fails_only_its_step(live):
    _, key = live.new_key()
    raw = _batch({"id_0": "bad", "input_0": {"text": "@@SURROGATE@@"}, "id_1": "good", "input_1": {"text": "fine"}})
    r = _post_raw(live, key, raw.replace("@@SURROGATE@@", "\\ud800"))
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["step0"]["ok"] is False and "surrogate" in data["step0"]["message"]
    assert data["step1"]["ok"] is True, data
    assert gql(live, key, STEP, {"id": "good"})["data"]["step"]["input"] == {"text": "fine"}
    assert gql(live, key, STEP, {"id": "bad"})["data"]["step"] is None
    raw = _batch({"id_0": "bad-name", "name_0": "@@SURROGATE@@", "id_1": "good-2"})
    data = _post_raw(live, key, raw.replace("@@SURROGATE@@", "x\\udfff")).json()["data"]
    assert data["step0"]["ok"] is False and "name" in data["step0"]["message"] and data["step1"]["ok"]


def test_an_integer_beyond_64_bits_fails_its_step_and_is_never_a_float(live):
    _, key = live.new_key()
    raw = _batch({"id_0": "big", "input_0": {"n": 12345}, "id_1": "ok", "input_1": {"n": 9007199254740993}})
    r = _post_raw(live, key, raw.replace("12345", "100000000000000000000000"))
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["step0"]["ok"] is False and "beyond 64 bits" in data["step0"]["message"]
    assert data["step1"]["ok"] is True, data
    # A 64-bit integer beyond float precision is stored exactly.
    assert gql(live, key, STEP, {"id": "ok"})["data"]["step"]["input"] == {"n": 9007199254740993}
    literal = "mutation { ingestStep(id: \"lit\", input: {n: 100000000000000000000000}) { ok message } }"
    body = gql(live, key, literal)
    assert body["data"]["ingestStep"]["ok"] is False and "beyond 64 bits" in body["data"]["ingestStep"]["message"]


def test_negative_counts_and_durations_are_refused_per_step(live):
    _, key = live.new_key()
    for generation, field in (({"tokenCount": -5}, "tokenCount"), ({"inputTokenCount": -1}, "inputTokenCount"),
                              ({"outputTokenCount": -1000}, "outputTokenCount"), ({"duration": -1.5}, "duration"),
                              ({"ttFirstToken": -0.1}, "ttFirstToken")):
        body = gql(live, key, ADD, {"thread": uuid.uuid4().hex, "id_0": f"fine-{field}", "id_1": f"neg-{field}",
                                    "generation_1": {"type": "CHAT", "model": "gpt-4o", **generation}})
        assert body["data"]["step0"]["ok"] is True, body
        assert body["data"]["step1"]["ok"] is False and field in body["data"]["step1"]["message"]
        assert "non-negative" in body["data"]["step1"]["message"]
    body = gql(live, key, ADD, {"thread": uuid.uuid4().hex, "id_0": "a", "id_1": "backwards", "startTime_1": "2026-01-01T00:00:10Z",
                                "endTime_1": "2026-01-01T00:00:00Z"})
    assert body["data"]["step1"]["ok"] is False and "negative duration" in body["data"]["step1"]["message"]
    cost = "query { threads(first: 5) { edges { node { id tokenCount } } } }"
    assert all(e["node"]["tokenCount"] >= 0 for e in gql(live, key, cost)["data"]["threads"]["edges"])
