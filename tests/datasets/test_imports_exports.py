"""Dataset pages' services on SQLite and PostgreSQL: CSV import with a column mapping (JSON cells
parsed, malformed lines reported with their number), JSONL import (key-value and OpenAI chat lines),
streamed JSONL / OpenAI fine-tuning exports, item paging/search/edit/bulk delete, and adding many
logged steps at once (with or without their intermediary steps)."""

import json
from contextlib import contextmanager
from datetime import timedelta

import orjson
import pytest
from sqlalchemy import JSON, Text, cast
from sqlmodel import Session, select

from literal_app.models.datasets import DatasetItem
from literal_app.models.types import utcnow

from literal_app.services.datasets import dataset_items, datasets, exports, imports, item_admin
from literal_app.services.kernel.errors import Invalid
from tests.eval_factories import make_step
from tests.factories import make_actor

CSV = ('question,answer,topic,extra\n'
       'What is 2+2?,4,math,"{""level"": 1}"\n'
       '"Say ""hi""",hi,greetings,"[1,2]"\n'
       'too,many,fields,here,oops\n'
       ',,,\n'
       ',x,empty-input,\n'
       'Capital of France?,Paris,geo,{not json}\n')


def test_csv_preview_mapping_and_line_report(session):
    preview = imports.preview_csv(CSV.encode())
    assert preview.columns == ["question", "answer", "topic", "extra"]
    assert preview.suggested == {"question": "input", "answer": "expected_output", "topic": "input",
                                 "extra": "input"}
    mapping = {"question": "input", "answer": "expected_output", "topic": "metadata", "extra": "input"}
    plan = imports.plan_csv(CSV.encode(), mapping)
    assert [(e.line, e.reason) for e in plan.errors] == [
        (4, "has 5 fields, the header has 4"), (6, "the input columns are empty")]
    assert len(plan.rows) == 3  # the blank line is skipped, not an error
    assert plan.rows[0] == {"input": {"question": "What is 2+2?", "extra": {"level": 1}},
                            "expected_output": {"answer": "4"}, "metadata": {"topic": "math"}}
    assert plan.rows[1]["input"] == {"question": 'Say "hi"', "extra": [1, 2]}
    assert plan.rows[2]["input"]["extra"] == "{not json}"  # JSON-looking but invalid: kept as text
    actor = make_actor(session)
    ds = datasets.create_dataset(session, actor, name="csv")
    assert imports.import_rows(session, actor, ds.id, plan.rows) == 3
    page = item_admin.list_items_page(session, actor, ds.id)
    assert [i.input["question"] for i in page.items] == ["What is 2+2?", 'Say "hi"', "Capital of France?"]
    with pytest.raises(Invalid, match="at least one column to the input"):
        imports.plan_csv(CSV, {"question": "metadata"})
    with pytest.raises(Invalid, match="Unknown column"):
        imports.plan_csv(CSV, {"nope": "input"})


def test_bad_files_get_clear_errors():
    with pytest.raises(Invalid, match="not UTF-8"):
        imports.plan_jsonl(b"\xff\xfe{}")
    with pytest.raises(Invalid, match="empty"):
        imports.preview_csv(b"")
    broken = 'a,b\n1,2\n"unterminated,3\n'
    plan = imports.plan_csv(broken, {"a": "input", "b": "input"})
    assert len(plan.rows) == 1 and plan.errors and plan.errors[0].line >= 3


