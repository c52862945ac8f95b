"""Streaming a dataset's items out as JSONL: the items as stored (``jsonl``) or, for generation
datasets, the OpenAI fine-tuning format (``openai``: ``{"messages": [...]}`` per line).

Items are read in keyset pages of ``BATCH`` rows, each in its own short query, and encoded line by
line, so memory stays flat whatever the dataset's size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import orjson
from sqlalchemy import Text, cast, tuple_
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
# The JSONL export copies each JSON column's stored text into the line instead of decoding and
# encoding it again (most of an export's time otherwise).
_RAW = (DatasetItem.id, cast(DatasetItem.input, Text), cast(DatasetItem.expected_output, Text),
        cast(DatasetItem.meta, Text), DatasetItem.step_id, cast(DatasetItem.intermediary_steps, Text),
        DatasetItem.created_at)


def _raw_line(row) -> bytes:
    item_id, inp, expected, meta, step_id, steps, _created = row
    return b"".join((b'{"id":', orjson.dumps(item_id), b',"input":', (inp or "null").encode(),
                     b',"expectedOutput":', (expected or "null").encode(), b',"metadata":',
                     (meta if meta and meta != "null" else "{}").encode(), b',"stepId":', orjson.dumps(step_id),
                     b',"intermediarySteps":', (steps if steps and steps != "null" else "[]").encode(), b"}\n"))


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
            q = select(*(_RAW if fmt == "jsonl" else _COLUMNS)).where(DatasetItem.dataset_id == dataset.id)
            if last:  # a row-value comparison the (dataset_id, created_at, id) index answers as a range
                q = q.where(tuple_(DatasetItem.created_at, DatasetItem.id) > tuple_(*last))
            rows = session.execute(q.order_by(DatasetItem.created_at, DatasetItem.id).limit(BATCH)).all()
            if fmt == "jsonl":
                chunk = b"".join(_raw_line(r) for r in rows)
            else:
                chunk = b"".join(line for r in rows if (line := _line(r, fmt)) is not None)
            if rows:
                last = (rows[-1][-1], rows[-1][0])
        if chunk:
            yield chunk
        if len(rows) < BATCH:
            return
