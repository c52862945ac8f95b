"""Prompts through the official ``literalai`` 0.1.300 SDK, unchanged, against a live server
(SQLite and PostgreSQL): create, get by name/version/id, format_messages, variants, and A/B
rollouts whose observed split over 1,000 fetches follows the weights."""

from collections import Counter

import httpx
import pytest
from literalai import AsyncLiteralClient, LiteralClient
from literalai.api.helpers.gql import GET_PROMPT_VERSION
from literalai.cache.shared_cache import SharedCache
from sqlmodel import Session, select

from literal_app.models.auth import ApiKey
from literal_app.services.accounts import api_keys
from literal_app.services.kernel.actor import Actor
from tests.eval_factories import make_default_prompt

EXPECTED = "Hello, this is a {} and this\n\n* item 0\n* item 1\n* item 2\n\nis a templated list."


def seeded_key(live) -> tuple[str, str]:
    """A fresh project holding the ``Default`` prompt, and an API key for it."""
    project_id, key = live.new_key()
    with Session(live.engine) as s:
        make_default_prompt(s, Actor(project_id=project_id, role="ADMIN"))
        s.commit()
    return project_id, key


@pytest.fixture(autouse=True)
def fresh_prompt_cache():
    """The SDK caches prompts process-wide by name and falls back to them on slow answers."""
    SharedCache().clear()


@pytest.fixture
def sdk(live):
    project_id, key = seeded_key(live)
    client = LiteralClient(api_key=key, url=live.url)
    yield client, project_id
    client.event_processor.flush_and_stop()


def test_get_default_prompt_and_format_messages(sdk):
    client, project_id = sdk
    prompt = client.api.get_prompt(name="Default", version=0)
    assert (prompt.name, prompt.version, prompt.provider) == ("Default", 0, "openai")
    assert "provider" not in prompt.settings and prompt.settings["model"] == "gpt-4o-mini"
    assert prompt.url.endswith(f"projects/{project_id}/playground?name=Default&version=0")
    assert client.api.get_my_project_id() == project_id
    assert prompt.format_messages()[0]["content"] == EXPECTED.format("test value")
    assert prompt.format_messages(test_var="Edited value")[0]["content"] == EXPECTED.format("Edited value")
    by_id = client.api.get_prompt(id=prompt.id)
    assert by_id.id == prompt.id and by_id.variables == [{"name": "test_var", "language": "plaintext"},
                                                         {"name": "test_list", "language": "json"}]
    # Sending back what was read (provider-less settings) returns the same version.
    same = client.api.get_or_create_prompt(name="Default", template_messages=prompt.template_messages,
                                           settings=prompt.settings, tools=prompt.tools)
    assert same.id == prompt.id


def test_create_versions_and_unknown_prompts(sdk):
    client, _ = sdk
    v0 = client.api.get_or_create_prompt(name="Greeter", template_messages=[{"role": "user", "content": "Hi {{n}}"}],
                                         settings={"provider": "anthropic", "model": "claude"})
    assert (v0.version, v0.provider, v0.name) == (0, "anthropic", "Greeter")
    again = client.api.get_or_create_prompt(name="Greeter", template_messages=[{"role": "user", "content": "Hi {{n}}"}],
                                            settings={"provider": "anthropic", "model": "claude"})
    assert again.id == v0.id
    v1 = client.api.get_or_create_prompt(name="Greeter", template_messages=[{"role": "user", "content": "Yo {{n}}"}],
                                         settings={"model": "claude"})
    assert (v1.version, v1.provider) == (1, "anthropic")
    assert client.api.get_prompt(name="Greeter", version=1).format_messages(n="Ada")[0]["content"] == "Yo Ada"
    assert client.api.get_prompt(name="Greeter").version == 0  # the default rollout: 100% v0
    with pytest.raises(Exception):
        client.api.get_prompt(name="Greeter", version=9)
    lineage = client.api.get_or_create_prompt_lineage(name="Greeter")
    assert lineage["id"] and lineage["deletedAt"] is None


