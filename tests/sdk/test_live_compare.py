"""The same logging scenario through literal_sdk and through the official literalai SDK lands as
the same threads and steps on the live server (ids and timestamps aside)."""

import os

import literal_sdk
import literalai
import pytest


def scenario(module, key: str, url: str) -> str:
    """A small agent conversation written once against the shared public API."""
    client = module.LiteralClient(api_key=key, url=url, release="r1")

    @client.step(type="tool")
    def lookup(query, limit=3):
        return {"hits": [query] * 2}

    @client.run
    def agent(question):
        lookup(question)
        client.message("thinking", type="system_message")
        return "the answer"

    with client.thread(name="compare", tags=["sdk"], metadata={"channel": "web"}) as thread:
        client.message("hello?", type="user_message")
        agent("hello?")
        with client.step(name="manual", type="retrieval") as step:
            step.input = {"q": 1}
            step.output = {"docs": ["a", "b"]}
            step.tags = ["x"]
        failing = client.start_step(name="failing", type="tool")
        failing.error = "boom"
        failing.end()
        # literalai upserts the thread synchronously at exit while its sender thread may still be
        # ingesting the same thread's steps; flushing first keeps the two from racing on the server
        client.flush()
    client.flush()
    client.flush_and_stop()
    os.environ.pop("LITERAL_ENV", None)
    return thread.id


def shape(thread) -> dict:
    """What must match: the thread's fields and each step's content and parent.

    Root runs are compared separately: literalai forgets the root run as soon as any nested step
    exits, so a message logged after a tool call inside a run loses its ``rootRunId`` there.
    """
    names = {s.id: s.name or s.type for s in thread.steps}
    steps = sorted(
        (s.name or s.type, s.type, names.get(s.parent_id), repr(s.input), repr(s.output),
         repr(s.metadata), repr(s.tags), s.error, s.environment)
        for s in thread.steps)
    return {"name": thread.name, "tags": thread.tags, "metadata": thread.metadata, "steps": steps}


@pytest.mark.parametrize("module", [literalai])
def test_same_scenario_same_threads_and_steps(live_pg, module):
    key = live_pg.new_key("ADMIN")[1]
    official_id = scenario(module, key, live_pg.url)
    ours_id = scenario(literal_sdk, key, live_pg.url)
    reader = literal_sdk.LiteralClient(api_key=key, url=live_pg.url)
    official, ours = reader.api.get_thread(id=official_id), reader.api.get_thread(id=ours_id)
    assert (len(ours.steps), len(official.steps)) == (6, 6)
    ours_shape, official_shape = shape(ours), shape(official)
    for mine, theirs in zip(ours_shape.pop("steps"), official_shape.pop("steps")):
        assert mine == theirs
    assert ours_shape == official_shape
    run = [s for s in ours.steps if s.type == "run"][0]
    assert {s.name or s.type for s in ours.steps if s.root_run_id == run.id} == {"lookup", "system_message"}
