"""Protocol gaps found by trying the product as a new user would (issue 18), through the official
``literalai`` SDK over HTTP, on SQLite and PostgreSQL:

- an attachment created while its step and thread are still in the SDK's buffer keeps the
  ``threadId`` and ``stepId`` it was created with once they are flushed;
- dataset items answer objects for ``input``/``expectedOutput`` (and an object ``metadata``, a list
  ``intermediarySteps``) even when the generation or step they come from has no completion/output.
"""

from __future__ import annotations

import uuid

import httpx
from sqlmodel import Session

from tests.eval_factories import make_step


def test_attachment_created_before_its_step_keeps_thread_and_step(client):
    thread_id, step_id = str(uuid.uuid4()), str(uuid.uuid4())
    with client.thread(thread_id=thread_id, name="files first"):
        with client.step(id=step_id, name="answer", type="run"):
            att = client.api.create_attachment(content=b"early bytes", mime="text/plain", name="early.txt")
            assert att.step_id == step_id  # the step is still in the SDK's buffer
    client.flush()
    got = client.api.get_attachment(id=att.id)
    assert (got.thread_id, got.step_id) == (thread_id, step_id)
    assert httpx.get(got.url).content == b"early bytes"
    step = client.api.get_step(id=step_id)
    assert step.thread_id == thread_id and [a.id for a in step.attachments] == [att.id]
    again = client.api.get_attachment(id=att.id)  # a later flush of the same step changes nothing
    client.api.send_steps([{"id": step_id, "output": {"content": "done"}}])
    assert client.api.get_attachment(id=att.id).thread_id == again.thread_id == thread_id


def test_attachment_thread_id_given_by_the_client_is_kept(client, live):
    """A client that names the thread (the mutation accepts ``threadId``) keeps it even when the
    step later arrives without one."""
    thread_id, step_id = str(uuid.uuid4()), str(uuid.uuid4())
    r = httpx.post(f"{live.url}/api/graphql", headers={"x-api-key": client.api.api_key}, json={
        "query": "mutation($s: String!, $t: String) { createAttachment(stepId: $s, threadId: $t, "
                 "name: \"n\", url: \"https://example.com/a.png\") { id threadId stepId } }",
        "variables": {"s": step_id, "t": thread_id}})
    created = r.json()["data"]["createAttachment"]
    assert (created["threadId"], created["stepId"]) == (thread_id, step_id)
    client.api.send_steps([{"id": step_id, "name": "no thread", "type": "tool"}])
    assert client.api.get_attachment(id=created["id"]).thread_id == thread_id


def _logged(live, project_id: str) -> dict[str, str]:
    with Session(live.engine) as s:
        ids = {
            "chat": make_step(s, project_id, type="llm", generation={
                "type": "CHAT", "messages": [{"role": "user", "content": "Hi"}]}).id,
            "completion": make_step(s, project_id, type="llm", generation={
                "type": "COMPLETION", "prompt": "Say hi"}).id,
            "bare step": make_step(s, project_id, name="no output").id,
        }
        s.commit()
    return ids


def test_dataset_items_answer_objects_without_completion(client, live, project):
    ids = _logged(live, project[0])
    dataset = client.api.create_dataset(name="gaps-" + uuid.uuid4().hex)
    chat = dataset.add_generation(ids["chat"])
    assert chat.input == {"messages": [{"role": "user", "content": "Hi"}]}
    assert chat.expected_output == {"role": "assistant", "content": ""}
    completion = dataset.add_generation(ids["completion"])
    assert (completion.input, completion.expected_output) == ({"prompt": "Say hi"}, {"content": ""})
    bare = dataset.add_step(ids["bare step"])
    assert (bare.input, bare.expected_output, bare.intermediary_steps) == ({}, {}, [])
    by_hand = dataset.create_item(input={"q": 1})
    assert by_hand.expected_output == {} and by_hand.metadata == {}
    for item in client.api.get_dataset(id=dataset.id).items:
        assert isinstance(item.input, dict) and isinstance(item.expected_output, dict)
        assert isinstance(item.metadata, dict) and isinstance(item.intermediary_steps, list)
