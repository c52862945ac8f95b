"""Chainlit 2.12's LiteralDataLayer, unchanged, against a live server (run by test_chainlit.py
with .venv-chainlit's Python: Chainlit pins literalai 0.1.201, which conflicts with our 0.1.300).

Usage: chainlit_scenario.py <server url> <api key>. Exits non-zero on the first failed check.
It runs inside a Chainlit HTTP context (``init_http_context``), where the data layer executes
its ``@queue_until_user_message`` methods at once, as after a user's first message.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import httpx
from chainlit.context import init_http_context
from chainlit.data.literalai import LiteralDataLayer
from chainlit.types import Feedback, Pagination, ThreadFilter
from chainlit.user import User


def iso(offset: float) -> str:
    return (datetime(2025, 4, 16, 12, tzinfo=timezone.utc) + timedelta(seconds=offset)).isoformat().replace(
        "+00:00", "Z")


def step(thread_id: str, type_: str, output: str, offset: float, **extra) -> dict:
    return {"id": str(uuid.uuid4()), "threadId": thread_id, "type": type_, "name": extra.pop("name", type_),
            "output": output, "input": extra.pop("input", ""), "start": iso(offset), "end": iso(offset + 1),
            "createdAt": iso(offset), "metadata": {}, "showInput": False, "language": None, **extra}


async def conversation(dl: LiteralDataLayer, user_id: str, question: str, answer: str, base: float) -> dict:
    thread_id = str(uuid.uuid4())
    await dl.update_thread(thread_id, user_id=user_id)
    await dl.update_thread(thread_id, name=question, user_id=user_id, tags=["chat-profile"])
    q = step(thread_id, "user_message", question, base, name="alice")
    a = step(thread_id, "assistant_message", answer[:5], base + 2, name="Assistant")
    tool = step(thread_id, "tool", "42", base + 1, name="calculator", input="6*7", parentId=q["id"])
    llm = step(thread_id, "llm", "ok", base + 1.5, name="gpt", parentId=q["id"], generation={
        "type": "CHAT", "provider": "openai", "model": "gpt-4o", "messages": [{"role": "user", "content": question}],
        "messageCompletion": {"role": "assistant", "content": answer}})
    for s in (q, tool, llm, a):
        await dl.create_step(s)
    await dl.update_step({**a, "output": answer})
    await dl.update_thread(thread_id, metadata={"chat_profile": "default", "env": {}})
    return {"thread_id": thread_id, "question": q, "answer": a, "tool": tool, "llm": llm}


async def main(url: str, key: str) -> None:
    init_http_context()
    dl = LiteralDataLayer(api_key=key, server=url)
    assert await dl.get_user("alice") is None
    user = await dl.create_user(User(identifier="alice", metadata={"role": "admin"}))
    again = await dl.create_user(User(identifier="alice", metadata={"role": "user"}))
    got = await dl.get_user("alice")
    assert user.id and again.id == user.id == got.id and got.metadata == {"role": "user"}, got

    one = await conversation(dl, user.id, "What is the weather?", "Sunny and warm", 0)
    two = await conversation(dl, user.id, "Tell me a joke", "Why did the chicken", 100)

    # Elements: uploaded content and an external URL, both readable by a browser.
    file_el = SimpleNamespace(id=str(uuid.uuid4()), for_id=one["answer"]["id"], thread_id=one["thread_id"],
                              url=None, path=None, content=b"hello file", mime="text/plain", name="notes.txt",
                              size="small", language=None, display="inline", type="file")
    url_el = SimpleNamespace(id=str(uuid.uuid4()), for_id=one["answer"]["id"], thread_id=one["thread_id"],
                             url="https://example.com/cat.png", path=None, content=None, mime="image/png",
                             name="cat", size="large", language=None, display="side", type="image")
    await dl.create_element(file_el)
    await dl.create_element(url_el)
    element = await dl.get_element(one["thread_id"], file_el.id)
    assert element and element["url"] and element["threadId"] == one["thread_id"], element
    assert httpx.get(element["url"]).content == b"hello file"
    assert (await dl.get_element(one["thread_id"], url_el.id))["url"] == "https://example.com/cat.png"

    # Feedback: create, update, then filter threads by it.
    fb_id = await dl.upsert_feedback(Feedback(forId=one["answer"]["id"], value=1, comment="great"))
    assert fb_id
    assert await dl.upsert_feedback(Feedback(forId=one["answer"]["id"], id=fb_id, value=0, comment=None)) == fb_id

    thread = await dl.get_thread(one["thread_id"])
    assert thread["userIdentifier"] == "alice" and thread["userId"] == user.id, thread
    assert thread["name"] == "What is the weather?" and thread["tags"] == ["chat-profile"]
    assert thread["metadata"] == {"chat_profile": "default", "env": {}}
    by_id = {s["id"]: s for s in thread["steps"]}
    assert [s["id"] for s in thread["steps"]][0] == one["question"]["id"]
    assert by_id[one["answer"]["id"]]["output"] == "Sunny and warm"
    assert by_id[one["answer"]["id"]]["feedback"]["value"] == 0
    assert {e["id"] for e in thread["elements"]} == {file_el.id, url_el.id}
    assert await dl.get_thread_author(one["thread_id"]) == "alice"

    # Sidebar: pagination, search and feedback filters.
    page = await dl.list_threads(Pagination(first=1), ThreadFilter(userId=user.id))
    assert len(page.data) == 1 and page.pageInfo.hasNextPage and page.data[0]["id"] == two["thread_id"]
    rest = await dl.list_threads(Pagination(first=1, cursor=page.pageInfo.endCursor), ThreadFilter(userId=user.id))
    assert [t["id"] for t in rest.data] == [one["thread_id"]] and not rest.pageInfo.hasNextPage
    found = await dl.list_threads(Pagination(first=10), ThreadFilter(userId=user.id, search="SUNNY"))
    assert [t["id"] for t in found.data] == [one["thread_id"]]
    disliked = await dl.list_threads(Pagination(first=10), ThreadFilter(userId=user.id, feedback=0))
    assert [t["id"] for t in disliked.data] == [one["thread_id"]]
    liked = await dl.list_threads(Pagination(first=10), ThreadFilter(userId=user.id, feedback=1))
    assert liked.data == []

    # Deletes.
    assert await dl.delete_feedback(fb_id)
    await dl.delete_element(url_el.id)
    await dl.delete_step(one["tool"]["id"])
    thread = await dl.get_thread(one["thread_id"])
    assert one["tool"]["id"] not in {s["id"] for s in thread["steps"]}
    assert {e["id"] for e in thread["elements"]} == {file_el.id}
    assert not [s for s in thread["steps"] if s.get("feedback")]
    await dl.delete_thread(two["thread_id"])
    assert await dl.get_thread(two["thread_id"]) is None
    await dl.close()
    print("CHAINLIT SCENARIO OK")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
