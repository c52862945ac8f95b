"""The official SDK's tracing surface against a live server: thread/run/step decorators and
context managers (nested, async, participant_id), messages, start_step/end, environments and
releases, and instrument_openai() against the fake OpenAI server (plain, streamed, async, tools)."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
from literalai import LiteralClient

from tests.fake_openai import start_fake_openai


def test_context_managers_nested_with_participant(client):
    with client.thread(name="conversation", participant_id="carol@example.com") as thread:
        client.message(content="hi", type="user_message")
        with client.run(name="agent") as run:
            run.input = {"question": "hi"}
            with client.step(name="search", type="retrieval") as child:
                child.output = {"docs": ["a"]}
            run.output = {"content": "hello"}
        client.message(content="hello", type="assistant_message")
    client.flush()
    got = client.api.get_thread(id=thread.id)
    assert got.name == "conversation" and got.participant_identifier == "carol@example.com"
    by_name = {s.name: s for s in got.steps}
    assert by_name["search"].parent_id == run.id and by_name["search"].type == "retrieval"
    assert by_name["agent"].output == {"content": "hello"}
    assert {s.type for s in got.steps} >= {"user_message", "assistant_message", "run", "retrieval"}


def test_decorators_sync_and_async(client):
    @client.step(type="tool", name="adder")
    def add(a, b):
        return a + b

    @client.run(name="async-run")
    async def arun(x):
        await asyncio.sleep(0)
        return {"x": x, "sum": add(x, 1)}

    @client.thread(name="decorated")
    def conversation():
        asyncio.run(arun(2))
        return client.get_current_thread().id

    thread_id = conversation()
    client.flush()
    steps = {s.name: s for s in client.api.get_thread(id=thread_id).steps}
    assert steps["adder"].output == {"content": 3} and steps["adder"].parent_id == steps["async-run"].id
    assert steps["async-run"].output == {"x": 2, "sum": 3}


def test_start_step_and_end_and_errors(client):
    step = client.start_step(name="manual", type="tool")
    step.input = {"a": 1}
    step.end()

    @client.step(name="boom")
    def boom():
        raise ValueError("kaput")

    with pytest.raises(ValueError):
        boom()
    client.flush()
    assert client.api.get_step(id=step.id).input == {"a": 1}
    failed = client.api.get_steps(filters=[{"field": "name", "operator": "eq", "value": "boom"}]).data[0]
    assert "kaput" in failed.error


def test_environments_and_release(live, project):
    os.environ.pop("LITERAL_ENV", None)
    c = LiteralClient(api_key=project[1], url=live.url, environment="staging", release="v1.2")
    try:
        with c.step(name="in-staging") as s:
            pass
        c.flush()
        with c.environment(env="dev"):
            with c.step(name="in-dev") as d:
                pass
            c.flush()
        c.flush()
        assert c.api.get_step(id=s.id).environment == "staging"
        assert c.api.get_step(id=s.id).metadata.get("release") == "v1.2"
        assert c.api.get_step(id=d.id).environment == "dev"
    finally:
        c.flush_and_stop()
        os.environ.pop("LITERAL_ENV", None)


@pytest.fixture(scope="module")
def fake_openai():
    server = start_fake_openai()
    yield server
    server.stop()


def test_instrument_openai_plain_stream_async_tools(client, fake_openai):
    import openai

    client.instrument_openai()
    sync = openai.OpenAI(api_key="sk-fake", base_url=fake_openai.url)
    aio = openai.AsyncOpenAI(api_key="sk-fake", base_url=fake_openai.url)
    with client.thread(name="llm calls") as thread:
        sync.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "2 plus 2"}])
        stream = sync.chat.completions.create(model="gpt-4o-mini", stream=True,
                                              stream_options={"include_usage": True},
                                              messages=[{"role": "user", "content": "stream please"}])
        assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices).strip() == "Echo: stream please"
        asyncio.run(aio.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "async"}]))
        sync.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "use tool"}], tools=[
            {"type": "function", "function": {"name": "calc", "parameters": {"type": "object", "properties": {}}}}])
    client.flush()
    steps = [s for s in client.api.get_thread(id=thread.id).steps if s.type == "llm"]
    assert len(steps) == 4
    gens = [s.generation for s in steps]
    assert all(g.provider == "openai" and g.token_count for g in gens)
    assert gens[0].message_completion["content"] == "Echo: 2 plus 2" and gens[0].token_count == 3 + 4
    assert gens[1].message_completion["content"].strip() == "Echo: stream please"
    assert gens[3].message_completion["tool_calls"][0]["function"]["name"] == "calc"
    page = client.api.get_generations(filters=[{"field": "model", "operator": "eq", "value": "gpt-4o"}])
    assert page.total_count == 2
    outside = sync.chat.completions.create(model="solo", messages=[{"role": "user", "content": "x " + uuid.uuid4().hex}])
    assert outside.choices[0].message.content.startswith("Echo: x ")
