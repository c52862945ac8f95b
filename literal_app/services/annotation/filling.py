"""Filling a queue from Logs: selected rows of a table, a thread/run/step/generation page, or
every row matching the table's current filters (through the Logs filter engine, capped).

A log already pending in the queue is not added again (the unique (queue, pending key) pair
makes the insert a no-op, even when two people add the same rows at once); the answer says how
many were added and how many were already there. Unknown ids (another project's, deleted ones)
fail the whole request with the ids named, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from literal_app.models.annotation import QueueItem
from literal_app.models.tracing import Step, Thread
from literal_app.models.types import new_id, utcnow
from literal_app.services.annotation.queues import owned_queue
from literal_app.services.ingestion.bulk import insert_ignore
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid, NotFound
from literal_app.services.logs import log_lists
from literal_app.services.logs.log_filters import LogFilters

ADD_CAP = 10_000  # rows one request may add ("add all matching" stops there, and says so)
KINDS = ("step", "thread")
TABLE_KINDS = {"threads": "thread", "runs": "step", "generations": "step", "steps": "step"}
_CHUNK = 1000


@dataclass(frozen=True)
class AddResult:
    added: int
    already: int  # already pending in the queue
    capped: bool = False  # "add all matching" found more rows than ADD_CAP

    def message(self, queue: str = "the queue") -> str:
        """What the UI says: "Added 3 items to Refunds; 2 were already there." """
        text = f"Added {self.added:,} item{'s' if self.added != 1 else ''} to {queue}"
        if self.capped:
            text += f" (the first {ADD_CAP:,} matching rows)"
        if self.already:
            text += f"; {self.already:,} {'was' if self.already == 1 else 'were'} already there"
        return text + "."


def pending_key(kind: str, target_id: str) -> str:
    return f"{'t' if kind == 'thread' else 's'}:{target_id}"


def _chunks(ids: list[str]):
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def _check_targets(session: Session, actor: Actor, kind: str, ids: list[str]) -> None:
    """NotFound naming the ids that are not logs of the caller's project (nothing is added)."""
    model = Thread if kind == "thread" else Step
    found: set[str] = set()
    for chunk in _chunks(ids):
        found.update(session.execute(select(model.id).where(model.project_id == actor.project_id,
                                                            model.id.in_(chunk))).scalars())
    missing = [i for i in ids if i not in found]
    if missing:
        shown = ", ".join(repr(m) for m in missing[:3]) + (f" and {len(missing) - 3:,} more" if len(missing) > 3 else "")
        raise NotFound(f"{'Thread' if kind == 'thread' else 'Step'}{'s' if len(missing) > 1 else ''} not found "
                       f"in this project: {shown}. Nothing was added.")


def _pending_count(session: Session, queue_id: str, keys: list[str]) -> int:
    return sum(session.execute(select(func.count()).where(QueueItem.queue_id == queue_id,
                                                          QueueItem.pending_key.in_(chunk))).scalar_one()
               for chunk in _chunks(keys))


def _insert(session: Session, actor: Actor, queue_id: str, kind: str, ids: list[str]) -> AddResult:
    keys = [pending_key(kind, i) for i in ids]
    before = _pending_count(session, queue_id, keys)
    now = utcnow()
    rows = [{"id": new_id(), "project_id": actor.project_id, "queue_id": queue_id,
             "step_id": i if kind == "step" else None, "thread_id": i if kind == "thread" else None,
             "status": "pending", "pending_key": k, "added_by_id": actor.member_id,
             "created_at": now + timedelta(microseconds=n)}  # the order they were given in
            for n, (i, k) in enumerate(zip(ids, keys))]
    for start in range(0, len(rows), 5000):
        insert_ignore(session, QueueItem.__table__, rows[start:start + 5000], ["queue_id", "pending_key"])
    after = _pending_count(session, queue_id, keys)
    return AddResult(after - before, len(ids) - (after - before))


def add_items(session: Session, actor: Actor, queue_id: str, kind: str, ids: list[str]) -> AddResult:
    """Add threads (``kind="thread"``) or steps of any type (``"step"``) to a queue."""
    require(actor, "queues:write")
    require(actor, "observability:read")
    if kind not in KINDS:
        raise Invalid("Queue items are threads or steps.")
    ids = list(dict.fromkeys(i for i in ids if isinstance(i, str) and i))
    if not ids:
        raise Invalid("Select at least one row to add.")
    if len(ids) > ADD_CAP:
        raise Invalid(f"At most {ADD_CAP:,} rows at once.")
    queue = owned_queue(session, actor, queue_id)
    _check_targets(session, actor, kind, ids)
    return _insert(session, actor, queue.id, kind, ids)


def add_matching(session: Session, actor: Actor, queue_id: str, table: str,
                 filters: LogFilters | None = None) -> AddResult:
    """Add every row of a Logs table matching ``filters`` (in the table's order), up to ADD_CAP."""
    require(actor, "queues:write")
    kind = TABLE_KINDS.get(table)
    if kind is None:
        raise Invalid(f"Rows of {table!r} cannot be added to a queue (use threads, runs, generations or steps).")
    queue = owned_queue(session, actor, queue_id)
    ids = log_lists.matching_ids(session, actor, table, filters or LogFilters(), cap=ADD_CAP + 1)
    capped = len(ids) > ADD_CAP
    if not ids:
        return AddResult(0, 0)
    result = _insert(session, actor, queue.id, kind, ids[:ADD_CAP])
    return AddResult(result.added, result.already, capped)
