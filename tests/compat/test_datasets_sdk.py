"""Datasets, items, experiments and the dataset export through the official ``literalai``
0.1.300 SDK, unchanged, against a live server (SQLite and PostgreSQL)."""

import uuid

import httpx
import pytest
from literalai import AsyncLiteralClient, LiteralClient
from literalai.evaluation.dataset_experiment import DatasetExperimentItem
from sqlmodel import Session

from literal_app.services.datasets import experiments
from literal_app.services.kernel.actor import Actor
from tests.api.gql import gql
from tests.eval_factories import make_step

DATASETS_PAGE = """query GetDatasets($after: ID) { datasets(after: $after, first: 100) {
  pageInfo { endCursor hasNextPage } edges { node { id name } } } }"""


@pytest.fixture
def sdk(live):
    project_id, key = live.new_key()
    client = LiteralClient(api_key=key, url=live.url)
    yield client, project_id, key
    client.event_processor.flush_and_stop()


def logged_steps(live, project_id: str):
    """A run with a tool child, and a chat generation, as if ingested earlier."""
    with Session(live.engine) as s:
        run = make_step(s, project_id, input={"content": "hello world!"}, output={"content": "hello back!"})
        make_step(s, project_id, parent_id=run.id, type="tool", name="lookup", input={"q": 1}, output={"r": 2})
        gen = make_step(s, project_id, type="llm", generation={
            "type": "CHAT", "messages": [{"content": "Hello", "role": "user"}],
            "messageCompletion": {"content": "Hello back!", "role": "assistant"}})
        s.commit()
        return run.id, gen.id


def test_dataset_items_steps_and_delete(sdk, live):
    client, project_id, _ = sdk
    run_id, gen_id = logged_steps(live, project_id)
    name = str(uuid.uuid4())
    dataset = client.api.create_dataset(name=name, description="bar", metadata={"demo": True})
    assert (dataset.name, dataset.description, dataset.metadata, dataset.type) == (name, "bar", {"demo": True},
                                                                                   "key_value")
    dataset.update(name=name + "-2")
    assert (dataset.name, dataset.description) == (name + "-2", "bar")
    for q in ("What is literal?", "How can I install the sdk?"):
        dataset.create_item(input={"content": q}, expected_output={"content": "..."}, metadata={"src": "doc"})
    fetched = client.api.get_dataset(name=name + "-2")
    assert [i.input["content"] for i in fetched.items] == ["What is literal?", "How can I install the sdk?"]
    assert fetched.items[0].metadata == {"src": "doc"} and fetched.items[0].dataset_id == dataset.id
    item = client.api.get_dataset_item(fetched.items[0].id)
    assert item.expected_output == {"content": "..."}
    step_item = fetched.add_step(run_id, metadata={"why": "good"})
    assert (step_item.input, step_item.expected_output) == ({"content": "hello world!"}, {"content": "hello back!"})
    assert [s["name"] for s in step_item.intermediary_steps] == ["lookup"]
    gen_item = fetched.add_generation(gen_id)
    assert gen_item.input == {"messages": [{"content": "Hello", "role": "user"}]}
    assert gen_item.metadata["promptType"] == "CHAT"
    fetched.delete_item(item_id=item.id)
    assert len(client.api.get_dataset(id=dataset.id).items) == 3
    with pytest.raises(Exception, match="not found"):
        client.api.add_step_to_dataset(dataset.id, "no-such-step")
    fetched.delete()
    assert client.api.get_dataset(id=dataset.id) is None
    assert client.api.get_dataset(name=name + "-2") is None


def test_generation_dataset_and_duplicate_names(sdk, live):
    client, project_id, _ = sdk
    _, gen_id = logged_steps(live, project_id)
    dataset = client.api.create_dataset(name="gens", type="generation")
    assert dataset.type == "generation"
    item = dataset.add_generation(gen_id)
    assert item.expected_output == {"content": "Hello back!", "role": "assistant"}
    with pytest.raises(Exception, match="already exists"):
        client.api.create_dataset(name="gens")
    assert client.api.get_dataset(name="gens").items[0].id == item.id


