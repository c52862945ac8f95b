"""ingestStep over HTTP: batches, idempotency, merge rules, limits and bad input, environments,
ownership across projects, aggregates, token counts and cost (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import uuid

import httpx
from sqlmodel import Session

from literal_app.models.settings import ModelCost
from tests.api.gql import gql

ARGS = {"id": "String!", "threadId": "String", "parentId": "String", "type": "StepType", "name": "String",
        "input": "Json", "output": "Json", "metadata": "Json", "tags": "[String!]", "error": "String",
        "startTime": "DateTime", "endTime": "DateTime", "generation": "GenerationPayloadInput",
        "scores": "[ScorePayloadInput!]", "attachments": "[AttachmentPayloadInput!]"}


def add_steps(steps: list[dict]) -> tuple[str, dict]:
    """The AddStep document the SDKs build: one aliased ingestStep per step, variables suffixed."""
    decls, fields, variables = [], [], {}
    for i, s in enumerate(steps):
        decls += [f"${k}_{i}: {t}" for k, t in ARGS.items()]
        fields.append(f"step{i}: ingestStep(" + ", ".join(f"{k}: ${k}_{i}" for k in ARGS) + ") { ok message }")
        variables.update({f"{k}_{i}": v for k, v in s.items()})
    return f"mutation AddStep({', '.join(decls)}) {{ {' '.join(fields)} }}", variables


def ingest(live, key, steps, env=None, status=200):
    query, variables = add_steps(steps)
    return gql(live, key, query, variables, env=env, status=status)


STEP = "query($id: String!) { step(id: $id) { id name type input output metadata tags environment error threadId " \
       "scores { id name value } attachments { id name url } generation { type tokenCount inputTokenCount " \
       "outputTokenCount } } }"


def get_step(live, key, sid):
    return gql(live, key, STEP, {"id": sid})["data"]["step"]


def test_one_bad_step_never_drops_the_others(live):
    _, key = live.new_key()
    good1, good2 = str(uuid.uuid4()), str(uuid.uuid4())
    body = ingest(live, key, [{"id": good1, "name": "a"}, {"id": "x" * 257}, {"id": good2, "metadata": [1]},
                              {"id": good2, "name": "b"}])["data"]
    assert body["step0"] == {"ok": True, "message": None} and body["step3"]["ok"]
    assert not body["step1"]["ok"] and "at most 256" in body["step1"]["message"]
    assert not body["step2"]["ok"] and "metadata must be a JSON object" in body["step2"]["message"]
    assert get_step(live, key, good1)["name"] == "a" and get_step(live, key, good2)["name"] == "b"


def test_limits_have_clear_messages(live):
    _, key = live.new_key()
    big_meta = {"blob": "x" * (1024 * 1024 + 10)}
    big_input = {"content": "y" * (3 * 1024 * 1024 + 10)}
    body = ingest(live, key, [{"id": "m", "metadata": big_meta}, {"id": "i", "input": big_input},
                              {"id": "o", "output": big_input}])["data"]
    assert "metadata is too large" in body["step0"]["message"] and "at most 1 MB" in body["step0"]["message"]
    assert "input is too large" in body["step1"]["message"] and "at most 3 MB" in body["step1"]["message"]
    assert "output is too large" in body["step2"]["message"]
    many = ingest(live, key, [{"id": f"s{i}"} for i in range(1001)])["data"]
    assert len(many) == 1001 and not many["step0"]["ok"] and "at most 1,000" in many["step0"]["message"]
    assert get_step(live, key, "s0") is None


def test_nul_characters_are_stored_safely(live):
    _, key = live.new_key()
    body = ingest(live, key, [{"id": "nul", "name": "a\u0000b", "input": {"content": "x\u0000y", "k\u0000": 1},
                               "tags": ["t\u0000"], "error": "e\u0000"}])["data"]
    assert body["step0"]["ok"]
    step = get_step(live, key, "nul")
    assert step["name"] == "a\ufffdb" and step["input"] == {"content": "x\ufffdy", "k\ufffd": 1}
    assert step["tags"] == ["t\ufffd"] and step["error"] == "e\ufffd"


def test_bad_documents_and_values(live):
    _, key = live.new_key()
    r = httpx.post(f"{live.url}/api/graphql", content=b"{not json", headers={"x-api-key": key})
    assert r.status_code == 400 and "not valid JSON" in r.json()["errors"][0]["message"]
    body = ingest(live, key, [{"id": "e", "type": "bogus"}])
    assert "bogus" in body["errors"][0]["message"]
    body = ingest(live, key, [{"id": "e", "startTime": "yesterday"}])
    assert "ISO-8601" in body["errors"][0]["message"]
    body = ingest(live, key, [{"id": "e", "scores": [{"name": "s", "type": "HUMAN", "value": "high"}]}])
    assert body["errors"] and "value" in body["errors"][0]["message"]


def test_a_nan_from_a_python_client_fails_only_its_own_step(live):
    """Python clients serialise float('nan') as NaN (json.dumps allows it). The body still parses;
    the step carrying it answers a clear error and the rest of the batch is stored."""
    _, key = live.new_key()
    query, variables = add_steps([{"id": "nan-step", "metadata": {"score": float("nan")}},
                                  {"id": "fine-step", "name": "kept"}])
    body = json.dumps({"query": query, "variables": variables}).encode()
    assert b"NaN" in body
    r = httpx.post(f"{live.url}/api/graphql", content=body, headers={"x-api-key": key})
    assert r.status_code == 200
    answer = r.json()["data"]
    assert not answer["step0"]["ok"] and "metadata is not valid JSON" in answer["step0"]["message"]
    assert answer["step1"]["ok"] and get_step(live, key, "fine-step")["name"] == "kept"


def test_same_batch_twice_is_idempotent_and_null_keeps_values(live):
    _, key = live.new_key()
    step = {"id": "dup", "threadId": "th-dup", "name": "n", "input": {"content": "q"}, "tags": ["a"],
            "scores": [{"id": "sc1", "name": "user-feedback", "type": "HUMAN", "value": 1}],
            "attachments": [{"id": "at1", "name": "f", "url": "https://example.com/f"}]}
    for _ in range(2):
        assert ingest(live, key, [step])["data"]["step0"]["ok"]
    got = get_step(live, key, "dup")
    assert len(got["scores"]) == 1 and len(got["attachments"]) == 1
    # A partial re-send (Chainlit element) adds an attachment and keeps everything else.
    ingest(live, key, [{"id": "dup", "threadId": "th-dup", "name": None, "attachments": [{"id": "at2", "name": "g"}]}])
    got = get_step(live, key, "dup")
    assert got["name"] == "n" and got["input"] == {"content": "q"} and got["tags"] == ["a"]
    assert [a["id"] for a in got["attachments"]] == ["at1", "at2"]
    count = gql(live, key, "{ steps(first: 5) { totalCount } threads { totalCount } }")["data"]
    assert count == {"steps": {"totalCount": 1}, "threads": {"totalCount": 1}}


def test_ids_of_another_project_are_refused(live):
    _, key_a = live.new_key()
    _, key_b = live.new_key()
    ingest(live, key_a, [{"id": "shared-step", "threadId": "shared-thread", "name": "mine"}])
    body = ingest(live, key_b, [{"id": "shared-step", "name": "theirs"}, {"id": "other", "threadId": "shared-thread"},
                                {"id": "fine", "name": "ok"}])["data"]
    assert not body["step0"]["ok"] and "another project" in body["step0"]["message"]
    assert not body["step1"]["ok"] and "thread id" in body["step1"]["message"]
    assert body["step2"]["ok"]
    assert get_step(live, key_a, "shared-step")["name"] == "mine"
    assert get_step(live, key_b, "shared-step") is None


def test_environment_from_header_with_default(live):
    _, key = live.new_key()
    ingest(live, key, [{"id": "p"}])
    ingest(live, key, [{"id": "x"}], env="experiment")
    assert get_step(live, key, "p")["environment"] == "prod"
    assert get_step(live, key, "x")["environment"] == "experiment"
    ingest(live, key, [{"id": "x", "name": "later"}])
    assert get_step(live, key, "x")["environment"] == "experiment"


def test_aggregates_tokens_and_cost(live):
    project_id, key = live.new_key()
    with Session(live.engine) as s:
        s.add(ModelCost(project_id=project_id, pattern="acme-.*", input_per_million=1000, output_per_million=2000))
        s.commit()
    gql(live, key, "mutation { upsertThread(id: \"agg\", participantId: \"pat@example.com\") { id } }")
    gen = {"type": "CHAT", "model": "acme-1", "messages": [{"role": "user", "content": "hello world"}],
           "messageCompletion": {"role": "assistant", "content": "hi"}}
    ingest(live, key, [
        {"id": "u", "threadId": "agg", "type": "user_message", "output": {"content": "hello world"},
         "startTime": "2025-01-01T00:00:00Z", "endTime": "2025-01-01T00:00:00Z"},
        {"id": "g", "threadId": "agg", "type": "llm", "generation": gen,
         "startTime": "2025-01-01T00:00:01Z", "endTime": "2025-01-01T00:00:03Z"},
        {"id": "g2", "threadId": "agg", "type": "llm", "output": {"content": "bye"},
         "generation": {**gen, "inputTokenCount": 10, "outputTokenCount": 5},
         "startTime": "2025-01-01T00:00:04Z", "endTime": "2025-01-01T00:00:05Z"}])
    g = get_step(live, key, "g")["generation"]
    assert g["inputTokenCount"] > 0 and g["outputTokenCount"] > 0
    total = g["tokenCount"] + 15
    threads = gql(live, key, "{ threads { edges { node { id tokenCount duration participant { identifier } } } } }")
    node = threads["data"]["threads"]["edges"][0]["node"]
    assert node == {"id": "agg", "tokenCount": total, "duration": 5.0, "participant": {"identifier": "pat@example.com"}}
    users = gql(live, key, "{ participants { edges { node { threadCount tokenCount lastEngaged } } } }")
    user = users["data"]["participants"]["edges"][0]["node"]
    assert user["threadCount"] == 1 and user["tokenCount"] == total and user["lastEngaged"]
    from sqlalchemy import text
    with live.engine.connect() as c:
        cost, first, last = c.execute(text("select cost, first_input, last_output from thread where id='agg'")).one()
    expected = (g["inputTokenCount"] * 1000 + g["outputTokenCount"] * 2000 + 10 * 1000 + 5 * 2000) / 1e6
    assert abs(cost - expected) < 1e-9 and first == "hello world" and last == "bye"


def test_fast_path_and_graphql_executor_store_and_answer_the_same(live):
    """Plain ingestStep batches skip graphql-core's executor (api/graphql/fast_ingest.py); a directive
    sends the same document through the executor. Both must answer and store identically."""
    _, key = live.new_key()
    def batch(prefix):
        return [{"id": f"{prefix}-1", "threadId": f"{prefix}-t", "type": "llm", "name": "n", "tags": ["a"],
                 "input": {"content": "q"}, "startTime": "2025-01-01T00:00:00Z", "endTime": "2025-01-01T00:00:02Z",
                 "generation": {"provider": "openai", "model": "gpt-4o", "messages": [{"role": "user", "content": "q"}],
                                "messageCompletion": {"role": "assistant", "content": "a"}},
                 "scores": [{"name": "s", "type": "HUMAN", "value": 1}]},
                {"id": prefix + "x" * 257}, {"id": f"{prefix}-3", "threadId": f"{prefix}-t"}]
    fast_query, fast_vars = add_steps(batch("fast"))
    slow_query, slow_vars = add_steps(batch("slow"))
    selection = "{ ok message errorCode __typename }"
    fast = gql(live, key, fast_query.replace("{ ok message }", selection), fast_vars)
    slow = gql(live, key, slow_query.replace("{ ok message }", "@include(if: true) " + selection, 1)
               .replace("{ ok message }", selection), slow_vars)
    assert fast == slow
    assert fast["data"]["step0"] == {"ok": True, "message": None, "errorCode": None, "__typename": "StatusResult"}
    assert not fast["data"]["step1"]["ok"] and "at most 256" in fast["data"]["step1"]["message"]

    def stored(prefix):
        s = get_step(live, key, f"{prefix}-1")
        return {k: v for k, v in s.items() if k not in ("id", "threadId", "scores")} | {
            "scores": [(x["name"], x["value"]) for x in s["scores"]], "tokens": s["generation"]["tokenCount"]}
    assert stored("fast") == stored("slow") and stored("fast")["tokens"] > 0
    assert get_step(live, key, "fast-3")["threadId"] == "fast-t"