def test_ab_rollout_split_over_1000_fetches(sdk):
    client, _ = sdk
    name = "AB prompt"
    client.api.get_or_create_prompt(name=name, template_messages=[{"role": "user", "content": "A"}])
    client.api.get_or_create_prompt(name=name, template_messages=[{"role": "user", "content": "B"}])
    assert client.api.get_prompt_ab_testing(name=name) == [{"version": 0, "rollout": 100}]
    client.api.update_prompt_ab_testing(name, rollouts=[{"version": 0, "rollout": 70}, {"version": 1, "rollout": 30}])
    rollouts = sorted(client.api.get_prompt_ab_testing(name=name), key=lambda r: r["version"])
    assert rollouts == [{"version": 0, "rollout": 70}, {"version": 1, "rollout": 30}]
    seen = Counter(client.api.get_prompt(name=name).version for _ in range(1000))
    assert set(seen) == {0, 1}
    assert abs(seen[0] - 700) <= 60, seen  # ~4 standard deviations
    with pytest.raises(Exception, match="add up to 100"):
        client.api.update_prompt_ab_testing(name, rollouts=[{"version": 0, "rollout": 70}])
    with pytest.raises(Exception, match="no version 5"):
        client.api.update_prompt_ab_testing(name, rollouts=[{"version": 5, "rollout": 100}])
    assert len(client.api.get_prompt_ab_testing(name=name)) == 2  # refused updates change nothing


def test_prompt_variant_feeds_an_experiment(sdk):
    client, _ = sdk
    variant_id = client.api.create_prompt_variant(name="Default",
                                                  template_messages=[{"role": "user", "content": "hello"}])
    experiment = client.api.create_experiment(name="variant run", prompt_variant_id=variant_id)
    assert experiment.prompt_variant_id == variant_id and experiment.params is None
    orphan = client.api.create_prompt_variant(name="Unknown", template_messages=[{"role": "user", "content": "x"}])
    assert orphan


async def test_async_client_reads_prompts(live):
    _, key = seeded_key(live)
    client = AsyncLiteralClient(api_key=key, url=live.url)
    try:
        prompt = await client.api.get_prompt(name="Default", version=0)
        assert prompt.format_messages()[0]["content"] == EXPECTED.format("test value")
        rollouts = await client.api.get_prompt_ab_testing(name="Default")
        assert rollouts == [{"version": 0, "rollout": 100}]
    finally:
        client.event_processor.flush_and_stop()


def test_domain_expert_key_cannot_read_prompts(live):
    _, key = live.new_key("DOMAIN_EXPERT")
    client = LiteralClient(api_key=key, url=live.url)
    try:
        with pytest.raises(Exception, match="cannot change prompts"):
            client.api.get_or_create_prompt_lineage(name="x")
    finally:
        client.event_processor.flush_and_stop()


def test_get_prompt_by_name_sees_every_change_at_the_next_call(sdk, live):
    """get_prompt(name) is answered in one uncached statement once the server knows the SDK's
    document: the same JSON as the ordinary path, and a rollout change or a revoked key applies
    at the very next call."""
    client, project_id = sdk
    name = "Live prompt"
    for text in ("A", "B", "C"):
        client.api.get_or_create_prompt(name=name, template_messages=[{"role": "user", "content": text}])
    headers = {"x-api-key": client.api.api_key}
    body = {"query": GET_PROMPT_VERSION, "variables": {"name": name}}
    with httpx.Client(base_url=live.url, headers=headers, timeout=10) as http:
        answers = [http.post("/api/graphql", json=body).json() for _ in range(3)]
        assert answers[0]["data"]["promptVersion"]["version"] == 0 and answers[0] == answers[1] == answers[2]
        for target in (2, 1, 0, 2):
            client.api.update_prompt_ab_testing(name, rollouts=[{"version": target, "rollout": 100}])
            assert client.api.get_prompt(name=name).version == target
            assert http.post("/api/graphql", json=body).json()["data"]["promptVersion"]["version"] == target
        odd = http.post("/api/graphql", json={**body, "variables": {"name": name + "\u0000"}})
        assert odd.status_code == 200 and odd.json()["data"]["promptVersion"] is None  # NUL: simply not found
        with Session(live.engine) as s:
            key_id = s.exec(select(ApiKey.id).where(ApiKey.project_id == project_id)).one()
            api_keys.revoke_api_key(s, Actor(project_id=project_id, role="ADMIN"), key_id)
            s.commit()
        refused = http.post("/api/graphql", json=body)
        assert refused.status_code == 401 and "revoked" in refused.json()["message"]
