"""Delivery: batching, retries with backoff, the bounded queue, isolation of rejected events,
preprocessing, flush, and disabled mode, against the recording stub server."""

import time

from literal_sdk import LiteralClient

from tests.sdk.stub_server import StubServer


def log_steps(client, count, prefix="s"):
    for i in range(count):
        with client.step(name=f"{prefix}{i}"):
            pass


def test_batches_of_batch_size_and_flush_delivers_everything(client, stub):
    log_steps(client, 12)
    assert client.flush(timeout=10)
    assert [s["name"] for s in stub.ingested] == [f"s{i}" for i in range(12)]
    sizes = [len([k for k in r["body"]["variables"] if k.startswith("id_")]) for r in stub.requests]
    assert max(sizes) <= client.event_processor.max_batch_size and sum(sizes) == 12
    assert client.event_processor.pending == 0


def test_server_errors_are_retried_until_the_server_recovers(client, stub):
    client.event_processor.max_backoff = 0.1
    stub.fail_status = 503
    log_steps(client, 3)
    assert not client.flush(timeout=0.5)  # still failing: flush gives up at its timeout
    stub.fail_status = None
    assert client.flush(timeout=10)
    assert sorted(s["name"] for s in stub.ingested) == ["s0", "s1", "s2"]


def test_server_down_app_keeps_running_and_logs_arrive_when_it_is_back():
    stub = StubServer()  # not started: nothing listens on its port
    client = LiteralClient(api_key="k", url=stub.url)
    client.event_processor.max_backoff = 0.2
    log_steps(client, 20)  # returns although nothing can be delivered
    assert client.event_processor.pending == 20
    stub.start()
    try:
        assert client.flush(timeout=15)
        assert sorted(s["name"] for s in stub.ingested) == sorted(f"s{i}" for i in range(20))
    finally:
        client.flush_and_stop(timeout=5)
        stub.stop()


def test_queue_is_bounded_and_drops_the_oldest_with_a_counter(caplog):
    stub = StubServer()
    client = LiteralClient(api_key="k", url=stub.url, max_queue_size=10, batch_size=1)
    client.event_processor.max_backoff = 0.2
    log_steps(client, 50)
    processor = client.event_processor
    # what is not queued (at most 10) or in flight (one batch) was dropped, oldest first
    assert processor.pending + processor.dropped_events == 50 and processor.dropped_events > 0
    assert "dropped" in caplog.text
    stub.start()
    try:
        assert client.flush(timeout=15)
        names = [s["name"] for s in stub.ingested]
        assert names[-10:] == [f"s{i}" for i in range(40, 50)]  # the newest survive
        assert len(names) + processor.dropped_events == 50
    finally:
        client.flush_and_stop(timeout=5)
        stub.stop()


def test_a_rejected_event_never_sinks_the_rest_of_its_batch(client, stub):
    stub.reject_names = {"bad"}
    with client.step(name="good1"):
        pass
    with client.step(name="bad"):
        pass
    with client.step(name="good2"):
        pass
    assert client.flush(timeout=10)
    assert sorted(s["name"] for s in stub.ingested) == ["good1", "good2"]
    assert client.event_processor.failed_events == 1


def test_preprocess_function_rewrites_steps_and_a_broken_one_is_ignored(client, stub):
    def redact(steps):
        for step in steps:
            step["output"] = {"content": "[redacted]"}
        return steps

    client.set_preprocess_steps_function(redact)
    with client.step(name="secret") as step:
        step.output = {"content": "card 4242"}
    client.flush(timeout=10)
    client.set_preprocess_steps_function(lambda steps: 1 / 0)
    with client.step(name="plain") as step:
        step.output = {"content": "kept"}
    client.flush(timeout=10)
    outputs = {s["name"]: s["output"] for s in stub.ingested}
    assert outputs == {"secret": {"content": "[redacted]"}, "plain": {"content": "kept"}}


def test_disabled_client_sends_nothing_and_still_runs_user_code(stub):
    client = LiteralClient(url=stub.url, api_key=None, disabled=True)

    @client.step
    def work(x):
        assert client.get_current_step() is not None
        return x * 2

    with client.thread(name="t"):
        assert work(2) == 4
        client.message("hello")
    assert client.api.create_thread(name="x") is None
    assert client.flush(timeout=1)
    time.sleep(0.2)
    assert stub.requests == [] and client.event_processor._thread is None
