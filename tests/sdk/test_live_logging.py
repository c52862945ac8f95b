"""Logging with literal_sdk into a live server (PostgreSQL): trees built in OS threads and asyncio
tasks, flush, an outage, disabled mode and OpenAI instrumentation, read back through the API."""

import asyncio
import threading

import openai
import pytest
from literal_sdk import AsyncLiteralClient, LiteralClient, Score

from tests.fake_openai import start_fake_openai
from tests.sdk.proxy import Proxy


@pytest.fixture
def key(live_pg):
    return live_pg.new_key("ADMIN")[1]


@pytest.fixture
def sdk(live_pg, key):
    client = LiteralClient(api_key=key, url=live_pg.url, environment="staging", release="1.4.2")
    yield client
    client.flush_and_stop(timeout=10)


def test_nesting_in_os_threads_lands_as_separate_trees(sdk):
    ids = {}

    @sdk.step(type="tool")
    def lookup(user):
        sdk.get_current_step().scores.append(Score(name="relevance", type="AI", value=0.9))
        return {"user": user}

    def conversation(i):
        with sdk.thread(name=f"conversation {i}", participant_id=f"user{i}@example.com") as thread:
            ids[i] = thread.id
            sdk.message(f"question {i}", type="user_message")
            with sdk.run(name=f"agent {i}"):
                lookup(i)
            sdk.message(f"answer {i}", type="assistant_message")

    workers = [threading.Thread(target=conversation, args=(i,)) for i in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sdk.flush(timeout=30)
    for i in range(3):
        thread = sdk.api.get_thread(id=ids[i])
        assert thread.name == f"conversation {i}" and thread.participant_identifier == f"user{i}@example.com"
        assert sorted(s.type for s in thread.steps) == ["assistant_message", "run", "tool", "user_message"]
        by_type = {s.type: s for s in thread.steps}
        assert by_type["tool"].parent_id == by_type["run"].id and by_type["tool"].output == {"user": i}
        assert by_type["tool"].scores[0].name == "relevance"
        assert by_type["run"].environment == "staging" and by_type["run"].metadata == {"release": "1.4.2"}
        assert by_type["user_message"].output == {"content": f"question {i}"}
        assert thread.metadata == {"release": "1.4.2"}


async def test_nesting_in_asyncio_tasks(live_pg, key):
    client = AsyncLiteralClient(api_key=key, url=live_pg.url)

    @client.step(type="retrieval")
    async def fetch(n):
        await asyncio.sleep(0.01)
        return n

    @client.step(type="llm")
    async def tokens():
        for word in ("a", "b"):
            yield word

    async with client.thread(name="async conversation") as thread:
        async with client.step(name="agent", type="run") as run:
            assert await asyncio.gather(*(asyncio.create_task(fetch(i)) for i in range(4))) == [0, 1, 2, 3]
            assert [t async for t in tokens()] == ["a", "b"]
    assert await client.flush(timeout=30)
    stored = await client.api.get_thread(id=thread.id)
    assert stored.name == "async conversation"
    children = [s for s in stored.steps if s.parent_id == run.id]
    assert sorted(s.name for s in children) == ["fetch"] * 4 + ["tokens"]
    assert [s.output for s in children if s.name == "tokens"] == [{"content": "ab"}]
    client.flush_and_stop(timeout=5)


def test_outage_logs_arrive_when_the_server_is_back(live_pg, key):
    proxy = Proxy(live_pg.url)  # down: nothing listens yet
    client = LiteralClient(api_key=key, url=proxy.url, max_queue_size=1000)
    client.event_processor.max_backoff = 0.3
    with client.thread(name="through an outage") as thread:
        for i in range(30):
            with client.step(name=f"s{i}", type="tool"):
                pass
    assert client.event_processor.pending == 31 and not client.flush(timeout=0.5)
    proxy.up()
    try:
        assert client.flush(timeout=30)
    finally:
        client.flush_and_stop(timeout=5)
        proxy.down()
    stored = LiteralClient(api_key=key, url=live_pg.url).api.get_thread(id=thread.id)
    assert stored.name == "through an outage" and len(stored.steps) == 30


def test_disabled_client_sends_nothing(live_pg, key):
    client = LiteralClient(api_key=key, url=live_pg.url, disabled=True)

    @client.step
    def work():
        return 1

    with client.thread(name="invisible"):
        assert work() == 1
        client.message("hi")
    client.flush(timeout=5)
    reader = LiteralClient(api_key=key, url=live_pg.url)
    assert reader.api.get_threads(first=5).total_count == 0
    assert reader.api.get_steps(first=5).total_count == 0


def test_openai_instrumentation_lands_generations(sdk):
    fake = start_fake_openai()
    try:
        sdk.instrument_openai()
        llm = openai.OpenAI(base_url=fake.url, api_key="sk-fake")
        with sdk.thread(name="llm chat") as thread:
            with sdk.run(name="agent") as run:
                llm.chat.completions.create(model="fake-gpt", messages=[{"role": "user", "content": "hi there"}])
                stream = llm.chat.completions.create(model="fake-gpt", stream=True,
                                                     stream_options={"include_usage": True},
                                                     messages=[{"role": "user", "content": "stream please"}])
                for _ in stream:
                    pass
        assert sdk.flush(timeout=30)
    finally:
        fake.stop()
    stored = sdk.api.get_thread(id=thread.id)
    llm_steps = [s for s in stored.steps if s.type == "llm"]
    assert len(llm_steps) == 2 and all(s.parent_id == run.id for s in llm_steps)
    plain, streamed = sorted(llm_steps, key=lambda s: s.start_time)
    assert plain.generation.message_completion["content"] == "Echo: hi there"
    assert plain.generation.token_count == 5 and plain.generation.model == "fake-gpt"
    assert streamed.generation.tt_first_token > 0 and streamed.generation.output_token_count == 3
    generations = sdk.api.get_generations(first=10)
    assert {g.id for g in generations.data} == {plain.id, streamed.id}