def test_export_of_a_large_dataset_and_paging_through_datasets(sdk, live):
    client, _, key = sdk
    big = client.api.create_dataset(name="big")
    for i in range(150):
        big.create_item(input={"n": i})
    exported = client.api.get_dataset(id=big.id)
    assert [i.input["n"] for i in exported.items] == list(range(150))
    for i in range(104):
        client.api.create_dataset(name=f"ds-{i:03d}")
    names, after = [], None
    while True:
        page = gql(live, key, DATASETS_PAGE, {"after": after})["data"]["datasets"]
        names += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(names) == 105 and len(set(names)) == 105 and names[-1] == "big"
    raw = httpx.post(f"{live.url}/api/export/dataset", json={"name": "nope"}, headers={"x-api-key": key})
    assert raw.status_code == 200 and raw.json() == {"data": None}
    raw = httpx.post(f"{live.url}/api/export/dataset", json={}, headers={"x-api-key": key})
    assert raw.status_code == 422 and "name" in raw.json()["message"]
    assert httpx.post(f"{live.url}/api/export/dataset", json={"id": big.id}).status_code == 401


def test_experiments_on_a_dataset_and_without_one(sdk):
    client, _, _ = sdk
    dataset = client.api.create_dataset(name="test-dataset", description="d")
    item = dataset.create_item(input={"question": "q"})
    experiment = dataset.create_experiment(name="test-experiment")
    assert experiment.params is None and experiment.dataset_id == dataset.id
    with_params = dataset.create_experiment(name="tuned", params={"temperature": 0.2, "model": "m"})
    assert with_params.params == {"temperature": 0.2, "model": "m"}
    logged = client.api.create_experiment_item(
        DatasetExperimentItem(
            id="", dataset_experiment_id=experiment.id, dataset_item_id=item.id,
            experiment_run_id="run-1", input={"question": "q"}, output={"answer": "a"}, scores=[]))
    assert (logged.dataset_item_id, logged.experiment_run_id, logged.output) == (item.id, "run-1", {"answer": "a"})
    free = client.api.create_experiment(name="no dataset")
    assert free.dataset_id is None and free.params is None


async def test_async_client_datasets(live):
    _, key = live.new_key()
    client = AsyncLiteralClient(api_key=key, url=live.url)
    try:
        dataset = await client.api.create_dataset(name="async", metadata={"a": 1})
        await client.api.create_dataset_item(dataset_id=dataset.id, input={"x": 1}, expected_output={"y": 2})
        fetched = await client.api.get_dataset(name="async")
        assert fetched.metadata == {"a": 1} and fetched.items[0].expected_output == {"y": 2}
        await client.api.delete_dataset(id=dataset.id)
        assert await client.api.get_dataset(id=dataset.id) is None
    finally:
        client.event_processor.flush_and_stop()


def test_domain_expert_can_read_but_not_write_datasets(live, sdk):
    client, _, _ = sdk
    client.api.create_dataset(name="shared")
    _, key = live.new_key("DOMAIN_EXPERT")
    expert = LiteralClient(api_key=key, url=live.url)
    try:
        assert expert.api.get_dataset(name="shared") is None  # another project: not visible
        with pytest.raises(Exception, match="cannot change datasets"):
            expert.api.create_dataset(name="mine")
    finally:
        expert.event_processor.flush_and_stop()


def test_experiment_log_with_scores_in_an_experiment_run(sdk, live):
    client, project_id, _ = sdk
    dataset = client.api.create_dataset(name="scored")
    item = dataset.create_item(input={"question": "q"}, expected_output={"answer": "a"})
    experiment = dataset.create_experiment(name="scored run", params={"k": 1})
    with client.experiment_item_run():
        logged = experiment.log({"datasetItemId": item.id, "input": {"question": "q"}, "output": {"answer": "b"},
                                 "scores": [{"name": "context_relevancy", "type": "AI", "value": 0.6},
                                            {"name": "exact", "type": "CODE", "value": 0}]})
    client.flush()
    assert logged.experiment_run_id and logged.dataset_item_id == item.id
    run = client.api.get_step(logged.experiment_run_id)
    assert run.environment == "experiment" and run.type == "run"
    scores = client.api.get_scores(filters=[{"field": "datasetExperimentItemId", "operator": "eq",
                                             "value": logged.id}])
    assert sorted((s.name, s.value) for s in scores.data) == [("context_relevancy", 0.6), ("exact", 0.0)]
    with Session(live.engine) as s:
        items = experiments.list_items(s, Actor(project_id=project_id, role="ADMIN"), experiment.id)
    assert [(i.dataset_item_id, sorted(sc.name for sc in i.scores)) for i in items] == [
        (item.id, ["context_relevancy", "exact"])]
