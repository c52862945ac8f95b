"""The provider adapters against fake servers of each wire format (OpenAI chat, also as Azure,
Mistral, Groq and custom; Anthropic messages; Gemini; Bedrock Converse with event-stream framing):
plain and streamed answers, tool calls, usage, JSON output, and the error answers (401, 404, 429
with Retry-After, 5xx, hang, malformed or truncated streams) as one readable ``ProviderError``."""

import asyncio
import base64
import json
import uuid

import pytest

from literal_app.services import providers
from literal_app.services.providers import credentials as creds
from literal_app.services.providers import transport
from literal_app.services.providers.credentials import CredentialInput
from literal_app.services.providers.types import ChatRequest, Message, OutputType, ProviderError, ToolCall
from tests.factories import make_actor
from tests.fake_llm import start_fake_llm

PROVIDERS = ["openai", "azure_openai", "custom", "mistral", "groq", "anthropic", "gemini", "bedrock"]
TOOLS = [{"type": "function", "function": {"name": "search", "description": "Search the docs",
                                           "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}}]
PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG fake").decode()


@pytest.fixture(scope="module")
def fake():
    server = start_fake_llm()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    monkeypatch.setattr(transport, "BASE_DELAY", 0.01)


def _credential(session, actor, fake, provider):
    data = CredentialInput(provider, f"{provider} test", api_key="sk-test-key-0000", base_url=fake.base(provider),
                           models=["m"])
    if provider == "azure_openai":
        data.base_url, data.endpoint, data.deployment = None, fake.url, "dep1"
    if provider == "bedrock":
        data.region, data.access_key_id = "us-east-1", "AKIAFAKE"
    return creds.create_credential(session, actor, data).id


def _ask(model="fake-model", text="hello there", **kw):
    return ChatRequest(model=model, messages=[Message("system", "Be brief."), Message("user", text)], **kw)


def _collect(events):
    events = list(events)
    assert isinstance(events[-1], providers.Done)
    return events[:-1], events[-1].result


@pytest.mark.parametrize("provider", PROVIDERS)
def test_plain_and_streamed_answers_with_usage(session, fake, provider):
    actor = make_actor(session)
    cid = _credential(session, actor, fake, provider)
    result = providers.complete(session, actor, cid, _ask())
    assert (result.text, result.finish_reason, result.provider) == ("Echo: hello there", "stop", provider)
    assert result.usage.input_tokens >= 2 and result.usage.output_tokens == 3 and result.latency_ms > 0
    deltas, streamed = _collect(providers.stream(session, actor, cid, _ask()))
    assert [d.text for d in deltas] == ["Echo: ", "hello ", "there"]
    assert streamed.text == "Echo: hello there" and streamed.usage.output_tokens == 3
    assert streamed.finish_reason == "stop" and 0 < streamed.ttft_ms <= streamed.latency_ms


@pytest.mark.parametrize("provider", PROVIDERS)
def test_tool_calls_plain_streamed_and_async(session, fake, provider):
    actor = make_actor(session)
    cid = _credential(session, actor, fake, provider)
    result = providers.complete(session, actor, cid, _ask(tools=TOOLS, tool_choice="auto"))
    assert result.finish_reason == "tool_calls" and result.tool_calls[0].name == "search"
    assert json.loads(result.tool_calls[0].arguments) == {"query": "hello there"}

    async def run():
        return [e async for e in providers.astream(session, actor, cid, _ask(tools=TOOLS, tool_choice="required"))]

    events = asyncio.run(run())
    done = events[-1].result
    assert done.finish_reason == "tool_calls" and json.loads(done.tool_calls[0].arguments) == {"query": "hello there"}
    assert any(isinstance(e, providers.ToolCallDelta) and e.name == "search" for e in events)


@pytest.mark.parametrize("provider", ["openai", "anthropic", "gemini", "bedrock"])
def test_a_conversation_with_a_tool_result_and_an_image(session, fake, provider):
    actor = make_actor(session)
    cid = _credential(session, actor, fake, provider)
    messages = [Message("user", [{"type": "text", "text": "What is this?"}, {"type": "image_url", "image_url": {"url": PNG}}]),
                Message("assistant", "", tool_calls=[ToolCall("call_9", "search", '{"query": "png"}')]),
                Message("tool", "a picture", tool_call_id="call_9"), Message("user", "thanks")]
    result = providers.complete(session, actor, cid, ChatRequest(model="m", messages=messages, tools=TOOLS))
    assert result.text.startswith("Echo:") or result.tool_calls
    sent = json.dumps(fake.requests[-1]["body"])
    assert base64.b64encode(b"\x89PNG fake").decode() in sent and "call_9" in sent or provider == "gemini"
    assert "a picture" in sent


@pytest.mark.parametrize("provider", ["openai", "anthropic", "gemini", "bedrock"])
def test_json_and_score_schema_outputs(session, fake, provider):
    actor = make_actor(session)
    cid = _credential(session, actor, fake, provider)
    schema = {"type": "object", "properties": {"reason": {"type": "string"},
                                               "category": {"type": "string", "enum": ["good", "bad"]}},
              "required": ["reason", "category"]}
    result = providers.complete(session, actor, cid, _ask(output=OutputType("score_schema", schema, "score")))
    assert json.loads(result.text)["category"] == "good"
    result = providers.complete(session, actor, cid, _ask(output=OutputType("json_object")))
    assert json.loads(result.text) == {"echo": "hello there"}


def test_credentials_travel_as_each_provider_expects(session, fake):
    actor = make_actor(session)
    for provider in ("openai", "anthropic", "gemini", "bedrock", "azure_openai"):
        providers.complete(session, actor, _credential(session, actor, fake, provider), _ask())
    by = {r["provider"] + r["path"]: r["headers"] for r in fake.requests[-5:]}
    heads = list(by.values())
    assert heads[0]["authorization"] == "Bearer sk-test-key-0000"
    assert heads[1]["x-api-key"] == "sk-test-key-0000" and heads[1]["anthropic-version"]
    assert heads[2]["x-goog-api-key"] == "sk-test-key-0000"
    assert heads[3]["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIAFAKE/")
    assert "/us-east-1/bedrock/aws4_request" in heads[3]["authorization"]
    assert "sk-test-key-0000" not in json.dumps(heads[3])  # the AWS secret only signs
    assert heads[4]["api-key"] == "sk-test-key-0000"
    assert any("/openai/deployments/dep1/chat/completions" in k for k in by)


@pytest.mark.parametrize("provider", ["openai", "anthropic", "gemini", "bedrock"])
def test_errors_are_readable_and_retried_before_streaming(session, fake, provider):
    actor = make_actor(session)
    cid = _credential(session, actor, fake, provider)
    with pytest.raises(ProviderError, match="answered 401") as err:
        providers.complete(session, actor, cid, _ask("x-error401"))
    assert "Check the credential" in err.value.message
    with pytest.raises(ProviderError, match="answered 404.*may not exist"):
        list(providers.stream(session, actor, cid, _ask("x-error404")))
    before = len(fake.requests)
    assert providers.complete(session, actor, cid, _ask(f"{provider}-{uuid.uuid4().hex}-fail429x2")).text == "Echo: hello there"
    assert len(fake.requests) - before == 3  # two 429s (Retry-After: 0), then the answer
    _, result = _collect(providers.stream(session, actor, cid, _ask(f"{provider}-{uuid.uuid4().hex}-fail500x1")))
    assert result.text == "Echo: hello there"
    with pytest.raises(ProviderError, match="answered 500") as err:
        providers.complete(session, actor, cid, _ask(f"{provider}-{uuid.uuid4().hex}-fail500x9"))
    assert err.value.retryable


@pytest.mark.parametrize("provider", ["openai", "anthropic", "gemini", "bedrock"])
def test_hangs_and_broken_streams(session, fake, provider):
    actor = make_actor(session)
    cid = _credential(session, actor, fake, provider)
    with pytest.raises(ProviderError, match="did not answer within 0.5 s"):
        providers.complete(session, actor, cid, _ask("x hang", timeout=0.5))
    got = []
    with pytest.raises(ProviderError, match="did not answer within 0.5 s"):
        for event in providers.stream(session, actor, cid, _ask("x hangmid", timeout=0.5)):
            got.append(event)
    assert [e.text for e in got] == ["Echo: "]  # what arrived before the silence
    with pytest.raises(ProviderError, match="malformed"):
        list(providers.stream(session, actor, cid, _ask("x malformed")))
    with pytest.raises(ProviderError, match="ended before the answer was complete"):
        list(providers.stream(session, actor, cid, _ask("x truncated")))


def test_bad_requests_fail_before_any_call(session, fake):
    actor = make_actor(session)
    cid = _credential(session, actor, fake, "openai")
    before = len(fake.requests)
    with pytest.raises(providers.ProviderError.__mro__[1], match="Choose a model"):
        providers.complete(session, actor, cid, _ask(""))
    with pytest.raises(Exception, match="Tool 1 must be"):
        providers.complete(session, actor, cid, _ask(tools=[{"name": "x"}]))
    with pytest.raises(Exception, match="not a valid JSON schema"):
        providers.complete(session, actor, cid, _ask(output=OutputType("json_schema", {"type": 12})))
    with pytest.raises(Exception, match="No such LLM credential"):
        providers.complete(session, actor, "missing", _ask())
    assert len(fake.requests) == before


def test_retry_after_values():
    import httpx
    assert transport.retry_after(httpx.Headers({"retry-after": "3"})) == 3
    assert transport.retry_after(httpx.Headers({"retry-after-ms": "250"})) == 0.25
    assert transport.retry_after(httpx.Headers({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0
    error = ProviderError("x", retryable=True, retry_after=120)
    assert transport.delay(error, 0) == transport.MAX_WAIT


@pytest.mark.parametrize("provider", ["openai", "bedrock"])
def test_async_stream_retries_before_streaming_and_reports_errors(session, fake, provider):
    actor = make_actor(session)
    cid = _credential(session, actor, fake, provider)

    async def run(model):
        return [e async for e in providers.astream(session, actor, cid, _ask(model))]

    events = asyncio.run(run(f"{uuid.uuid4().hex}-fail429x1"))
    assert events[-1].result.text == "Echo: hello there"
    with pytest.raises(ProviderError, match="answered 401"):
        asyncio.run(run("x-error401"))
    with pytest.raises(ProviderError, match="ended before the answer was complete"):
        asyncio.run(run("x truncated"))
