"""Reviewing a queue item: the item in its context (the step's detail, or the thread; the
surrounding conversation and top-level tree), and what a reviewer does with it: scores (one per
score schema, saved with "mark reviewed"), tags, add to a dataset (edited first), skip.

Marking reviewed is one conditional UPDATE (still pending, and not held by another reviewer's
live claim) in the same transaction as the scores: two reviewers can never both review an item,
and a refused review saves none of its scores and says why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from literal_app.db import begin_write
from literal_app.models.annotation import QueueItem
from literal_app.models.auth import Member
from literal_app.models.tracing import Score, Step
from literal_app.models.types import utcnow
from literal_app.services.annotation import claims
from literal_app.services.annotation.items import ItemRead, item_reads
from literal_app.services.annotation.queues import counts, owned_queue
from literal_app.services.datasets import dataset_items
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid, NotFound
from literal_app.services.kernel.scoping import owned
from literal_app.services.logs import annotations, scores, step_detail, threads, traces
from literal_app.services.logs.tracing_reads import ScoreRead, ThreadRead

MESSAGES = 30
NODES = 100


@dataclass(frozen=True)
class ScoreInput:
    """One control of the annotation panel: a schema and the value or category chosen."""

    schema_id: str
    value: Any = None
    label: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class ItemContext:
    item: ItemRead
    step: step_detail.StepDetail | None
    thread: ThreadRead | None
    messages: list[traces.ChatMessage]
    tree: list[traces.StepNode]
    held_by: str  # another reviewer's live claim ("" when the item is ours to review)
    given: list[ScoreRead]  # scores already given in this item (a reviewed item)
    pending: int
    reviewed: int
    dataset_input: str  # JSON shown in the "add to dataset" editor
    dataset_expected: str
    tags: list[str] = field(default_factory=list)


def _item(session: Session, actor: Actor, item_id: str, for_update: bool = False) -> QueueItem:
    return owned(session, QueueItem, item_id, actor, "Queue item not found.", for_update=for_update)


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, indent=2, ensure_ascii=False, default=str)


def given_scores(session: Session, project_id: str, item_id: str) -> list[ScoreRead]:
    """The scores given in this queue item, oldest first, with their authors' names."""
    rows = session.execute(select(Score, Member.name).outerjoin(Member, Member.id == Score.created_by_id)
                           .where(Score.project_id == project_id, Score.queue_item_id == item_id)).all()
    return [ScoreRead.of(s, who) for s, who in sorted(rows, key=lambda r: (r[0].created_at, r[0].id))]


def _dataset_defaults(session: Session, row: QueueItem, thread: ThreadRead | None) -> tuple[str, str]:
    if row.thread_id:
        return _json(thread.first_input if thread else None), _json(thread.last_output if thread else None)
    s = session.get(Step, row.step_id)
    if s is None:
        return "", ""
    if s.generation:
        inp, expected, _ = dataset_items.generation_item_fields(s.generation, s.generation_type)
        return _json(inp), _json(expected)
    return _json(s.input), _json(s.output)


def open_item(session: Session, actor: Actor, item_id: str, *, claim: bool = True) -> ItemContext:
    """The item with its context; a pending item is claimed for the reviewer when free."""
    require(actor, "annotations:read")
    row = _item(session, actor, item_id)
    if claim and row.status == "pending" and actor.can("annotations:write"):
        claims.try_claim(session, actor.member_id, row.id)
        session.refresh(row)
    item = item_reads(session, actor.project_id, [row])[0]
    step = thread = None
    messages, tree = [], []
    if not item.source_deleted:
        if item.kind == "step":
            step = step_detail.get_step_detail(session, actor, item.target_id)
        thread_id = item.thread_id
        if thread_id:
            thread = threads.get_thread(session, actor, thread_id, with_steps=False)
            messages = traces.thread_messages(session, actor, thread_id, limit=MESSAGES).messages
            tree = traces.thread_tree(session, actor, thread_id, limit=NODES).nodes
    n = counts(session, [row.queue_id])[row.queue_id]
    held_by = item.claimed_by if row.claimed_by_id and row.claimed_by_id != actor.member_id else ""
    given = given_scores(session, actor.project_id, row.id)
    tags = list((step.tags if step else (thread.tags if thread else None)) or [])
    return ItemContext(item, step, thread, messages, tree, held_by, given, n["pending"], n["reviewed"],
                       *_dataset_defaults(session, row, thread), tags=tags)


def next_item(session: Session, actor: Actor, queue_id: str, *, exclude: list[str] | None = None,
              release: list[str] | None = None) -> ItemContext | None:
    """Claim the reviewer's next pending item and load it in context (None: nothing left);
    ``release`` as in ``claims.claim_next``."""
    item_id = claims.claim_next(session, actor, queue_id, exclude=exclude, release=release)
    return open_item(session, actor, item_id, claim=False) if item_id else None


