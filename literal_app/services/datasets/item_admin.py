"""The dataset page's item operations: a searchable page of items, editing one item, deleting
many, and adding many logged steps/generations at once (the Logs tables' bulk action).

Single-item creation and the SDK's calls stay in ``dataset_items`` (their signatures are shared
with the annotation queues and the API)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, cast, delete, func, or_
from sqlmodel import Session, select

from literal_app.models.datasets import DatasetItem
from literal_app.models.tracing import Step
from literal_app.services.datasets import dataset_items as items
from literal_app.services.datasets.datasets import owned_dataset
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned

MAX_PAGE = 200
MAX_BULK = 1000


@dataclass(frozen=True)
class ItemPage:
    items: list[items.DatasetItemRead] = field(default_factory=list)
    total: int = 0
    offset: int = 0


def _search(q, search: str | None):
    if not search or not search.strip():
        return q
    like = f"%{search.strip()}%"
    return q.where(or_(cast(DatasetItem.input, String).ilike(like),
                       cast(DatasetItem.expected_output, String).ilike(like),
                       cast(DatasetItem.meta, String).ilike(like)))


def list_items_page(session: Session, actor: Actor, dataset_id: str, *, offset: int = 0, limit: int = 50,
                    search: str | None = None) -> ItemPage:
    """Items oldest first, ``limit`` from ``offset``, optionally only those whose input, expected
    output or metadata contains ``search`` (case-insensitive)."""
    require(actor, "datasets:read")
    dataset = owned_dataset(session, actor, dataset_id)
    limit, offset = min(max(limit, 1), MAX_PAGE), max(offset, 0)
    base = _search(select(DatasetItem).where(DatasetItem.dataset_id == dataset.id), search)
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    rows = session.exec(base.order_by(DatasetItem.created_at, DatasetItem.id).offset(offset).limit(limit)).all()
    return ItemPage([items._read(r) for r in rows], total, offset)


def update_item(session: Session, actor: Actor, item_id: str, *, input: Any, expected_output: Any = None,
                metadata: Any = None) -> items.DatasetItemRead:
    """Replace an item's input, expected output and metadata (the item editor's save)."""
    require(actor, "datasets:write")
    row = owned(session, DatasetItem, item_id, actor, "Dataset item not found.")
    if input is None:
        raise Invalid("A dataset item needs an input.")
    row.input, row.expected_output, row.meta = input, expected_output, items._metadata(metadata)
    session.add(row)
    session.flush()
    return items._read(row)


def delete_items(session: Session, actor: Actor, dataset_id: str, item_ids: list[str]) -> int:
    """Delete the given items of one dataset; returns how many were deleted."""
    require(actor, "datasets:write")
    dataset = owned_dataset(session, actor, dataset_id)
    if len(item_ids) > MAX_BULK:
        raise Invalid(f"Delete at most {MAX_BULK:,} items at once.")
    done = session.exec(delete(DatasetItem).where(DatasetItem.project_id == actor.project_id,
                                                  DatasetItem.dataset_id == dataset.id,
                                                  DatasetItem.id.in_(item_ids)))
    return done.rowcount or 0


def add_steps(session: Session, actor: Actor, *, dataset_id: str, step_ids: list[str],
              include_intermediary: bool = True) -> int:
    """Add logged steps (runs, generations, any step) as items: a generation step into a generation
    dataset keeps its chat; other steps keep input/output and, when asked, their sub-steps."""
    require(actor, "datasets:write")
    dataset = owned_dataset(session, actor, dataset_id)
    if not step_ids:
        raise Invalid("Select at least one row.")
    if len(step_ids) > MAX_BULK:
        raise Invalid(f"Add at most {MAX_BULK:,} rows at once.")
    steps = {s.id: s for s in session.exec(select(Step).where(Step.project_id == actor.project_id,
                                                              Step.id.in_(step_ids))).all()}
    missing = [i for i in step_ids if i not in steps]
    if missing:
        raise Invalid(f"Step {missing[0]!r} not found.")
    for step_id in dict.fromkeys(step_ids):
        _add_one(session, actor, dataset, steps[step_id], include_intermediary)
    return len(dict.fromkeys(step_ids))


def _add_one(session: Session, actor: Actor, dataset, step: Step, include_intermediary: bool) -> None:
    if step.generation and dataset.type == "generation":
        inp, expected, kind = items.generation_item_fields(step.generation, step.generation_type)
        items._add(session, actor, dataset.id, input=inp, expected_output=expected, meta={"promptType": kind},
                   step_id=step.id, intermediary_steps=[])
        return
    sub = [items._step_summary(s) for s in items._descendants(session, step)] if include_intermediary else []
    items._add(session, actor, dataset.id, input=items._object(step.input),
               expected_output=items._object(step.output), meta={}, step_id=step.id, intermediary_steps=sub)
