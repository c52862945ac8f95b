"""The official literalai 0.1.300 SDK against a live server (both databases): the stored file of
an attachment goes when the attachment is deleted, or its step, or its thread, and its read URL
then answers 404; a file still referenced by another attachment stays."""

from __future__ import annotations

import httpx

from tests.api.gql import gql

CREATE = """mutation C($stepId: String!, $name: String!, $objectKey: String) {
  createAttachment(stepId: $stepId, name: $name, objectKey: $objectKey) { id objectKey url } }"""


def upload(api, step_id: str, thread_id: str, data: bytes):
    att = api.create_attachment(step_id=step_id, thread_id=thread_id, content=data, mime="text/plain", name="a.txt")
    assert httpx.get(att.url).content == data
    return att


def gone(live, att) -> bool:
    """The file is off the disk and its read URL answers 404."""
    return not (live.data_dir / "files" / att.object_key).exists() and httpx.get(att.url).status_code == 404


def test_deleting_attachments_steps_and_threads_removes_files(live, client, project):
    api = client.api
    thread = api.create_thread(name="files")
    step, other = api.create_step(thread_id=thread.id, name="s"), api.create_step(thread_id=thread.id, name="o")
    first = upload(api, step.id, thread.id, b"one")
    assert (live.data_dir / "files" / first.object_key).read_bytes() == b"one"
    assert api.delete_attachment(id=first.id)
    assert gone(live, first)

    shared = upload(api, step.id, thread.id, b"shared")
    again = gql(live, project[1], CREATE, {"stepId": other.id, "name": "same file",
                                           "objectKey": shared.object_key})["data"]["createAttachment"]
    assert api.delete_step(id=step.id)
    assert httpx.get(shared.url).content == b"shared"  # the other step's attachment still uses it

    last = upload(api, other.id, thread.id, b"last")
    assert api.delete_thread(id=thread.id)
    assert gone(live, shared) and gone(live, last)
    assert again["objectKey"] == shared.object_key
