"""Dataset items: created by hand, from a logged step (with its child steps as intermediary
steps), from a logged generation or from a review in an annotation queue (``add_from_review``, the
one path open to Domain Experts), listed in creation order, exported with their dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from literal_app.models.datasets import Dataset, DatasetItem
from literal_app.models.tracing import Step
from literal_app.services.datasets.datasets import DATASET_TYPES, DatasetRead, find_dataset, owned_dataset
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.limits import check_json
from literal_app.services.kernel.validation import clean_name
from literal_app.services.kernel.scoping import owned

MAX_INTERMEDIARY_STEPS = 500


@dataclass(frozen=True)
class DatasetItemRead:
    id: str
    dataset_id: str
    input: Any
    expected_output: Any
    metadata: dict | None
    intermediary_steps: list
    step_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class DatasetExport:
    """A dataset with every item, oldest item first (``POST /api/export/dataset``)."""

    dataset: DatasetRead
    items: list[DatasetItemRead]


def _object(value: Any) -> Any:
    """Clients read ``input`` and ``expectedOutput`` as objects: absent means an empty one."""
    return {} if value is None else value


def _read(row: DatasetItem) -> DatasetItemRead:
    return DatasetItemRead(row.id, row.dataset_id, _object(row.input), _object(row.expected_output),
                           row.meta or {}, row.intermediary_steps or [], row.step_id, row.created_at)


def _metadata(metadata: Any) -> dict:
    if metadata is not None and not isinstance(metadata, dict):
        raise Invalid("Item metadata must be a JSON object.")
    return dict(metadata or {})


def _add(session: Session, actor: Actor, dataset_id: str, **fields: Any) -> DatasetItemRead:
    row = DatasetItem(project_id=actor.project_id, dataset_id=dataset_id, **fields)
    session.add(row)
    session.flush()
    return _read(row)


def create_item(session: Session, actor: Actor, *, dataset_id: str, input: Any,
                expected_output: Any = None, metadata: Any = None,
                intermediary_steps: Any = None) -> DatasetItemRead:
    require(actor, "datasets:write")
    dataset = owned_dataset(session, actor, dataset_id)
    if input is None:
        raise Invalid("A dataset item needs an input.")
    if intermediary_steps is not None and not isinstance(intermediary_steps, list):
        raise Invalid("intermediarySteps must be a list.")
    return _add(session, actor, dataset.id, input=input, expected_output=expected_output,
                meta=_metadata(metadata), intermediary_steps=intermediary_steps or [])


def get_item(session: Session, actor: Actor, item_id: str) -> DatasetItemRead | None:
    require(actor, "datasets:read")
    row = session.get(DatasetItem, item_id)
    return _read(row) if row and row.project_id == actor.project_id else None


def delete_item(session: Session, actor: Actor, item_id: str) -> DatasetItemRead:
    require(actor, "datasets:write")
    row = owned(session, DatasetItem, item_id, actor, "Dataset item not found.")
    read = _read(row)
    session.delete(row)
    session.flush()
    return read


def list_items(session: Session, actor: Actor, dataset_id: str) -> list[DatasetItemRead]:
    """Every item of a dataset, oldest first."""
    require(actor, "datasets:read")
    dataset = owned_dataset(session, actor, dataset_id)
    rows = session.exec(select(DatasetItem).where(DatasetItem.dataset_id == dataset.id)
                        .order_by(DatasetItem.created_at, DatasetItem.id)).all()
    return [_read(r) for r in rows]


def export_dataset(session: Session, actor: Actor, *, id: str | None = None,
                   name: str | None = None) -> DatasetExport | None:
    """A dataset by id and/or name with all its items; ``None`` when unknown or deleted."""
    dataset = find_dataset(session, actor, id=id, name=name)
    if dataset is None:
        return None
    return DatasetExport(dataset, list_items(session, actor, dataset.id))


def _step(session: Session, actor: Actor, step_id: str, what: str = "Step") -> Step:
    row = owned(session, Step, step_id, actor, f"{what} {step_id!r} not found.")
    return row


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _step_summary(s: Step) -> dict:
    """What an intermediary step keeps of a logged step."""
    out = {"id": s.id, "parentId": s.parent_id, "name": s.name, "type": s.type, "input": s.input,
           "output": s.output, "metadata": s.meta, "startTime": _iso(s.start_time), "endTime": _iso(s.end_time)}
    if s.generation:
        out["generation"] = s.generation
    return out


def _descendants(session: Session, root: Step) -> list[Step]:
    """Every step below ``root`` (children, grandchildren...), in start order."""
    found: list[Step] = []
    frontier = [root.id]
    seen = {root.id}
    while frontier and len(found) < MAX_INTERMEDIARY_STEPS:
        rows = session.exec(select(Step).where(Step.project_id == root.project_id,
                                               Step.parent_id.in_(frontier))).all()
        rows = [r for r in rows if r.id not in seen]
        seen.update(r.id for r in rows)
        found += rows
        frontier = [r.id for r in rows]
    epoch = datetime.min.replace(tzinfo=root.created_at.tzinfo)
    found.sort(key=lambda s: (s.start_time or s.created_at or epoch, s.created_at or epoch))
    return found[:MAX_INTERMEDIARY_STEPS]


def add_step_to_dataset(session: Session, actor: Actor, *, dataset_id: str, step_id: str,
                        metadata: Any = None) -> DatasetItemRead:
    """An item whose input/expected output are the step's input/output, with its sub-steps."""
    require(actor, "datasets:write")
    dataset = owned_dataset(session, actor, dataset_id)
    step = _step(session, actor, step_id)
    return _add(session, actor, dataset.id, input=_object(step.input), expected_output=_object(step.output),
                meta=_metadata(metadata), step_id=step.id,
                intermediary_steps=[_step_summary(s) for s in _descendants(session, step)])


