"""Thread and participant aggregates stay exact under concurrent ingestion into the same thread.

The TypeScript client sends every wrapped step as its own request, fire-and-forget, so the steps
of one thread arrive in parallel. Each request recomputes its thread's totals from the steps it
can see; without serialising those recomputations per thread, a request that committed last with
a snapshot missing a concurrent request's step overwrote the totals (seen on PostgreSQL as a
thread of a TS-traced conversation whose tokenCount stayed 0)."""

from __future__ import annotations

import threading
import uuid

import httpx

from tests.api.gql import gql

INGEST = """mutation AddStep($id: String!, $threadId: String, $generation: GenerationPayloadInput) {
  step0: ingestStep(id: $id, threadId: $threadId, type: llm, name: "gpt", generation: $generation) { ok message } }"""
UPSERT = """mutation U($id: String!, $p: String) { upsertThread(id: $id, participantId: $p) { id } }"""
READ = """query T($id: String!) { threadDetail(id: $id) { tokenCount steps { id } participant { tokenCount threadCount } } }"""
SENDERS, ROUNDS, TOKENS = 6, 12, 15


def test_parallel_steps_of_one_thread_keep_exact_totals(live):
    """Rounds of SENDERS single-step requests released together into a fresh thread each."""
    _, key = live.new_key()
    identifier = f"user-{uuid.uuid4().hex[:8]}"
    thread_ids = [str(uuid.uuid4()) for _ in range(ROUNDS)]
    for tid in thread_ids:
        gql(live, key, UPSERT, {"id": tid, "p": identifier})
    barrier, failures = threading.Barrier(SENDERS), []

    def sender() -> None:
        with httpx.Client(base_url=live.url, headers={"x-api-key": key}, timeout=120) as c:
            for tid in thread_ids:
                generation = {"type": "CHAT", "model": "m", "inputTokenCount": 10, "outputTokenCount": 5}
                barrier.wait()
                body = c.post("/api/graphql", json={"query": INGEST, "variables": {
                    "id": str(uuid.uuid4()), "threadId": tid, "generation": generation}}).json()
                if body.get("errors") or not body["data"]["step0"]["ok"]:
                    failures.append(body)

    workers = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert failures == []
    totals = [gql(live, key, READ, {"id": tid})["data"]["threadDetail"] for tid in thread_ids]
    assert [(len(t["steps"]), t["tokenCount"]) for t in totals] == [(SENDERS, SENDERS * TOKENS)] * ROUNDS
    assert totals[-1]["participant"] == {"tokenCount": ROUNDS * SENDERS * TOKENS, "threadCount": ROUNDS}
