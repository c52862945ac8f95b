"""Dataset, item and experiment services on SQLite and PostgreSQL: CRUD by id and name, items
from steps (with intermediary steps) and generations, export, paging, experiments with scores."""

import pytest

from literal_app.services.datasets import dataset_items, datasets, experiments
from literal_app.services.kernel.errors import Invalid, NotFound
from literal_app.services.prompts import prompt_rollouts
from tests.eval_factories import make_step
from tests.factories import make_actor


def test_dataset_lifecycle_by_id_and_name(session):
    actor = make_actor(session)
    ds = datasets.create_dataset(session, actor, name="QA", description="bar", metadata={"demo": True})
    assert (ds.type, ds.metadata) == ("key_value", {"demo": True})
    with pytest.raises(Invalid, match="already exists"):
        datasets.create_dataset(session, actor, name="QA")
    renamed = datasets.update_dataset(session, actor, ds.id, name="QA2")
    assert (renamed.name, renamed.description) == ("QA2", "bar")
    for q in ("What is literal?", "How to install?"):
        dataset_items.create_item(session, actor, dataset_id=ds.id, input={"content": q},
                                  expected_output={"content": "a"})
    export = dataset_items.export_dataset(session, actor, name="QA2")
    assert [i.input["content"] for i in export.items] == ["What is literal?", "How to install?"]
    assert dataset_items.export_dataset(session, actor, id=ds.id, name="QA") is None  # both must match
    first = export.items[0]
    assert dataset_items.get_item(session, actor, first.id).expected_output == {"content": "a"}
    dataset_items.delete_item(session, actor, first.id)
    assert dataset_items.get_item(session, actor, first.id) is None
    datasets.delete_dataset(session, actor, ds.id)
    assert dataset_items.export_dataset(session, actor, id=ds.id) is None
    other = make_actor(session)
    assert datasets.find_dataset(session, other, name="QA2") is None


def test_items_from_a_step_keep_its_sub_steps(session):
    actor = make_actor(session)
    ds = datasets.create_dataset(session, actor, name="Runs")
    run = make_step(session, actor.project_id, input={"content": "hello world!"}, output={"content": "hello back!"})
    tool = make_step(session, actor.project_id, parent_id=run.id, type="tool", name="search",
                     input={"q": "x"}, output={"hits": 1})
    make_step(session, actor.project_id, parent_id=tool.id, type="retrieval", name="db")
    item = dataset_items.add_step_to_dataset(session, actor, dataset_id=ds.id, step_id=run.id)
    assert (item.input, item.expected_output, item.step_id, item.metadata) == (
        {"content": "hello world!"}, {"content": "hello back!"}, run.id, {})
    assert [s["name"] for s in item.intermediary_steps] == ["search", "db"]
    assert item.intermediary_steps[0]["output"] == {"hits": 1}
    with pytest.raises(NotFound):
        dataset_items.add_step_to_dataset(session, actor, dataset_id=ds.id, step_id="missing")


def test_items_from_chat_and_completion_generations(session):
    actor = make_actor(session)
    ds = datasets.create_dataset(session, actor, name="Gens", type="generation")
    messages = [{"content": "Hello", "role": "user"}, {"content": "Hi", "role": "assistant"}]
    chat = make_step(session, actor.project_id, type="llm", generation={
        "type": "CHAT", "messages": messages, "messageCompletion": {"content": "Hello back!", "role": "assistant"}})
    item = dataset_items.add_generation_to_dataset(session, actor, dataset_id=ds.id, generation_id=chat.id,
                                                   metadata={"k": 1})
    assert item.input == {"messages": messages}
    assert item.expected_output == {"content": "Hello back!", "role": "assistant"}
    assert item.metadata == {"k": 1, "promptType": "CHAT"}
    completion = make_step(session, actor.project_id, type="llm",
                           generation={"type": "COMPLETION", "prompt": "2+2=", "completion": "4"})
    item = dataset_items.add_generation_to_dataset(session, actor, dataset_id=ds.id, generation_id=completion.id)
    assert (item.input, item.expected_output, item.metadata) == (
        {"prompt": "2+2="}, {"content": "4"}, {"promptType": "COMPLETION"})
    plain = make_step(session, actor.project_id)
    with pytest.raises(Invalid, match="no generation"):
        dataset_items.add_generation_to_dataset(session, actor, dataset_id=ds.id, generation_id=plain.id)


def test_list_datasets_pages_newest_first(session):
    actor = make_actor(session)
    names = [f"ds-{i:02d}" for i in range(7)]
    for n in names:
        datasets.create_dataset(session, actor, name=n)
    seen, after = [], None
    while True:
        page = datasets.list_datasets(session, actor, first=3, after=after)
        assert page.total_count == 7
        seen += [d.name for d in page.items]
        if not page.has_next_page:
            break
        after = page.end_cursor
    assert sorted(seen) == names and len(seen) == 7
    with pytest.raises(Invalid, match="cursor"):
        datasets.list_datasets(session, actor, after="nope")


def test_experiments_with_items_and_scores(session):
    actor = make_actor(session)
    ds = datasets.create_dataset(session, actor, name="Eval")
    row = dataset_items.create_item(session, actor, dataset_id=ds.id, input={"q": 1})
    exp = experiments.create_experiment(session, actor, name="run 1", dataset_id=ds.id)
    assert exp.params is None and exp.dataset_id == ds.id
    variant = prompt_rollouts.create_variant(session, actor, template_messages=[{"role": "user", "content": "x"}])
    with_params = experiments.create_experiment(session, actor, name="run 2", prompt_variant_id=variant.id,
                                                params={"temperature": 0})
    assert (with_params.params, with_params.prompt_experiment_id) == ({"temperature": 0}, variant.id)
    for value in (0.6, 1.0):
        experiments.create_item(session, actor, experiment_id=exp.id, dataset_item_id=row.id,
                                experiment_run_id="run-step", input={"q": 1}, output={"a": 2},
                                scores=[{"name": "relevancy", "type": "AI", "value": value}])
    items = experiments.list_items(session, actor, exp.id)
    assert [i.scores[0].value for i in items] == [0.6, 1.0]
    assert items[0].experiment_run_id == "run-step" and items[0].dataset_experiment_id == exp.id
    assert experiments.score_averages(session, actor, exp.id) == {"relevancy": pytest.approx(0.8)}
    assert experiments.get_experiment(session, actor, exp.id).item_count == 2
    with pytest.raises(Invalid, match="finite"):
        experiments.create_item(session, actor, experiment_id=exp.id, scores=[{"name": "x", "value": float("nan")}])
    assert len(experiments.list_items(session, actor, exp.id)) == 2  # nothing half-written
    datasets.delete_dataset(session, actor, ds.id)  # its experiments keep their logged results
    kept = experiments.get_experiment(session, actor, exp.id)
    assert (kept.dataset_id, kept.item_count) == (None, 2)
    assert experiments.score_averages(session, actor, exp.id) == {"relevancy": pytest.approx(0.8)}
    experiments.delete_experiment(session, actor, exp.id)
    with pytest.raises(NotFound):
        experiments.create_item(session, actor, experiment_id=exp.id)