def test_jsonl_key_value_and_chat_lines(session):
    lines = [json.dumps({"input": {"q": "a"}, "expectedOutput": {"content": "A"}, "metadata": {"k": 1}}),
             "{not json",
             json.dumps([1, 2]),
             json.dumps({"expected_output": "x"}),
             "",
             json.dumps({"messages": [{"role": "system", "content": "Be nice"}, {"role": "user", "content": "Hi"},
                                      {"role": "assistant", "content": "Hello!"}]}),
             json.dumps({"messages": [{"role": "robot", "content": "?"}]}),
             json.dumps({"input": "plain", "metadata": "nope"})]
    data = "\n".join(lines)
    kv = imports.plan_jsonl(data, "key_value")
    assert [(e.line, e.reason.split(" (")[0]) for e in kv.errors] == [
        (2, "is not valid JSON"), (3, "must be a JSON object"), (4, "needs an 'input'"),
        (6, "chat-format lines"),
        (7, "chat-format lines"), (8, "'metadata' must be an object")]
    assert kv.rows == [{"input": {"q": "a"}, "expected_output": {"content": "A"}, "metadata": {"k": 1}}]
    gen = imports.plan_jsonl(data, "generation")
    assert gen.rows[1] == {"input": {"messages": [{"role": "system", "content": "Be nice"},
                                                  {"role": "user", "content": "Hi"}]},
                           "expected_output": {"role": "assistant", "content": "Hello!"}, "metadata": {}}
    assert (7, "message 1 needs a role among system, user, assistant, tool, developer") in [
        (e.line, e.reason) for e in gen.errors]
    actor = make_actor(session)
    ds = datasets.create_dataset(session, actor, name="chats", type="generation")
    imports.import_rows(session, actor, ds.id, gen.rows)
    session.commit()

    @contextmanager
    def open_session():
        with Session(session.get_bind()) as s:
            yield s

    assert exports.check_export(session, actor, ds.id, "openai") == "chats-openai.jsonl"
    out = b"".join(exports.stream_items(open_session, actor, ds.id, "openai")).decode().splitlines()
    assert json.loads(out[0]) == {"messages": [{"role": "system", "content": "Be nice"},
                                               {"role": "user", "content": "Hi"},
                                               {"role": "assistant", "content": "Hello!"}]}
    plain = [json.loads(x) for x in b"".join(exports.stream_items(open_session, actor, ds.id)).decode().splitlines()]
    assert [p["input"] for p in plain] == [r["input"] for r in gen.rows]
    kv_ds = datasets.create_dataset(session, actor, name="kv")
    with pytest.raises(Invalid, match="generation datasets"):
        exports.check_export(session, actor, kv_ds.id, "openai")


def test_export_streams_in_batches(session, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 7)
    actor = make_actor(session)
    ds = datasets.create_dataset(session, actor, name="big")
    imports.import_rows(session, actor, ds.id, [{"input": {"n": i}} for i in range(30)])
    session.commit()

    @contextmanager
    def open_session():
        with Session(session.get_bind()) as s:
            yield s

    chunks = list(exports.stream_items(open_session, actor, ds.id))
    assert len(chunks) == 5
    assert [json.loads(x)["input"]["n"] for c in chunks for x in c.decode().splitlines()] == list(range(30))


def _python_lines(session, dataset_id: str) -> bytes:
    """The JSONL export as it was built in Python before the database built the lines: the
    reference the new export must equal byte for byte."""
    raw = (DatasetItem.id, cast(DatasetItem.input, Text), cast(DatasetItem.expected_output, Text),
           cast(DatasetItem.meta, Text), DatasetItem.step_id, cast(DatasetItem.intermediary_steps, Text))
    rows = session.execute(select(*raw).where(DatasetItem.dataset_id == dataset_id)
                           .order_by(DatasetItem.created_at, DatasetItem.id)).all()
    return b"".join(b"".join((b'{"id":', orjson.dumps(i), b',"input":', (inp or "null").encode(),
                              b',"expectedOutput":', (exp or "null").encode(), b',"metadata":',
                              (meta if meta and meta != "null" else "{}").encode(), b',"stepId":', orjson.dumps(step),
                              b',"intermediarySteps":', (steps if steps and steps != "null" else "[]").encode(), b"}\n"))
                    for i, inp, exp, meta, step, steps in rows)


