"""Datasets: named collections of test cases (``key_value``) or of LLM generations
(``generation``), unique by name within a project. Items live in ``dataset_items``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, delete, select

from literal_app.models.datasets import Dataset, DatasetItem, Experiment
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.scoping import owned, owned_or_none
from literal_app.services.kernel.validation import clean_name

DATASET_TYPES = ("key_value", "generation")
MAX_PAGE = 1000


@dataclass(frozen=True)
class DatasetRead:
    id: str
    name: str
    description: str | None
    metadata: dict | None
    type: str
    created_at: datetime
    item_count: int = 0
    experiment_count: int = 0
    updated_at: datetime | None = None  # the newest item's creation (or the dataset's)


@dataclass(frozen=True)
class DatasetPage:
    """One page of a list, newest first; ``end_cursor`` goes back as ``after`` for the next."""

    items: list = field(default_factory=list)
    total_count: int = 0
    start_cursor: str | None = None
    end_cursor: str | None = None
    has_next_page: bool = False
    has_previous_page: bool = False


def dataset_read(d: Dataset, item_count: int = 0, experiment_count: int = 0,
                 updated_at: datetime | None = None) -> DatasetRead:
    return DatasetRead(d.id, d.name, d.description, d.meta, d.type, d.created_at, item_count, experiment_count,
                       max(updated_at, d.created_at) if updated_at else d.created_at)


def owned_dataset(session: Session, actor: Actor, dataset_id: str) -> Dataset:
    """The project's dataset with that id, or ``NotFound``."""
    row = owned(session, Dataset, dataset_id, actor, "Dataset not found.")
    return row


def _check_metadata(metadata: Any) -> dict | None:
    if metadata is not None and not isinstance(metadata, dict):
        raise Invalid("Dataset metadata must be a JSON object.")
    return metadata


def _check_unique(session: Session, project_id: str, name: str, except_id: str | None = None) -> None:
    q = select(Dataset.id).where(Dataset.project_id == project_id, Dataset.name == name)
    if except_id:
        q = q.where(Dataset.id != except_id)
    if session.exec(q).first():
        raise Invalid(f"A dataset named {name!r} already exists.")


def create_dataset(session: Session, actor: Actor, *, name: str, description: str | None = None,
                   metadata: Any = None, type: str | None = None) -> DatasetRead:
    require(actor, "datasets:write")
    name = clean_name(name, "Dataset name", 256)
    type = type or "key_value"
    if type not in DATASET_TYPES:
        raise Invalid(f"Unknown dataset type {type!r}: use key_value or generation.")
    _check_unique(session, actor.project_id, name)
    row = Dataset(project_id=actor.project_id, name=name, description=description,
                  meta=_check_metadata(metadata), type=type)
    session.add(row)
    session.flush()
    return dataset_read(row)


def update_dataset(session: Session, actor: Actor, dataset_id: str, *, name: str | None = None,
                   description: str | None = None, metadata: Any = None) -> DatasetRead:
    """Change only the fields given (``None`` leaves a field as it is)."""
    require(actor, "datasets:write")
    row = owned_dataset(session, actor, dataset_id)
    if name is not None:
        row.name = clean_name(name, "Dataset name", 256)
        _check_unique(session, actor.project_id, row.name, except_id=row.id)
    if description is not None:
        row.description = description
    if metadata is not None:
        row.meta = _check_metadata(metadata)
    session.add(row)
    session.flush()
    return dataset_read(row, _item_count(session, row.id))


def _item_count(session: Session, dataset_id: str) -> int:
    return session.exec(select(func.count()).select_from(DatasetItem)
                        .where(DatasetItem.dataset_id == dataset_id)).one()


def delete_dataset(session: Session, actor: Actor, dataset_id: str) -> DatasetRead:
    """Delete a dataset with its items. Its experiments stay, with their logged items, outputs and
    scores (each item keeps a copy of its input and expected output), no longer tied to a dataset."""
    require(actor, "datasets:write")
    row = owned_dataset(session, actor, dataset_id)
    read = dataset_read(row, _item_count(session, row.id))
    session.exec(update(Experiment).where(Experiment.project_id == actor.project_id,
                                          Experiment.dataset_id == row.id).values(dataset_id=None))
    session.exec(delete(DatasetItem).where(DatasetItem.dataset_id == row.id))
    session.delete(row)
    session.flush()
    return read


def find_dataset(session: Session, actor: Actor, *, id: str | None = None,
                 name: str | None = None) -> DatasetRead | None:
    """A dataset by id and/or name (both must match when both are given); ``None`` if unknown."""
    require(actor, "datasets:read")
    if not id and not name:
        raise Invalid("Give a dataset id or name.")
    q = select(Dataset).where(Dataset.project_id == actor.project_id)
    if id:
        q = q.where(Dataset.id == id)
    if name:
        q = q.where(Dataset.name == name)
    row = session.exec(q).first()
    return dataset_read(row, _item_count(session, row.id)) if row else None


def _page_counts(session: Session, ids: list[str]) -> tuple[dict, dict]:
    """(dataset id -> (items, newest item time)), (dataset id -> experiments) for a page."""
    if not ids:
        return {}, {}
    items = session.exec(select(DatasetItem.dataset_id, func.count(), func.max(DatasetItem.created_at)).where(
        DatasetItem.dataset_id.in_(ids)).group_by(DatasetItem.dataset_id)).all()
    runs = session.exec(select(Experiment.dataset_id, func.count()).where(
        Experiment.dataset_id.in_(ids)).group_by(Experiment.dataset_id)).all()
    return {i: (n, newest) for i, n, newest in items}, dict(runs)


def get_dataset(session: Session, actor: Actor, dataset_id: str) -> DatasetRead:
    """One dataset with its item and experiment counts (``NotFound`` when not the project's)."""
    require(actor, "datasets:read")
    row = owned_dataset(session, actor, dataset_id)
    return _with_counts(row, *_page_counts(session, [row.id]))


def _with_counts(d: Dataset, counts: dict, experiments: dict) -> DatasetRead:
    n, newest = counts.get(d.id, (0, None))
    return dataset_read(d, n, experiments.get(d.id, 0), newest)


def list_datasets(session: Session, actor: Actor, *, first: int | None = None,
                  after: str | None = None, search: str | None = None) -> DatasetPage:
    """The project's datasets, newest first, a page at a time (cursor = a dataset id)."""
    require(actor, "datasets:read")
    first = min(max(first or 100, 1), MAX_PAGE)
    base = select(Dataset).where(Dataset.project_id == actor.project_id)
    if search:
        base = base.where(Dataset.name.ilike(f"%{search}%"))
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    q = base
    if after:
        anchor = owned_or_none(session, Dataset, after, actor)
        if anchor is None:
            raise Invalid("Unknown cursor: pass back an endCursor from a previous page.")
        q = q.where(or_(Dataset.created_at < anchor.created_at,
                        and_(Dataset.created_at == anchor.created_at, Dataset.id < anchor.id)))
    rows = session.exec(q.order_by(Dataset.created_at.desc(), Dataset.id.desc()).limit(first + 1)).all()
    page = rows[:first]
    counts, experiments = _page_counts(session, [d.id for d in page])
    return DatasetPage([_with_counts(d, counts, experiments) for d in page], total,
                       page[0].id if page else None, page[-1].id if page else None,
                       len(rows) > first, bool(after))
