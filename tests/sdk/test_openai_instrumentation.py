"""instrument_openai() with the real openai package against the fake OpenAI server; logs go to
the recording stub: chat/completion/image, sync/async, streamed or not, tools, literalai_* extras,
prompt linking."""

import openai
import pytest
from literal_sdk import LiteralClient
from literal_sdk.prompt import Prompt

from tests.fake_openai import start_fake_openai


@pytest.fixture(scope="module")
def fake():
    server = start_fake_openai()
    yield server
    server.stop()


@pytest.fixture
def llm(client, fake):
    client.instrument_openai()
    return openai.OpenAI(base_url=fake.url, api_key="sk-fake"), openai.AsyncOpenAI(base_url=fake.url, api_key="x")


def llm_steps(stub):
    return [s for s in stub.ingested if s.get("type") == "llm"]


def test_chat_in_a_step_with_prompt_link_tags_and_metadata(client, stub, llm):
    sync, _ = llm
    prompt = Prompt(api=None, id="prompt-1", created_at="", updated_at="", type="CHAT", name="greet", version=2,
                    url="", version_desc=None, tools=None, provider="openai", settings={}, variables=[],
                    template_messages=[{"role": "system", "content": "Greet {{name}}", "uuid": "m1"}],
                    variables_default_values={"name": "you"})
    messages = prompt.format_messages(name="Ada") + [{"role": "user", "content": "hello there"}]
    with client.step(name="agent", type="run") as run:
        reply = sync.chat.completions.create(model="fake-gpt", messages=messages, temperature=0.2,
                                             literalai_tags=["greeting"], literalai_metadata={"user": "ada"})
        assert client.get_current_step() is run
    assert reply.choices[0].message.content == "Echo: hello there"
    client.flush(timeout=10)
    step = llm_steps(stub)[0]
    gen = step["generation"]
    assert step["parentId"] == run.id and step["name"] == "fake-gpt"
    assert gen["type"] == "CHAT" and gen["provider"] == "openai" and gen["promptId"] == "prompt-1"
    assert gen["variables"] == {"name": "Ada"} and gen["messages"][0]["content"] == "Greet Ada"
    assert gen["messages"][0]["uuid"] == "m1" and gen["messages"][0]["templated"] is True
    assert gen["settings"]["temperature"] == 0.2 and gen["tags"] == ["greeting"]
    assert gen["metadata"] == {"user": "ada"}
    assert (gen["inputTokenCount"], gen["outputTokenCount"], gen["tokenCount"]) == (4, 3, 7)
    assert gen["messageCompletion"]["content"] == "Echo: hello there" and gen["duration"] > 0
    assert step["output"]["content"] == "Echo: hello there"


def test_streamed_chat_records_ttft_throughput_usage(client, stub, llm):
    sync, _ = llm
    with client.thread(name="chat"):
        stream = sync.chat.completions.create(model="fake-gpt", stream=True, stream_options={"include_usage": True},
                                              messages=[{"role": "user", "content": "one two three"}])
        text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text.strip() == "Echo: one two three"
    client.flush(timeout=10)
    gen = llm_steps(stub)[0]["generation"]
    assert gen["messageCompletion"]["content"].strip() == "Echo: one two three"
    assert gen["ttFirstToken"] > 0 and gen["tokenThroughputInSeconds"] > 0
    assert gen["settings"]["stream"] is True and gen["outputTokenCount"] == 4


def test_tools_streamed_and_not(client, stub, llm):
    sync, _ = llm
    tools = [{"type": "function", "function": {"name": "search", "parameters": {"type": "object"}}}]
    with client.step(name="agent"):
        plain = sync.chat.completions.create(model="fake-gpt", tools=tools,
                                             messages=[{"role": "user", "content": "find cats"}])
        streamed = sync.chat.completions.create(model="fake-gpt", tools=tools, stream=True,
                                                messages=[{"role": "user", "content": "find dogs"}])
        list(streamed)
    assert plain.choices[0].message.tool_calls[0].function.name == "search"
    client.flush(timeout=10)
    first, second = [s["generation"] for s in llm_steps(stub)]
    assert first["tools"] == tools
    assert first["messageCompletion"]["tool_calls"][0]["function"]["name"] == "search"
    call = second["messageCompletion"]["tool_calls"][0]
    assert call["id"] == "call_1" and call["function"]["arguments"] == '{"query": "find dogs"}'


async def test_async_chat_completion_and_images_outside_any_thread(client, stub, llm):
    sync, aio = llm
    reply = await aio.chat.completions.create(model="fake-gpt", messages=[{"role": "user", "content": "hi"}])
    stream = await aio.completions.create(model="fake-instruct", prompt="say it", stream=True)
    chunks = [c async for c in stream]
    image = sync.images.generate(model="fake-image", prompt="a cat", n=2)
    assert reply.choices[0].message.content == "Echo: hi" and chunks and len(image.data) == 2
    client.flush(timeout=10)
    steps = llm_steps(stub)
    assert len(steps) == 3 and all("threadId" not in s and "parentId" not in s for s in steps)
    chat, completion, picture = (s["generation"] for s in steps)
    assert chat["type"] == "CHAT" and completion["type"] == "COMPLETION"
    assert completion["prompt"] == "say it" and completion["completion"].strip() == "echo say it"
    assert picture["prompt"] == "a cat" and "https://images.example/1.png" in picture["completion"]


def test_provider_errors_are_logged_and_raised(client, stub, llm):
    broken = openai.OpenAI(base_url="http://127.0.0.1:9/v1", api_key="x", max_retries=0)
    with client.step(name="agent"):
        with pytest.raises(openai.APIConnectionError):
            broken.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    client.flush(timeout=10)
    assert llm_steps(stub)[0]["error"]


def test_instrumentation_follows_the_latest_client(stub, fake):
    first = LiteralClient(api_key="a", url=stub.url)
    second = LiteralClient(api_key="b", url=stub.url)
    first.instrument_openai()
    second.instrument_openai()
    openai.OpenAI(base_url=fake.url, api_key="x").chat.completions.create(
        model="m", messages=[{"role": "user", "content": "x"}])
    second.flush(timeout=10)
    assert stub.requests[-1]["headers"]["x-api-key"] == "b"