def test_jsonl_export_lines_built_by_the_database_equal_the_python_ones(session, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 3)
    actor = make_actor(session)
    ds = datasets.create_dataset(session, actor, name="tricky")
    odd = 'quote " backslash \\ slash / tab \t newline \n ctrl \x01\x1f unicode é ✓ 😀'
    values = [({"q": odd, "n": [1, 2.5, None, True]}, {"a": odd}, {"k": odd}, "step-" + odd, [{"id": "s1"}]),
              (odd, None, None, None, None),
              ([], "plain", {}, None, []),
              (None, 0, {"nested": {"deep": [odd]}}, "s", None),
              ({"empty": ""}, False, None, None, [odd])]
    base = utcnow()
    for n, (inp, expected, meta, step, steps) in enumerate(values):
        session.add(DatasetItem(id=f"id {n} {odd}" if n % 2 else f"item-{n}", project_id=actor.project_id,
                                dataset_id=ds.id, input=inp, expected_output=expected, meta=meta, step_id=step,
                                intermediary_steps=steps, created_at=base + timedelta(seconds=n)))
    session.add(DatasetItem(id="json-null", project_id=actor.project_id, dataset_id=ds.id,
                            input=JSON.NULL, expected_output=JSON.NULL, meta=JSON.NULL,
                            intermediary_steps=JSON.NULL, created_at=base + timedelta(seconds=9)))
    session.commit()

    @contextmanager
    def open_session():
        with Session(session.get_bind()) as s:
            yield s

    out = b"".join(exports.stream_items(open_session, actor, ds.id))
    assert out == _python_lines(session, ds.id)
    lines = [json.loads(x) for x in out.decode().splitlines()]
    assert len(lines) == 6 and lines[0]["input"]["q"] == odd and lines[1]["id"] == f"id 1 {odd}"
    assert lines[5] == {"id": "json-null", "input": None, "expectedOutput": None, "metadata": {}, "stepId": None,
                        "intermediarySteps": []}


def test_items_page_search_edit_and_bulk_delete(session):
    actor = make_actor(session)
    ds = datasets.create_dataset(session, actor, name="page")
    ids = [dataset_items.create_item(session, actor, dataset_id=ds.id, input={"q": f"question {i}"},
                                     expected_output={"a": "Paris" if i == 3 else "x"}).id for i in range(12)]
    page = item_admin.list_items_page(session, actor, ds.id, offset=10, limit=5)
    assert (page.total, [i.input["q"] for i in page.items]) == (12, ["question 10", "question 11"])
    assert [i.id for i in item_admin.list_items_page(session, actor, ds.id, search="paris").items] == [ids[3]]
    edited = item_admin.update_item(session, actor, ids[0], input={"q": "new"}, expected_output="y",
                                    metadata={"m": 1})
    assert (edited.input, edited.expected_output, edited.metadata) == ({"q": "new"}, "y", {"m": 1})
    with pytest.raises(Invalid, match="metadata must be a JSON object"):
        item_admin.update_item(session, actor, ids[0], input={"q": "new"}, metadata=[1])
    assert item_admin.delete_items(session, actor, ds.id, ids[:5]) == 5
    assert datasets.get_dataset(session, actor, ds.id).item_count == 7
    other = make_actor(session)
    assert item_admin.delete_items(session, other, datasets.create_dataset(session, other, name="o").id,
                                   ids[5:]) == 0  # another project's ids are not touched
    assert datasets.get_dataset(session, actor, ds.id).item_count == 7


def test_add_many_logged_steps(session):
    actor = make_actor(session)
    run = make_step(session, actor.project_id, input={"q": "run"}, output={"a": "done"})
    make_step(session, actor.project_id, parent_id=run.id, type="tool", name="search")
    gen = make_step(session, actor.project_id, type="llm", generation={
        "type": "CHAT", "messages": [{"role": "user", "content": "Hi"}],
        "messageCompletion": {"role": "assistant", "content": "Hello"}})
    kv = datasets.create_dataset(session, actor, name="kv")
    assert item_admin.add_steps(session, actor, dataset_id=kv.id, step_ids=[run.id, run.id],
                                include_intermediary=False) == 1
    assert item_admin.add_steps(session, actor, dataset_id=kv.id, step_ids=[run.id]) == 1
    items = dataset_items.list_items(session, actor, kv.id)
    assert [len(i.intermediary_steps) for i in items] == [0, 1]
    gens = datasets.create_dataset(session, actor, name="gens", type="generation")
    item_admin.add_steps(session, actor, dataset_id=gens.id, step_ids=[gen.id])
    only = dataset_items.list_items(session, actor, gens.id)[0]
    assert only.input == {"messages": [{"role": "user", "content": "Hi"}]} and only.step_id == gen.id
    with pytest.raises(Invalid, match="not found"):
        item_admin.add_steps(session, actor, dataset_id=kv.id, step_ids=["missing"])
    listed = datasets.list_datasets(session, actor).items
    assert {d.name: (d.item_count, d.experiment_count) for d in listed} == {"kv": (2, 0), "gens": (1, 0)}
