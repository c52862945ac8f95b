"""The official literalai 0.1.300 SDK, unchanged, against a live server: every api.* method of
participants, threads, steps, generations, scores and attachments (sync client; async below)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from literalai.observability.generation import ChatGeneration, CompletionGeneration


def test_users(client):
    api = client.api
    user = api.create_user(identifier="ada@example.com", metadata={"plan": "pro"})
    assert user.id and user.metadata == {"plan": "pro"}
    assert api.get_user(identifier="ada@example.com").id == user.id
    assert api.get_user(id="missing") is None
    assert api.update_user(id=user.id, metadata={"plan": "free"}).metadata == {"plan": "free"}
    assert api.get_or_create_user(identifier="ada@example.com").id == user.id
    other = api.get_or_create_user(identifier="bob@example.com")
    assert other.id != user.id and other.metadata == {}
    page = api.get_users(first=1)
    assert len(page.data) == 1 and page.total_count == 2 and page.page_info.has_next_page
    nxt = api.get_users(first=1, after=page.page_info.end_cursor)
    assert {page.data[0].id, nxt.data[0].id} == {user.id, other.id}
    found = api.get_users(filters=[{"field": "identifier", "operator": "ilike", "value": "BOB"}])
    assert [u.id for u in found.data] == [other.id]
    assert api.delete_user(id=other.id)
    assert api.get_user(id=other.id) is None


def test_threads(client):
    api = client.api
    user = api.create_user(identifier=f"u-{uuid.uuid4().hex[:6]}")
    thread = api.create_thread(name="first", metadata={"k": 1}, participant_id=user.id, tags=["hello"])
    assert thread.participant_id == user.id and thread.tags == ["hello"]
    up = api.upsert_thread(id=thread.id, tags=["hello:world"])
    assert up.tags == ["hello:world"] and up.name == "first" and up.metadata == {"k": 1}
    by_identifier = api.upsert_thread(id="thread-id-2", name="second", participant_id="new-person@example.com")
    assert by_identifier.participant_identifier == "new-person@example.com"
    assert api.update_thread(id=thread.id, name="renamed").name == "renamed"
    listed = api.list_threads(first=10, filters=[{"field": "participantId", "operator": "eq", "value": user.id}])
    assert [t.id for t in listed.data] == [thread.id]
    full = api.get_threads(first=1)
    assert len(full.data) == 1 and full.page_info.has_next_page and full.total_count == 2
    assert api.get_thread(id="nope") is None
    assert api.delete_thread(id=thread.id)
    assert api.get_thread(id=thread.id) is None


def test_steps_create_update_get_delete(client):
    api = client.api
    thread = api.create_thread(name="t")
    step = api.create_step(thread_id=thread.id, name="s", input={"q": 1}, metadata={"a": 1}, tags=["x"])
    assert step.type == "undefined" and step.thread_id == thread.id
    updated = api.update_step(id=step.id, metadata={"b": 2}, tags=["y"])
    assert updated.metadata == {"b": 2} and updated.tags == ["y"] and updated.name == "s"
    assert updated.input == {"q": 1}
    got = api.get_step(id=step.id)
    assert got.id == step.id
    steps = api.get_steps(first=1, filters=[{"field": "tags", "operator": "in", "value": ["y"]}])
    assert [s.id for s in steps.data] == [step.id]
    assert api.get_step(id="missing") is None
    assert api.delete_step(id=step.id) is True
    assert api.get_step(id=step.id) is None


def test_send_steps_batch_idempotent_with_children_first(client):
    api = client.api
    tid, run_id, llm_id = "thread-" + uuid.uuid4().hex, str(uuid.uuid4()), str(uuid.uuid4())
    child = {"id": llm_id, "type": "llm", "threadId": tid, "parentId": run_id, "name": "gpt",
             "startTime": "2025-04-16T13:04:56.123456Z", "endTime": "2025-04-16T13:04:57.123456Z",
             "generation": {"type": "CHAT", "model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}],
                            "messageCompletion": {"role": "assistant", "content": "hello there"}},
             "scores": [], "attachments": []}
    parent = {"id": run_id, "type": "run", "threadId": tid, "name": "agent", "input": {"content": "hi"},
              "output": {"content": "hello there"}, "startTime": "2025-04-16T13:04:56Z",
              "endTime": "2025-04-16T13:04:58Z"}
    for _ in range(2):
        res = api.send_steps([child, parent])
        assert res["data"] == {"step0": {"ok": True, "message": None}, "step1": {"ok": True, "message": None}}
    thread = api.get_thread(id=tid)
    assert [s.id for s in thread.steps] == [run_id, llm_id]
    gen = api.get_step(id=llm_id).generation
    assert gen.input_token_count > 0 and gen.output_token_count > 0
    assert gen.token_count == gen.input_token_count + gen.output_token_count
    assert api.get_steps(filters=[{"field": "threadId", "operator": "eq", "value": tid}]).total_count == 2


def test_generations(client):
    api = client.api
    gen = ChatGeneration(messages=[{"role": "user", "content": "2+2?"}], message_completion={"role": "assistant",
                         "content": "4"}, model="gpt-4o-mini", provider="openai", token_count=12, tags=["math"])
    made = api.create_generation(gen)
    assert made.id
    step = api.get_step(id=made.id)
    assert step.type == "llm" and step.generation.token_count == 12
    comp = api.create_generation(CompletionGeneration(prompt="Say hi", completion="hi", model="m"))
    page = api.get_generations(first=10)
    assert {g.id for g in page.data} == {made.id, comp.id}
    assert page.data[0].id == comp.id  # newest first
    tagged = api.get_generations(filters=[{"field": "tags", "operator": "in", "value": ["math"]}])
    assert [g.id for g in tagged.data] == [made.id]
    by_model = api.get_generations(filters=[{"field": "model", "operator": "eq", "value": "m"}],
                                   order_by={"column": "tokenCount", "direction": "ASC"})
    assert [g.id for g in by_model.data] == [comp.id]


def test_scores(client):
    api = client.api
    step = api.create_step(name="scored")
    score = api.create_score(name="user-feedback", value=1, type="HUMAN", step_id=step.id, comment="good")
    assert score.id and score.value == 1
    assert api.update_score(id=score.id, update_params={"value": 0}).comment == "good"
    many = api.create_scores([{"name": "a", "type": "AI", "value": 0.5, "stepId": step.id},
                              {"name": "b", "type": "CODE", "value": 1.0, "stepId": step.id, "label": "yes"}])
    assert [s["name"] if isinstance(s, dict) else s.name for s in many] == ["a", "b"]
    assert len(api.get_step(id=step.id).scores) == 3
    page = api.get_scores(filters=[{"field": "name", "operator": "eq", "value": "a"}])
    assert [s.name for s in page.data] == ["a"]
    assert api.delete_score(id=score.id)
    assert api.get_scores().total_count == 2


def test_attachments_round_trip(client):
    api = client.api
    thread = api.create_thread(name="files")
    step = api.create_step(thread_id=thread.id, name="with file")
    att = api.create_attachment(step_id=step.id, thread_id=thread.id, content=b"%PDF-bytes\x00\x01",
                                mime="application/pdf", name="doc.pdf", metadata={"page": 1})
    assert att.object_key and att.url and att.thread_id == thread.id
    got = api.get_attachment(id=att.id)
    assert got.url.split("X-Amz-Date")[0] == att.url.split("X-Amz-Date")[0]  # re-signed on read
    r = httpx.get(got.url)
    assert r.status_code == 200 and r.content == b"%PDF-bytes\x00\x01"
    assert r.headers["content-type"] == "application/pdf"
    assert httpx.get(got.url.split("?")[0] + "?sig=forged").status_code == 403
    renamed = api.update_attachment(id=att.id, update_params={"name": "renamed.pdf"})
    assert renamed.name == "renamed.pdf" and renamed.metadata == {"page": 1}
    assert [a.id for a in api.get_step(id=step.id).attachments] == [att.id]
    assert api.delete_attachment(id=att.id)
    assert api.get_attachment(id=att.id) is None


def test_upload_file_and_external_url_attachment(client):
    api = client.api
    uploaded = api.upload_file(content=b"hello", mime="text/plain")
    assert uploaded["object_key"] and httpx.get(uploaded["url"]).content == b"hello"
    step = api.create_step(name="s")
    att = api.create_attachment(step_id=step.id, url="https://example.com/cat.png", name="cat")
    assert api.get_attachment(id=att.id).url == "https://example.com/cat.png"


@pytest.mark.asyncio
async def test_async_client_methods(aclient):
    api = aclient.api
    user = await api.get_or_create_user(identifier="async@example.com")
    thread = await api.upsert_thread(id="async-thread-" + uuid.uuid4().hex, name="t", participant_id=user.id)
    step = await api.create_step(thread_id=thread.id, name="s", type="tool")
    await api.send_steps([{"id": step.id, "output": {"content": "done"}, "scores": [], "attachments": []}])
    got = await api.get_step(id=step.id)
    assert got.output == {"content": "done"} and got.name == "s" and got.type == "tool"
    up = await api.upload_file(content=b"abc", mime="text/plain", thread_id=thread.id)
    assert up["object_key"]
    listed = await api.list_threads(first=5)
    assert [t.id for t in listed.data] == [thread.id]
    assert (await api.get_users(first=5)).data[0].id == user.id
