"""Streaming a dataset's items out as JSONL: the items as stored (``jsonl``) or, for generation
datasets, the OpenAI fine-tuning format (``openai``: ``{"messages": [...]}`` per line).

Items are read in keyset pages of ``BATCH`` rows, each in its own short query, so memory stays flat
whatever the dataset's size. The JSONL lines are built by the database from each JSON column's stored
text (no decode/encode in Python: most of an export's time otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Text, case, cast, func, literal, or_, tuple_
from sqlmodel import Session, select

from literal_app.models.datasets import DatasetItem
from literal_app.services.datasets.datasets import owned_dataset
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid

BATCH = 2000
FORMATS = ("jsonl", "openai")


def check_export(session: Session, actor: Actor, dataset_id: str, fmt: str) -> str:
    """The file name of the export, or ``Invalid``/``NotFound`` before anything is streamed."""
    require(actor, "datasets:read")
    dataset = owned_dataset(session, actor, dataset_id)
    if fmt not in FORMATS:
        raise Invalid("Unknown export format: use jsonl or openai.")
    if fmt == "openai" and dataset.type != "generation":
        raise Invalid("The OpenAI fine-tuning format is for generation datasets.")
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in dataset.name)[:80] or "dataset"
    return f"{safe}{'-openai' if fmt == 'openai' else ''}.jsonl"


_COLUMNS = (DatasetItem.id, DatasetItem.input, DatasetItem.expected_output, DatasetItem.meta, DatasetItem.step_id,
            DatasetItem.intermediary_steps, DatasetItem.created_at)


def _text(value: str) -> ColumnElement:
    return literal(value, Text)


def _quoted(column, dialect: str) -> ColumnElement:
    """A string column as a JSON string (``null`` for NULL)."""
    quoted = cast(func.to_json(column), Text) if dialect == "postgresql" else func.json_quote(column)
    return func.coalesce(quoted, _text("null"))


def _stored(column, empty: str) -> ColumnElement:
    """A JSON column's stored text as is (no decode/encode), ``empty`` when it is NULL or JSON null."""
    raw = cast(column, Text)
    return case((or_(raw.is_(None), raw == "null", raw == ""), _text(empty)), else_=raw)


def _jsonl_line(dialect: str) -> ColumnElement:
    """The whole JSONL line of an item, built by the database (``||``), so Python only joins the
    page's lines: ``{"id":..,"input":..,"expectedOutput":..,"metadata":..,"stepId":..,
    "intermediarySteps":..}``."""
    parts = [_text('{"id":'), _quoted(DatasetItem.id, dialect),
             _text(',"input":'), _stored(DatasetItem.input, "null"),
             _text(',"expectedOutput":'), _stored(DatasetItem.expected_output, "null"),
             _text(',"metadata":'), _stored(DatasetItem.meta, "{}"),
             _text(',"stepId":'), _quoted(DatasetItem.step_id, dialect),
             _text(',"intermediarySteps":'), _stored(DatasetItem.intermediary_steps, "[]"), _text("}\n")]
    line = parts[0]
    for part in parts[1:]:
        line = line.op("||")(part)
    return line


def _messages(item) -> list[Any] | None:
    """The chat of a generation item followed by its expected answer, or None when it has none."""
    inp = item.input if isinstance(item.input, dict) else {}
    messages = inp.get("messages")
    if not isinstance(messages, list) or not messages:
        return None
    expected = item.expected_output
    if isinstance(expected, dict) and expected.get("content") not in (None, ""):
        return [*messages, {"role": expected.get("role") or "assistant", "content": expected["content"]}]
    return list(messages)


def _line(item, fmt: str) -> bytes | None:
    """An OpenAI fine-tuning line (None for an item without a chat)."""
    messages = _messages(item)
    return orjson.dumps({"messages": messages}) + b"\n" if messages else None


def stream_items(open_session: Callable[[], AbstractContextManager[Session]], actor: Actor, dataset_id: str,
                 fmt: str = "jsonl") -> Iterator[bytes]:
    """JSONL lines of the dataset, oldest item first; each page is read in its own session so a
    slow client never holds a transaction open."""
    last: tuple | None = None
    while True:
        with open_session() as session:
            require(actor, "datasets:read")
            dataset = owned_dataset(session, actor, dataset_id)
            columns = (_jsonl_line(session.get_bind().dialect.name), DatasetItem.id, DatasetItem.created_at) \
                if fmt == "jsonl" else _COLUMNS
            q = select(*columns).where(DatasetItem.dataset_id == dataset.id)
            if last:  # a row-value comparison the (dataset_id, created_at, id) index answers as a range
                q = q.where(tuple_(DatasetItem.created_at, DatasetItem.id) > tuple_(*last))
            rows = session.execute(q.order_by(DatasetItem.created_at, DatasetItem.id).limit(BATCH)).all()
            if fmt == "jsonl":
                chunk = "".join([r[0] for r in rows]).encode()
            else:
                chunk = b"".join(line for r in rows if (line := _line(r, fmt)) is not None)
            if rows:  # (created_at, id) of the page's last item
                last = (rows[-1][-1], rows[-1][1 if fmt == "jsonl" else 0])
        if chunk:
            yield chunk
        if len(rows) < BATCH:
            return
