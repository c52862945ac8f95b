"""Step/thread nesting through contextvars: decorators and context managers on sync and async
functions and generators, across OS threads and asyncio tasks (against the recording stub)."""

import asyncio
import threading

import pytest
from literal_sdk import AsyncLiteralClient


def by_name(stub):
    return {s.get("name"): s for s in stub.ingested}


def test_decorators_build_the_tree_with_inputs_and_outputs(client, stub):
    @client.step(type="tool")
    def add(x, y=2):
        return x + y

    @client.run(name="agent")
    def agent(question):
        with client.step(name="retrieve", type="retrieval") as step:
            step.output = {"docs": ["a"]}
            step.tags = ["rag"]
        client.message("thinking", type="system_message")
        return add(1)

    with client.thread(name="conversation", participant_id="alice") as thread:
        assert agent("why?") == 3
    assert client.flush(timeout=10)
    steps = by_name(stub)
    run = steps["agent"]
    assert run["type"] == "run" and run["threadId"] == thread.id and "parentId" not in run
    assert run["input"] == {"question": "why?"} and run["output"] == {"content": 3}
    for child in ("retrieve", "add"):
        assert steps[child]["parentId"] == run["id"] and steps[child]["rootRunId"] == run["id"]
    assert steps["add"]["input"] == {"x": 1, "y": 2} and steps["retrieve"]["tags"] == ["rag"]
    message = [s for s in stub.ingested if s["type"] == "system_message"][0]
    assert message["parentId"] == run["id"] and message["output"] == {"content": "thinking"}
    threads = [p for kind, p in stub.events() if kind == "thread"]
    assert threads == [{"id": thread.id, "name": "conversation", "participantId": "alice"}]
    assert client.get_current_step() is None and client.get_current_thread() is None


def test_errors_are_recorded_and_reraised(client, stub):
    @client.step
    def boom():
        raise ValueError("nope")

    with pytest.raises(ValueError):
        boom()
    client.flush(timeout=10)
    assert stub.ingested[0]["error"] == "nope"


def test_generators_do_not_leak_their_step_into_the_caller(client, stub):
    @client.step(type="llm")
    def tokens(n):
        for i in range(n):
            assert client.get_current_step().name == "tokens"
            yield f"t{i} "

    with client.step(name="outer") as outer:
        out = []
        for token in tokens(3):
            assert client.get_current_step() is outer  # the caller still sees its own step
            out.append(token)
    client.flush(timeout=10)
    steps = by_name(stub)
    assert steps["tokens"]["parentId"] == outer.id
    assert steps["tokens"]["output"] == {"content": "t0 t1 t2 "}


async def test_async_functions_generators_and_tasks(stub):
    client = AsyncLiteralClient(api_key="k", url=stub.url)

    @client.step(type="tool")
    async def child(i):
        await asyncio.sleep(0.01)
        return i

    @client.step
    async def stream():
        for i in range(2):
            yield i

    @client.run
    async def parent():
        results = await asyncio.gather(*(child(i) for i in range(3)))
        items = [x async for x in stream()]
        return results + items

    async with client.thread(name="async") as thread:
        assert await parent() == [0, 1, 2, 0, 1]
    assert await client.flush(timeout=10)
    steps = stub.ingested
    run = [s for s in steps if s["name"] == "parent"][0]
    children = [s for s in steps if s["name"] == "child"]
    assert len(children) == 3 and all(c["parentId"] == run["id"] for c in children)
    assert all(s["threadId"] == thread.id for s in steps)
    assert [s for s in steps if s["name"] == "stream"][0]["output"] == {"content": [0, 1]}
    client.flush_and_stop(timeout=5)


def test_os_threads_keep_separate_contexts(client, stub):
    barrier = threading.Barrier(4)
    seen = {}

    def worker(i):
        with client.thread(name=f"t{i}") as thread:
            with client.step(name=f"s{i}") as step:
                barrier.wait()  # all four steps are open at the same time
                seen[i] = (thread.id, client.get_current_step() is step)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.flush(timeout=10)
    steps = by_name(stub)
    for i in range(4):
        assert seen[i][1]
        assert steps[f"s{i}"]["threadId"] == seen[i][0] and "parentId" not in steps[f"s{i}"]


def test_start_step_end_and_reset_context(client, stub):
    with client.thread(thread_id="fixed-thread"):
        step = client.start_step(name="manual", type="tool")
        assert client.get_current_step() is step
        step.end()
        client.start_step(name="forgotten")
        client.reset_context()
        assert client.get_current_step() is None and client.get_current_thread() is None
    client.flush(timeout=10)
    manual = by_name(stub)["manual"]
    assert manual["threadId"] == "fixed-thread" and manual["endTime"] >= manual["startTime"]


def test_environment_and_experiment_headers(client, stub):
    with client.environment(env="staging"):
        with client.step(name="staged"):
            pass
    with client.experiment_item_run() as run:
        assert run.name == "Experiment Run" and run.type == "run"
    client.flush(timeout=10)
    envs = [r["headers"].get("x-env") for r in stub.requests]
    assert "staging" in envs and "experiment" in envs
