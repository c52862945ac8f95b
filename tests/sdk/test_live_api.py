"""literal_sdk's ``client.api`` against a live server (PostgreSQL): every observability method
with typed results, sync and async."""

import uuid

import httpx
import pytest
from literal_sdk import (
    AsyncLiteralClient,
    Attachment,
    ChatGeneration,
    CompletionGeneration,
    LiteralClient,
    Score,
    Step,
    Thread,
    User,
)


@pytest.fixture
def project(live_pg):
    return live_pg.new_key("ADMIN")


@pytest.fixture
def sdk(live_pg, project):
    client = LiteralClient(api_key=project[1], url=live_pg.url)
    yield client
    client.flush_and_stop(timeout=10)


def test_users_and_my_project(sdk, project):
    api = sdk.api
    assert api.get_my_project_id() == project[0]
    user = api.create_user(identifier="ada@example.com", metadata={"plan": "pro"})
    assert isinstance(user, User) and user.id and user.to_dict()["metadata"] == {"plan": "pro"}
    assert api.get_user(identifier="ada@example.com").id == user.id
    assert api.get_user(id="missing") is None
    assert api.update_user(id=user.id, metadata={"plan": "free"}).metadata == {"plan": "free"}
    assert api.get_or_create_user(identifier="ada@example.com").id == user.id
    bob = api.get_or_create_user(identifier="bob@example.com")
    page = api.get_users(first=1)
    assert len(page.data) == 1 and page.total_count == 2 and page.page_info.has_next_page
    rest = api.get_users(first=1, after=page.page_info.end_cursor)
    assert {page.data[0].id, rest.data[0].id} == {user.id, bob.id}
    found = api.get_users(filters=[{"field": "identifier", "operator": "ilike", "value": "BOB"}])
    assert [u.id for u in found.data] == [bob.id]
    assert api.delete_user(id=bob.id) == bob.id
    assert api.get_user(id=bob.id) is None


def test_threads(sdk):
    api = sdk.api
    user = api.create_user(identifier="carol@example.com")
    thread = api.create_thread(name="first", metadata={"k": 1}, participant_id=user.id, tags=["hello"])
    assert isinstance(thread, Thread) and thread.participant_id == user.id and thread.tags == ["hello"]
    upserted = api.upsert_thread(id=thread.id, tags=["hello:world"])
    assert upserted.tags == ["hello:world"] and upserted.name == "first" and upserted.metadata == {"k": 1}
    other = api.upsert_thread(id="thread-" + uuid.uuid4().hex, name="second", participant_id="dan@example.com")
    assert other.participant_identifier == "dan@example.com"
    assert api.update_thread(id=thread.id, name="renamed").name == "renamed"
    listed = api.list_threads(first=10, filters=[{"field": "participantId", "operator": "eq", "value": user.id}])
    assert [t.id for t in listed.data] == [thread.id]
    full = api.get_threads(first=1, order_by={"column": "createdAt", "direction": "DESC"})
    assert full.data[0].id == other.id and full.total_count == 2 and full.page_info.has_next_page
    assert api.get_thread(id="nope") is None
    assert api.delete_thread(id=thread.id) is True
    assert api.get_thread(id=thread.id) is None


def test_steps_and_send_steps(sdk):
    api = sdk.api
    thread = api.create_thread(name="t")
    step = api.create_step(thread_id=thread.id, name="s", input={"q": 1}, metadata={"a": 1}, tags=["x"])
    assert isinstance(step, Step) and step.type == "undefined" and step.thread_id == thread.id
    updated = api.update_step(id=step.id, metadata={"b": 2}, tags=["y"])
    assert updated.metadata == {"b": 2} and updated.tags == ["y"] and updated.name == "s"
    found = api.get_steps(first=1, filters=[{"field": "tags", "operator": "in", "value": ["y"]}])
    assert [s.id for s in found.data] == [step.id]
    run_id, llm_id = str(uuid.uuid4()), str(uuid.uuid4())
    llm = Step(name="gpt", type="llm", id=llm_id, thread_id=thread.id, parent_id=run_id)
    llm.generation = ChatGeneration(messages=[{"role": "user", "content": "hi"}], model="m",
                                    message_completion={"role": "assistant", "content": "hello"})
    llm.end_time = llm.start_time
    parent = {"id": run_id, "type": "run", "threadId": thread.id, "name": "agent", "output": {"content": "hello"}}
    for _ in range(2):  # idempotent
        result = api.send_steps([llm, parent])
        assert result["data"] == {"step0": {"ok": True, "message": None}, "step1": {"ok": True, "message": None}}
    fetched = api.get_step(id=llm_id)
    assert fetched.parent_id == run_id and fetched.generation.message_completion["content"] == "hello"
    assert {s.id for s in api.get_thread(id=thread.id).steps} == {step.id, run_id, llm_id}
    assert api.delete_step(id=step.id) is True and api.get_step(id=step.id) is None


