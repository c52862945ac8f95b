"""``get_prompt``'s fast path (``api/graphql/fast_prompt.py`` + ``prompts.serving``), on SQLite and
PostgreSQL: for the documents the official Python and TypeScript clients send, by name, by name and
version and by id (and one with aliases and ``__typename``, one with literal arguments) it answers
exactly what the ordinary GraphQL path answers, it is really
the one answering, its draws follow a 50/50 rollout, and when its database connection fails the
ordinary path answers instead."""

from collections import Counter

import pytest
from fastapi.testclient import TestClient
from literalai.api.helpers.gql import GET_PROMPT_VERSION
from sqlmodel import Session

from api.app import build_api
from api.graphql import app as graphql_app
from literal_app import config, db, db_async
from literal_app.services.accounts import api_keys
from literal_app.services.prompts import prompt_rollouts, prompts
from tests.factories import make_actor

# @literalai/client 0.x, getPrompt(name) (tests/compat/ts/node_modules/@literalai/client/dist)
TS_GET_PROMPT = """
    query GetPrompt($name: String!, $version: Int) {
      promptVersion(name: $name, version: $version) {
        id createdAt updatedAt type templateMessages tools settings variables variablesDefaultValues version url
        lineage { name }
      }
    }"""
TS_GET_PROMPT_BY_ID = """
      query GetPrompt($id: String!) {
        promptVersion(id: $id) {
          createdAt id label settings status tags templateMessages tools type updatedAt url variables
          variablesDefaultValues version lineage { name }
        }
      }"""
ALIASED = """query Aliased($name: String) {
    served: promptVersion(name: $name) { __typename vid: id version tags versionDesc status label
        lineage { __typename id lineageName: name deletedAt } createdAt }
}"""
LITERALS = """query { promptVersion(name: "greeter", version: 0) { id version lineage { name } } }"""


def _requests(v0_id: str) -> dict[str, tuple[str, dict]]:
    """(document, variables) of every kind of get_prompt the clients send, and two more shapes."""
    return {"python, by name": (GET_PROMPT_VERSION, {"name": "greeter"}),
            "python, by name and version": (GET_PROMPT_VERSION, {"name": "greeter", "version": 0}),
            "python, by id": (GET_PROMPT_VERSION, {"id": v0_id}),
            "typescript, by name": (TS_GET_PROMPT, {"name": "greeter"}),
            "typescript, by name and version": (TS_GET_PROMPT, {"name": "greeter", "version": 1}),
            "typescript, by id": (TS_GET_PROMPT_BY_ID, {"id": v0_id}),
            "aliases and __typename": (ALIASED, {"name": "greeter"}),
            "literal arguments": (LITERALS, {})}


