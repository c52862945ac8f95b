"""The official TypeScript client ``@literalai/client`` 0.1.5, unchanged, against a live server
(SQLite and PostgreSQL).

``ts/scenario.js`` uses the client as a TypeScript application would (wrapped threads, runs, LLM
steps with generations and nested steps, an attachment uploaded with ``createAttachment``, and the
``client.api`` calls for users, threads, steps, generations, scores, datasets, experiments and
prompts) and prints what the client got back; this test asserts on that and reads the same data
back through GraphQL and over plain HTTP. ``scripts/install --dev`` runs ``npm ci`` in ``ts/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.api.gql import gql

TS_DIR = Path(__file__).with_name("ts")
CLIENT = TS_DIR / "node_modules" / "@literalai" / "client" / "package.json"
# A small PNG-like payload with every byte value, so any re-encoding on the way shows.
FILE_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8

pytestmark = pytest.mark.skipif(shutil.which("node") is None or not CLIENT.exists(),
                                reason="needs node and `npm ci` in tests/compat/ts (scripts/install --dev)")


def run_scenario(live, key: str, tmp_path: Path) -> dict:
    """Run ts/scenario.js against the live server and return the JSON it printed."""
    upload = tmp_path / "chart.png"
    upload.write_bytes(FILE_BYTES)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LITERAL_API_URL": live.url, "LITERAL_API_KEY": key}
    run = subprocess.run(["node", "scenario.js", str(upload)], cwd=TS_DIR, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-5000:]
    lines = [ln for ln in run.stdout.splitlines() if ln.startswith("RESULT ")]
    assert lines, run.stdout[-3000:] + run.stderr[-5000:]
    return json.loads(lines[-1][len("RESULT "):])


_RUNS: dict[str, tuple[str, str, dict]] = {}


@pytest.fixture
def scenario(live, tmp_path_factory) -> tuple[str, str, dict]:
    """(project id, key, scenario result), run once per live server (dialect) for the tests below."""
    if live.url not in _RUNS:
        project_id, key = live.new_key()
        _RUNS[live.url] = (project_id, key, run_scenario(live, key, tmp_path_factory.mktemp("ts")))
    return _RUNS[live.url]


THREAD = """query T($id: String!) { threadDetail(id: $id) { id name tags metadata participant { id identifier }
  tokenCount steps { id type name parentId rootRunId threadId input output environment
    generation { provider model inputTokenCount outputTokenCount messageCompletion }
    attachments { id name mime objectKey url metadata threadId stepId } } } }"""


def test_every_section_runs_without_errors(scenario):
    _, _, result = scenario
    assert result["failures"] == {}
    assert result["consoleErrors"] == []  # fire-and-forget sends only log their failures


def test_users(scenario):
    _, _, r = scenario
    u = r["users"]
    assert u["createdMetadata"] == {"plan": "pro"} and u["updatedMetadata"] == {"plan": "team"}
    assert u["fetchedId"] == u["id"] == u["getOrCreateId"]
    assert u["listedIds"] == [u["id"]] and u["listedTotal"] == 1
    assert u["deletedId"] and u["deletedReadsBack"] is None


def test_wrapped_conversation_is_stored_as_a_tree(live, scenario):
    project_id, key, r = scenario
    t, ids = r["trace"], r["trace"]["ids"]
    thread = gql(live, key, THREAD, {"id": t["threadId"]})["data"]["threadDetail"]
    assert thread["name"] == "Weather chat" and thread["tags"] == ["ts"] and thread["metadata"] == {"channel": "web"}
    assert thread["participant"] == {"id": r["users"]["id"], "identifier": r["users"]["identifier"]}
    steps = {s["id"]: s for s in thread["steps"]}
    assert set(steps) == set(ids.values())
    shape = {k: (steps[v]["type"], steps[v]["parentId"]) for k, v in ids.items()}
    assert shape == {"user": ("user_message", None), "run": ("run", None), "tool": ("tool", ids["run"]),
                     "llm": ("llm", ids["run"]), "nested": ("retrieval", ids["llm"]),
                     "assistant": ("assistant_message", None)}
    assert steps[ids["tool"]]["rootRunId"] == steps[ids["nested"]]["rootRunId"] == ids["run"]
    assert steps[ids["tool"]]["input"] == {"city": "Paris"} and steps[ids["tool"]]["output"] == {"temperature": 21}
    llm = steps[ids["llm"]]
    assert llm["generation"] == {"provider": "openai", "model": "gpt-4o-mini", "inputTokenCount": 14,
                                 "outputTokenCount": 9,
                                 "messageCompletion": {"role": "assistant", "content": "It is 21C and sunny in Paris."}}
    assert thread["tokenCount"] == 23
    assert steps[ids["run"]]["output"] == {"content": "It is 21C and sunny in Paris."}
    assert steps[ids["user"]]["environment"] == "prod"


def test_attachment_uploaded_in_a_step_reads_back_with_the_same_url(live, scenario):
    project_id, key, r = scenario
    sent = r["trace"]["attachment"]
    assert sent["objectKey"].startswith(project_id + "/") and sent["url"]
    thread = gql(live, key, THREAD, {"id": r["trace"]["threadId"]})["data"]["threadDetail"]
    llm = next(s for s in thread["steps"] if s["id"] == r["trace"]["ids"]["llm"])
    [att] = llm["attachments"]
    assert att["id"] == sent["id"] and att["name"] == "chart.png" and att["mime"] == "image/png"
    assert att["metadata"] == {"kind": "chart"} and att["objectKey"] == sent["objectKey"]
    assert att["threadId"] == r["trace"]["threadId"] and att["stepId"] == llm["id"]
    # The TS test compares upload-time and read-time URLs up to X-Amz-Date (read URLs expire and
    # are signed again on read).
    assert att["url"].split("X-Amz-Date")[0] == sent["url"].split("X-Amz-Date")[0] and "X-Amz-Date" in att["url"]
    got = httpx.get(att["url"])
    assert got.status_code == 200 and got.content == FILE_BYTES and got.headers["content-type"] == "image/png"
    digest = hashlib.sha256(FILE_BYTES).hexdigest()
    assert r["trace"]["attachmentDownload"] == {"status": 200, "contentType": "image/png", "sha256": digest,
                                                "length": len(FILE_BYTES)}
    p = r["pathAttachment"]
    assert [a["objectKey"] for a in p["fetched"]] == [p["attachment"]["objectKey"]]
    assert p["fetched"][0]["url"].split("X-Amz-Date")[0] == p["attachment"]["url"].split("X-Amz-Date")[0] and p["fetched"][0]["metadata"] == {"source": "path"}
    assert p["download"]["sha256"] == digest


def test_threads_api(scenario):
    _, _, r = scenario
    t = r["threads"]
    assert t["created"] == {"name": "alpha", "metadata": {"n": 1}, "tags": ["keep"]}
    assert t["renamed"] == {"name": "alpha 2", "metadata": {"n": 1}, "tags": ["keep", "renamed"]}
    assert (t["page1"], t["page2"], t["total"], t["hasNext"]) == ([t["b"]], [t["a"]], 2, [True, False])
    assert t["afterNow"] == 0 and t["byName"] == [t["a"]]
    assert set(t["byUser"]) == {t["b"], r["trace"]["threadId"]}
    assert t["deletedId"] == t["b"] and t["deletedReadsBack"] is None


def test_steps_and_generations_api(live, scenario):
    _, key, r = scenario
    s = r["steps"]
    assert s["found"] == [s["stepId"]]
    assert s["fetched"] == {"error": "boom", "metadata": {"foo": "bar"}, "tags": ["to_score"], "threadId": s["threadId"]}
    assert s["deletedId"] == s["stepId"] and s["deletedReadsBack"] is None
    gen_id = s["generationStepId"]
    assert s["latestGeneration"] == [{"id": gen_id, "model": "ts-model", "provider": "test", "type": "CHAT",
                                      "messageCompletion": {"role": "assistant", "content": "Hi!"}}]
    assert s["byModel"] == [gen_id]
    stored = gql(live, key, "query S($id: String!) { step(id: $id) { type generation { model } } }",
                 {"id": gen_id})["data"]["step"]
    assert stored == {"type": "llm", "generation": {"model": "ts-model"}}


def test_scores_api(live, scenario):
    _, key, r = scenario
    sc = r["scores"]
    assert sc["created"]["comment"] == "good" and sc["created"]["type"] == "HUMAN"
    assert sc["updated"] == {"comment": "updated", "value": 0}
    assert [(b["name"], b["value"], b["scorer"]) for b in sc["batch"]] == [
        ("Similarity", 0.9234, None), ("Factuality", 1, "openai:gpt-4o")]
    assert sc["listed"] == [{"id": sc["batch"][0]["id"], "stepId": sc["stepId"], "value": 0.9234}]
    assert sc["deleted"] == sc["batch"][0]["id"] and sc["afterDelete"] == 0
    q = """query Q($f: [scoresInputType!]) { scores(filters: $f) { edges { node { id stepId generationId } } } }"""
    nodes = gql(live, key, q, {"f": [{"field": "name", "operator": "eq", "value": "Factuality"}]})
    # a score given a generationId belongs to that generation's step
    assert [n["node"]["stepId"] for n in nodes["data"]["scores"]["edges"]] == [sc["stepId"]]


def test_datasets_and_experiments(scenario):
    _, _, r = scenario
    d = r["datasets"]
    assert d["kv"]["name"].endswith("-renamed") and d["kv"]["description"] == "updated"
    assert d["kv"]["metadata"] == {"foo": "baz"} and d["kv"]["type"] == "key_value" and d["genType"] == "generation"
    assert d["item"]["input"] == {"q": "a"} and d["item"]["expectedOutput"] == {"a": "b"}
    assert d["fetchedItem"] == {"id": d["item"]["id"], "input": {"q": "a"}}
    assert d["fromStep"] == {"input": {"content": "hello"}, "expectedOutput": {"content": "hello!"},
                             "intermediarySteps": 1}
    assert d["fromGeneration"] == {"input": {"messages": [{"role": "user", "content": "in 1"}]},
                                   "expectedOutput": {"role": "assistant", "content": "out 1"},
                                   "metadata": {"promptType": "CHAT"}}
    assert d["fromGenerations"] == [{"messages": [{"role": "user", "content": "in 2"}]}]
    assert [(s["name"], s["value"]) for s in d["experiment"]["itemScores"]] == [("exact", 1)]
    assert d["experiment"]["experimentRunId"] == d["experimentRun"]["id"]
    assert d["experimentRun"]["environment"] == "experiment" and d["experimentRun"]["output"] == {"answer": 42}
    assert d["kv"]["id"] in d["listed"] and len(d["listed"]) == 2
    assert len(d["byIdItems"]) == 2 and d["item"]["id"] in d["byIdItems"]  # the spare item was deleted
    assert d["byNameId"] and d["deletedReadsBack"] is None


def test_prompts(scenario):
    project_id, _, r = scenario
    p = r["prompts"]
    assert p["versions"] == [0, 0, 1] and p["ids"][0] == p["ids"][1] != p["ids"][2]
    v0 = p["byVersion"]
    assert v0["id"] == p["ids"][0] and v0["name"] == p["name"] and v0["provider"] == "openai"
    assert v0["settings"] == {"model": "gpt-4o", "temperature": 0}
    assert v0["url"].endswith(f"projects/{project_id}/playground?name={p['name']}&version=0")
    assert p["byId"] == {"id": p["ids"][2], "version": 1, "name": p["name"]}
    assert p["formatted"] == [{"role": "system", "content": "You are a pirate."}, {"role": "user", "content": "Where?"}]
    assert p["rollout"] == [{"version": 0, "rollout": 100}, {"version": 1, "rollout": 0}]
    assert p["pickedVersion"] == 0 and p["variantId"] and p["experimentId"]


def test_filters_and_orderings(scenario):
    _, _, r = scenario
    f, thread_id, ids = r["filters"], r["trace"]["threadId"], r["trace"]["ids"]
    for name in ("byIdentifiers", "byStepType", "byStepName", "byStepOutput", "byScore", "byTokens", "byMetadata"):
        assert f[name] == [thread_id], name
    assert f["orderedByTokens"][0] == thread_id and len(f["orderedByParticipant"]) == len(f["orderedByTokens"])
    assert f["keptStepTypes"] == ["llm"]
    assert f["stepsOfParent"] == [ids["nested"]] and set(f["stepsOfUser"]) == set(ids.values())
    assert f["generationsOfUser"] == f["generationsScored"] == [ids["llm"]]
    assert f["usersByThreads"] == [r["users"]["id"]] and f["scoresOfUser"] == ["quality"]


def test_environment_release_decorate_and_resend(scenario):
    project_id, _, r = scenario
    assert r["environment"]["environment"] == "staging"
    assert r["environment"]["metadata"] == {"feature": "beta", "release": "v1.2.3"}
    assert r["environment"]["tags"] == ["decorated"]
    re = r["resend"]
    assert re["tags"] == ["resent"] and re["metadata"] == {"resent": True}
    assert re["attachments"] == [r["trace"]["attachment"]["id"]] and re["generationModel"] == "gpt-4o-mini"
    assert re["scores"] == ["quality"]
    assert re["oddError"] == '{"code":42,"reason":"bad"}' and re["oddGeneration"] is None
    ts = r["trailingSlash"]
    assert ts["projectId"] == project_id and ts["fetchedKeys"] == [ts["objectKey"]]
    assert ts["download"]["sha256"] == hashlib.sha256(FILE_BYTES).hexdigest()