def test_generations_and_scores(sdk):
    api = sdk.api
    chat = api.create_generation(ChatGeneration(messages=[{"role": "user", "content": "2+2?"}], model="gpt",
                                                message_completion={"role": "assistant", "content": "4"},
                                                token_count=12, tags=["math"]))
    completion = api.create_generation(CompletionGeneration(prompt="Say hi", completion="hi", model="m"))
    assert isinstance(chat, ChatGeneration) and isinstance(completion, CompletionGeneration)
    page = api.get_generations(first=10)
    assert [g.id for g in page.data] == [completion.id, chat.id]
    tagged = api.get_generations(filters=[{"field": "tags", "operator": "in", "value": ["math"]}])
    assert [g.id for g in tagged.data] == [chat.id] and tagged.data[0].token_count == 12
    score = api.create_score(name="user-feedback", value=1, type="HUMAN", step_id=chat.id, comment="good")
    assert isinstance(score, Score) and score.step_id == chat.id
    assert api.update_score(id=score.id, update_params={"value": 0}).value == 0
    many = api.create_scores([{"name": "a", "type": "AI", "value": 0.5, "stepId": chat.id},
                              {"name": "b", "type": "CODE", "value": 1.0, "stepId": chat.id, "label": "yes"}])
    assert [s["name"] for s in many] == ["a", "b"] and api.create_scores([]) == []
    assert len(api.get_step(id=chat.id).scores) == 3
    assert [s.name for s in api.get_scores(filters=[{"field": "name", "operator": "eq", "value": "b"}]).data] == ["b"]
    with pytest.raises(ValueError):
        api.create_score(name="bad", value=float("nan"), type="AI", step_id=chat.id)
    assert api.delete_score(id=score.id)
    assert api.get_scores().total_count == 2


def test_attachments_on_the_current_step(sdk):
    with sdk.thread(name="files") as thread:
        with sdk.step(name="with file") as step:
            # the step reaches the server first, as it would in an app that logs before attaching
            sdk.api.send_steps([step])
            attachment = sdk.api.create_attachment(content=b"%PDF\x00\x01", mime="application/pdf", name="doc.pdf",
                                                   metadata={"page": 1})
    assert isinstance(attachment, Attachment) and attachment.step_id == step.id
    assert attachment.thread_id == thread.id and attachment.object_key
    got = sdk.api.get_attachment(id=attachment.id)
    assert httpx.get(got.url).content == b"%PDF\x00\x01"
    assert sdk.api.update_attachment(id=attachment.id, update_params={"name": "renamed.pdf"}).name == "renamed.pdf"
    external = sdk.api.create_attachment(step_id=step.id, url="https://example.com/cat.png", name="cat")
    assert sdk.api.get_attachment(id=external.id).url == "https://example.com/cat.png"
    uploaded = sdk.api.upload_file(content=b"hello", mime="text/plain")
    assert httpx.get(uploaded["url"]).content == b"hello"
    assert sdk.api.delete_attachment(id=attachment.id)
    assert sdk.api.get_attachment(id=attachment.id) is None
    with pytest.raises(ValueError):
        sdk.api.create_attachment(content=b"x", name="orphan")  # no current step


async def test_async_api(live_pg, project):
    client = AsyncLiteralClient(api_key=project[1], url=live_pg.url)
    api = client.api
    user = await api.get_or_create_user(identifier="async@example.com")
    thread = await api.upsert_thread(id="async-" + uuid.uuid4().hex, name="t", participant_id=user.id)
    step = await api.create_step(thread_id=thread.id, name="s", type="tool")
    await api.send_steps([{"id": step.id, "output": {"content": "done"}}])
    got = await api.get_step(id=step.id)
    assert got.output == {"content": "done"} and got.type == "tool"
    assert (await api.upload_file(content=b"abc", mime="text/plain", thread_id=thread.id))["object_key"]
    assert [t.id for t in (await api.list_threads(first=5)).data] == [thread.id]
    assert await api.get_my_project_id() == project[0]
    client.flush_and_stop(timeout=5)