def score_target(session: Session, actor: Actor, row: QueueItem) -> str:
    """The step a review's scores attach to: the item's step, or for a thread its last top-level step
    (the end of the conversation the reviewer judged)."""
    if row.step_id:
        if session.execute(select(Step.id).where(Step.project_id == actor.project_id, Step.id == row.step_id)).first():
            return row.step_id
    else:
        last = session.execute(select(Step.id).where(Step.project_id == actor.project_id,
                                                     Step.thread_id == row.thread_id, Step.parent_id.is_(None))
                               .order_by(Step.start_time.desc(), Step.created_at.desc()).limit(1)).scalar()
        if last:
            return last
        if not session.execute(select(Step.id).where(Step.thread_id == row.thread_id).limit(1)).first():
            raise Invalid("This thread has no steps to attach scores to.")
    raise Invalid("The source of this item was deleted: remove it from the queue or skip it.")


def _mark(session: Session, actor: Actor, row: QueueItem) -> None:
    now = utcnow()
    done = session.execute(update(QueueItem).where(QueueItem.id == row.id, claims.claimable(actor.member_id, now))
                           .values(status="reviewed", pending_key=None, reviewer_id=actor.member_id, reviewed_at=now,
                                   claimed_by_id=None, claim_expires_at=None)
                           .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        session.refresh(row)
        who = item_reads(session, actor.project_id, [row])[0]
        if row.status == "reviewed":
            raise Invalid(f"{who.reviewer or 'Someone'} already reviewed this item; your scores were not saved. "
                          "Go to the next item.")
        raise Invalid(f"{who.claimed_by or 'Another reviewer'} is reviewing this item; your scores were not saved.")


def _save_scores(session: Session, actor: Actor, row: QueueItem, step_id: str, given: list[ScoreInput]) -> list[ScoreRead]:
    """Add the scores, or for a re-review change the reviewer's earlier score of the same schema."""
    mine = {s.score_schema_id: s for s in given_scores(session, actor.project_id, row.id)
            if s.created_by_id == actor.member_id}
    out = []
    for g in given:
        kw = dict(value=g.value, label=g.label or None, comment=g.comment)
        if g.schema_id in mine:
            out.append(scores.update_score(session, actor, mine[g.schema_id].id, **kw))
        else:
            out.append(scores.add_human_score(session, actor, step_id, schema_id=g.schema_id,
                                              queue_item_id=row.id, **kw))
    return out


def review_item(session: Session, actor: Actor, item_id: str, given: list[ScoreInput]) -> list[ScoreRead]:
    """Save the review's scores and mark the item reviewed (a reviewed item of the reviewer's own:
    update their scores). Any refused score refuses the whole review."""
    require(actor, "annotations:write")
    begin_write(session)
    row = _item(session, actor, item_id)
    if len({g.schema_id for g in given}) != len(given):
        raise Invalid("Give one score per schema.")
    step_id = score_target(session, actor, row)
    if row.status == "reviewed" and row.reviewer_id == actor.member_id:
        return _save_scores(session, actor, row, step_id, given)
    _mark(session, actor, row)
    return _save_scores(session, actor, row, step_id, given)


def tag_item(session: Session, actor: Actor, item_id: str, *, add: list[str] | None = None,
             remove: list[str] | None = None) -> list[str]:
    """Tag the item's log (the step, or the thread); returns its tags."""
    require(actor, "annotations:write")
    row = _item(session, actor, item_id)
    kind, target = ("step", row.step_id) if row.step_id else ("thread", row.thread_id)
    try:
        return annotations.change_tags(session, actor, kind, [target], add=add, remove=remove)[target]
    except NotFound:
        raise Invalid("The source of this item was deleted: it cannot be tagged.") from None


def _parse(text: str, what: str) -> Any:
    if text is None or not str(text).strip():
        return None
    try:
        return json.loads(text)
    except ValueError as e:
        raise Invalid(f"The {what} is not valid JSON ({e.msg} at line {e.lineno}, column {e.colno}).") from None


def add_to_dataset(session: Session, actor: Actor, item_id: str, *, input_text: str, expected_text: str = "",
                   dataset_id: str | None = None, new_dataset: str | None = None,
                   dataset_type: str = "key_value") -> dataset_items.DatasetItemRead:
    """Add the item, as the reviewer edited it (JSON), to a dataset; the item keeps its source step."""
    require(actor, "datasets:add_from_review")
    row = _item(session, actor, item_id)
    queue = owned_queue(session, actor, row.queue_id)
    step_id = score_target(session, actor, row)
    return dataset_items.add_from_review(
        session, actor, step_id=step_id, input=_parse(input_text, "input"),
        expected_output=_parse(expected_text, "expected output"), dataset_id=dataset_id or None,
        new_dataset=new_dataset, dataset_type=dataset_type,
        metadata={"annotationQueue": queue.name, "queueItemId": row.id})