def _gen(generation: dict, camel: str, snake: str) -> Any:
    return generation.get(camel, generation.get(snake))


def generation_item_fields(generation: dict, generation_type: str | None) -> tuple[Any, Any, str]:
    """(input, expected output, prompt type) of a generation as a dataset item; a generation
    without completion expects an empty message (clients read ``expectedOutput`` as an object)."""
    kind = (generation_type or generation.get("type") or "").upper()
    if kind not in ("CHAT", "COMPLETION"):
        kind = "COMPLETION" if ("prompt" in generation or "completion" in generation) else "CHAT"
    if kind == "CHAT":
        completion = _gen(generation, "messageCompletion", "message_completion")
        return ({"messages": _gen(generation, "messages", "messages") or []},
                completion if isinstance(completion, dict) else {"role": "assistant", "content": ""}, kind)
    completion = generation.get("completion")
    return ({"prompt": generation.get("prompt") or ""}, {"content": completion or ""}, kind)


def add_generation_to_dataset(session: Session, actor: Actor, *, dataset_id: str, generation_id: str,
                              metadata: Any = None) -> DatasetItemRead:
    """An item from the generation of step ``generation_id`` (generation id = its step id)."""
    require(actor, "datasets:write")
    dataset = owned_dataset(session, actor, dataset_id)
    step = _step(session, actor, generation_id, "Generation")
    if not step.generation:
        raise Invalid(f"Step {generation_id!r} has no generation.")
    input, expected, kind = generation_item_fields(step.generation, step.generation_type)
    return _add(session, actor, dataset.id, input=input, expected_output=expected,
                meta={**_metadata(metadata), "promptType": kind}, step_id=step.id, intermediary_steps=[])


def _review_dataset(session: Session, actor: Actor, dataset_id: str | None, new_name: str | None,
                    dataset_type: str) -> str:
    """The dataset to add to: an existing one, or a new one named ``new_name`` (created here)."""
    if dataset_id:
        return owned_dataset(session, actor, dataset_id).id
    name = clean_name(new_name, "Dataset name", 256)
    if dataset_type not in DATASET_TYPES:
        raise Invalid(f"Unknown dataset type {dataset_type!r}: use key_value or generation.")
    existing = session.exec(select(Dataset).where(Dataset.project_id == actor.project_id, Dataset.name == name)).first()
    if existing is not None:
        return existing.id
    row = Dataset(project_id=actor.project_id, name=name, type=dataset_type, meta=None)
    session.add(row)
    session.flush()
    return row.id


def add_from_review(session: Session, actor: Actor, *, step_id: str, input: Any, expected_output: Any = None,
                    dataset_id: str | None = None, new_dataset: str | None = None,
                    dataset_type: str = "key_value", metadata: Any = None) -> DatasetItemRead:
    """An item added while reviewing a logged step, with the input/expected output as the reviewer
    edited them; it keeps its source step. Choosing a name that is not a dataset yet creates it."""
    require(actor, "datasets:add_from_review")
    step = _step(session, actor, step_id)
    if input is None:
        raise Invalid("A dataset item needs an input.")
    dataset = _review_dataset(session, actor, dataset_id, new_dataset, dataset_type)
    return _add(session, actor, dataset, input=check_json(input, "input"),
                expected_output=check_json(expected_output, "expected output"),
                meta=_metadata(metadata), step_id=step.id, intermediary_steps=[])