@pytest.fixture
def api(engine, monkeypatch):
    """The API in process (a test client) on the test database, and a project with prompt
    ``greeter`` (two versions, the second with tools, settings and default values) and a key."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    caches = (config.get_settings, db.get_engine, db.get_read_engine, db_async.available, db_async._dsn)
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr(graphql_app, "_prompt_plans", {})  # each test sees the ordinary path parse first
    with Session(engine, expire_on_commit=False) as s:
        actor = make_actor(s)
        lineage = prompts.get_or_create_lineage(s, actor, name="greeter")
        v0 = prompts.create_version(s, actor, lineage_id=lineage.id, changelog="first",
                                    template_messages=[{"role": "user", "content": "Hi {{who}}"}])
        v1 = prompts.create_version(
            s, actor, lineage_id=lineage.id, changelog="tools and settings",
            template_messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi {{who}}"}],
            settings={"provider": "openai", "model": "gpt-4o-mini", "temperature": 0.2},
            tools=[{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}],
            variables_default_values={"who": "world"})
        _, key = api_keys.create_api_key(s, None, project_id=actor.project_id, name="sdk", role="ADMIN")
        api_keys.actor_for_api_key(s, key)  # its first use is recorded: the fast path may answer
        s.commit()
    with TestClient(build_api()) as client:
        yield client, actor, lineage, (v0, v1), key
    db_async.close_idle()
    for cached in caches:
        cached.cache_clear()


@pytest.fixture
def rendered(monkeypatch) -> list:
    """Every answer the fast path rendered (None: it handed the request to the ordinary path)."""
    seen = []
    real = graphql_app.fast_prompt.render

    def spy(plan, version):
        seen.append(real(plan, version))
        return seen[-1]

    monkeypatch.setattr(graphql_app.fast_prompt, "render", spy)
    return seen


def _post(client, key, document, **variables):
    r = client.post("/api/graphql", json={"query": document, "variables": variables}, headers={"x-api-key": key})
    assert r.status_code == 200, r.text
    return r.json()


def test_answers_as_the_ordinary_path_for_every_client_document(api, rendered, engine):
    client, actor, lineage, (v0, v1), key = api
    with Session(engine) as s:
        prompt_rollouts.set_rollout(s, actor, lineage.id, {v1.id: 100})
        s.commit()
    for label, (document, variables) in _requests(v0.id).items():
        graphql_app._prompt_plans.clear()
        first = _post(client, key, document, **variables)  # parsed once by the ordinary path
        assert rendered == [], label
        fast = _post(client, key, document, **variables)
        assert len(rendered) == 1 and rendered[0] is not None, label  # the fast path answered
        _, ordinary = graphql_app.execute({"query": document, "variables": variables}, key, None)
        assert fast == ordinary == first, label
        assert fast["data"]["promptVersion" if "served" not in fast["data"] else "served"] is not None, label
        rendered.clear()
        if label == "aliases and __typename":
            served = fast["data"]["served"]
    assert (served["__typename"], served["vid"], served["version"], served["versionDesc"]) == (
        "PromptVersion", v1.id, 1, "tools and settings")
    assert served["lineage"] == {"__typename": "PromptLineage", "id": lineage.id, "lineageName": "greeter",
                                 "deletedAt": None}
    python = _post(client, key, GET_PROMPT_VERSION, name="greeter")["data"]["promptVersion"]
    assert python["tools"][0]["function"]["name"] == "lookup" and python["variablesDefaultValues"] == {"who": "world"}
    assert python["createdAt"].endswith("Z") and python["type"] == "CHAT"


def test_draws_follow_the_rollout_and_other_requests_take_the_ordinary_path(api, rendered, engine):
    client, actor, lineage, (v0, v1), key = api
    with Session(engine) as s:
        prompt_rollouts.set_rollout(s, actor, lineage.id, {v0.id: 50, v1.id: 50})
        s.commit()
    _post(client, key, GET_PROMPT_VERSION, name="greeter")
    drawn = Counter(_post(client, key, GET_PROMPT_VERSION, name="greeter")["data"]["promptVersion"]["version"]
                    for _ in range(200))
    assert set(drawn) == {0, 1} and 60 < drawn[0] < 140 and len(rendered) == 200
    rendered.clear()
    assert _post(client, key, GET_PROMPT_VERSION, name="nobody")["data"]["promptVersion"] is None
    assert _post(client, key, GET_PROMPT_VERSION, name="greeter", version=7)["data"]["promptVersion"] is None
    assert _post(client, key, GET_PROMPT_VERSION, id="no-such-id")["data"]["promptVersion"] is None
    big = client.post("/api/graphql", json={"query": GET_PROMPT_VERSION, "variables": {"name": "greeter",
                                                                                       "version": 2**31}},
                      headers={"x-api-key": key}).json()
    assert big["data"] is None and "32-bit" in big["errors"][0]["message"]
    r = client.post("/api/graphql", json={"query": GET_PROMPT_VERSION, "variables": {"name": "greeter"}},
                    headers={"x-api-key": "lsk_wrong"})
    assert r.status_code == 401 and "API key" in r.json()["message"]
    assert rendered == []  # none of these went through the fast path


def test_a_failing_connection_leaves_the_answer_to_the_ordinary_path(api, rendered, engine, monkeypatch):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite reads through the read engine in a worker thread: no separate connection")
    client, actor, lineage, (v0, v1), key = api
    _post(client, key, GET_PROMPT_VERSION, name="greeter")
    db_async.close_idle()
    monkeypatch.setattr(db_async, "_dsn", lambda: "postgresql://postgres@127.0.0.1:1/nowhere")
    answer = _post(client, key, GET_PROMPT_VERSION, name="greeter")
    assert answer["data"]["promptVersion"]["version"] == 0 and rendered == []


def test_connections_are_reused_and_a_burst_beyond_the_cap_takes_the_ordinary_path(api, rendered, engine,
                                                                                  monkeypatch):
    if engine.dialect.name != "postgresql":
        pytest.skip("the asynchronous connections are PostgreSQL's")
    import asyncio

    import httpx

    _, actor, lineage, (v0, v1), key = api
    monkeypatch.setattr(db_async, "MAX_OPEN", 2)
    app = build_api()

    async def burst() -> list[dict]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api", headers={"x-api-key": key}) as c:
            body = {"query": GET_PROMPT_VERSION, "variables": {"name": "greeter"}}
            await c.post("/api/graphql", json=body)  # the ordinary path parses the document once
            for _ in range(10):  # one after the other: one connection, reused
                assert (await c.post("/api/graphql", json=body)).json()["data"]["promptVersion"]["version"] == 0
            assert db_async._connections().open == 1
            answers = await asyncio.gather(*[c.post("/api/graphql", json=body) for _ in range(12)])
            assert db_async._connections().open <= 2
            db_async.close_idle()
            return [a.json() for a in answers]

    answers = asyncio.run(burst())
    assert [a["data"]["promptVersion"]["version"] for a in answers] == [0] * 12  # every one answered
    assert 12 <= len(rendered) < 22  # the 10 in a row, and only some of the burst on the fast path


def test_fast_answers_keep_the_api_headers_and_rate_limit(api, rendered, monkeypatch):
    """The fast path answers inside the API's middlewares: security headers, CORS for the app's own
    origin, and the per-key rate limit apply to it as to every API answer."""
    _, actor, lineage, versions, key = api
    monkeypatch.setenv("LITERAL_RATE_LIMIT", "0.001")
    monkeypatch.setenv("LITERAL_RATE_BURST", "4")
    config.get_settings.cache_clear()
    origin = config.get_settings().cors_origins[0]
    with TestClient(build_api()) as client:
        body = {"query": GET_PROMPT_VERSION, "variables": {"name": "greeter"}}
        answers = [client.post("/api/graphql", json=body, headers={"x-api-key": key, "origin": origin})
                   for _ in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert len(rendered) == 3  # the first was parsed by the ordinary path; the next three were fast
    fast = answers[3]
    assert fast.json()["data"]["promptVersion"]["version"] == 0
    assert fast.headers["x-content-type-options"] == "nosniff" and fast.headers["content-type"] == "application/json"
    assert fast.headers["access-control-allow-origin"] == origin
