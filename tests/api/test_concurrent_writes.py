"""Concurrent GraphQL writes all succeed: on SQLite, a request's savepoint used to start a
deferred transaction whose write then failed at once with "database is locked"."""

import threading
import uuid

import httpx

INGEST = """mutation AddStep($id_0: String!, $threadId_0: String, $name_0: String) {
  step0: ingestStep(id: $id_0, threadId: $threadId_0, name: $name_0) { ok message } }"""
DATASET = "mutation createDataset($name: String!) { createDataset(name: $name) { id } }"


def test_parallel_ingestion_and_dataset_writes_all_succeed(live):
    _, key = live.new_key()
    failures: list = []

    def client(n: int) -> None:
        with httpx.Client(base_url=live.url, headers={"x-api-key": key}, timeout=120) as c:
            for i in range(8):
                query, variables = ((INGEST, {"id_0": str(uuid.uuid4()), "threadId_0": str(uuid.uuid4()),
                                              "name_0": "s"}) if i % 2 else (DATASET, {"name": f"d-{n}-{i}"}))
                body = c.post("/api/graphql", json={"query": query, "variables": variables}).json()
                result = next(iter((body.get("data") or {}).values()), None)
                if body.get("errors") or not result or result.get("ok") is False:
                    failures.append(body)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
