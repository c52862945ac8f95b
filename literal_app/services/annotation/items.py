"""The queue's items as its admin view shows them (Pending / Reviewed tabs with counts, the logs
they point at, who added, holds, was assigned or reviewed them, the scores given), assignment
(chosen items, or the next N pending spread evenly over reviewers), removal and per-reviewer
progress.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timezone

from sqlalchemy import case, func, select, update
from sqlmodel import Session

from literal_app.models.annotation import QueueItem
from literal_app.models.auth import Member, Membership
from literal_app.models.tracing import Score, Step, Thread
from literal_app.models.types import utcnow
from literal_app.services.annotation.queues import counts, owned_queue
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Forbidden, Invalid, NotFound

PAGE = 50
STATUSES = ("pending", "reviewed")
MAX_IDS = 10_000


@dataclass(frozen=True)
class ItemRead:
    id: str
    queue_id: str
    kind: str  # step | thread
    target_id: str
    name: str
    type: str  # the step's type, or "thread"
    href: str
    source_deleted: bool
    status: str
    added_by: str
    created_at: datetime
    assignee_id: str | None
    assignee: str
    claimed_by: str  # a live claim's holder
    reviewer: str
    reviewed_at: datetime | None
    scores: list[str]  # "name: label-or-value"
    thread_id: str | None = None  # the step's thread


@dataclass(frozen=True)
class ItemPage:
    items: list[ItemRead]
    pending: int
    reviewed: int
    total: int  # items of the tab under the filters
    offset: int
    has_next: bool


@dataclass(frozen=True)
class Reviewer:
    id: str
    name: str
    role: str


@dataclass(frozen=True)
class ReviewerProgress:
    member_id: str
    name: str
    today: int
    total: int


def _names(session: Session, ids: set) -> dict[str, str]:
    ids = {i for i in ids if i}
    return dict(session.execute(select(Member.id, Member.name).where(Member.id.in_(ids))).all()) if ids else {}


def _targets(session: Session, project_id: str, rows: list[QueueItem]) -> tuple[dict, dict]:
    step_ids = [r.step_id for r in rows if r.step_id]
    thread_ids = [r.thread_id for r in rows if r.thread_id]
    steps = {s.id: s for s in session.execute(select(Step.id, Step.name, Step.type, Step.thread_id).where(
        Step.project_id == project_id, Step.id.in_(step_ids))).all()} if step_ids else {}
    threads = {t.id: t for t in session.execute(select(Thread.id, Thread.name).where(
        Thread.project_id == project_id, Thread.id.in_(thread_ids))).all()} if thread_ids else {}
    return steps, threads


def _scores(session: Session, project_id: str, item_ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    if item_ids:
        # sorted here: an ORDER BY created_at made SQLite walk the project's scores by date
        rows = sorted(session.execute(select(Score.queue_item_id, Score.name, Score.label, Score.value,
                                             Score.created_at).where(
            Score.project_id == project_id, Score.queue_item_id.in_(item_ids))).all(), key=lambda r: r[4])
        for item_id, name, label, value, _ in rows:
            out[item_id].append(f"{name}: {label if label else f'{value:g}'}")
    return out


def item_reads(session: Session, project_id: str, rows: list[QueueItem]) -> list[ItemRead]:
    """ItemReads for a page of items (a few queries for the whole page)."""
    steps, threads = _targets(session, project_id, rows)
    names = _names(session, {x for r in rows for x in (r.added_by_id, r.assignee_id, r.claimed_by_id, r.reviewer_id)})
    scores = _scores(session, project_id, [r.id for r in rows])
    now = utcnow()
    out = []
    for r in rows:
        if r.step_id:
            s = steps.get(r.step_id)
            kind, target, name, typ = "step", r.step_id, (s.name or s.type) if s else r.step_id, s.type if s else ""
            href, thread_id = f"/logs/steps/{r.step_id}", s.thread_id if s else None
        else:
            t = threads.get(r.thread_id)
            s, kind, target, name, typ = t, "thread", r.thread_id, (t.name or r.thread_id) if t else r.thread_id, "thread"
            href, thread_id = f"/logs/threads/{r.thread_id}", r.thread_id
        live = r.claimed_by_id if r.claim_expires_at and r.claim_expires_at > now and r.status == "pending" else None
        out.append(ItemRead(r.id, r.queue_id, kind, target, name, typ, href, s is None, r.status,
                            names.get(r.added_by_id, ""), r.created_at, r.assignee_id, names.get(r.assignee_id, ""),
                            names.get(live, "") if live else "", names.get(r.reviewer_id, ""), r.reviewed_at,
                            scores.get(r.id, []), thread_id))
    return out


def list_items(session: Session, actor: Actor, queue_id: str, *, status: str = "pending",
               assignee_id: str | None = None, reviewer_id: str | None = None, offset: int = 0,
               limit: int = PAGE) -> ItemPage:
    """One page of a tab: pending items oldest first, reviewed items latest review first."""
    require(actor, "annotations:read")
    if status not in STATUSES:
        raise Invalid("Show pending or reviewed items.")
    queue = owned_queue(session, actor, queue_id)
    where = [QueueItem.queue_id == queue.id, QueueItem.status == status]
    if assignee_id:
        where.append(QueueItem.assignee_id == assignee_id)
    if reviewer_id:
        where.append(QueueItem.reviewer_id == reviewer_id)
    order = ((QueueItem.created_at, QueueItem.id) if status == "pending"
             else (QueueItem.reviewed_at.desc(), QueueItem.id))
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    rows = session.execute(select(QueueItem).where(*where).order_by(*order).offset(offset)
                           .limit(limit + 1)).scalars().all()
    n = counts(session, [queue.id])[queue.id]
    total = n[status] if not (assignee_id or reviewer_id) else session.execute(
        select(func.count()).select_from(QueueItem).where(*where)).scalar_one()
    return ItemPage(item_reads(session, actor.project_id, list(rows[:limit])), n["pending"], n["reviewed"],
                    total, offset, len(rows) > limit)


def reviewers(session: Session, actor: Actor) -> list[Reviewer]:
    """The project's members (who items can be assigned to), by name."""
    require(actor, "annotations:read")
    rows = session.execute(select(Member.id, Member.name, Membership.role).join(
        Membership, Membership.member_id == Member.id).where(Membership.project_id == actor.project_id)
        .order_by(Member.name)).all()
    return [Reviewer(i, n, r) for i, n, r in rows]


def _check_member(session: Session, actor: Actor, member_id: str) -> None:
    if not session.execute(select(Membership.id).where(Membership.project_id == actor.project_id,
                                                       Membership.member_id == member_id)).first():
        raise NotFound("That person is not a member of this project.")


def _ids(item_ids: list[str]) -> list[str]:
    ids = list(dict.fromkeys(i for i in item_ids if i))
    if not ids:
        raise Invalid("Select at least one item.")
    if len(ids) > MAX_IDS:
        raise Invalid(f"At most {MAX_IDS:,} items at once.")
    return ids


def assign_items(session: Session, actor: Actor, queue_id: str, item_ids: list[str],
                 member_id: str | None) -> int:
    """Assign pending items to a member (None: unassign); returns how many changed."""
    require(actor, "queues:write")
    queue = owned_queue(session, actor, queue_id)
    if member_id:
        _check_member(session, actor, member_id)
    changed = 0
    ids = _ids(item_ids)
    for start in range(0, len(ids), 1000):
        changed += session.execute(update(QueueItem).where(
            QueueItem.queue_id == queue.id, QueueItem.id.in_(ids[start:start + 1000]), QueueItem.status == "pending")
            .values(assignee_id=member_id).execution_options(synchronize_session=False)).rowcount
    return changed


def assign_evenly(session: Session, actor: Actor, queue_id: str, member_ids: list[str], n: int) -> dict[str, int]:
    """Assign the next ``n`` pending unassigned items round-robin across ``member_ids``."""
    require(actor, "queues:write")
    queue = owned_queue(session, actor, queue_id)
    members = list(dict.fromkeys(m for m in member_ids if m))
    if not members:
        raise Invalid("Choose at least one reviewer.")
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= MAX_IDS:
        raise Invalid(f"Assign between 1 and {MAX_IDS:,} items.")
    for m in members:
        _check_member(session, actor, m)
    ids = session.execute(select(QueueItem.id).where(QueueItem.queue_id == queue.id, QueueItem.status == "pending",
                                                     QueueItem.assignee_id.is_(None))
                          .order_by(QueueItem.created_at, QueueItem.id).limit(n)).scalars().all()
    share: dict[str, list[str]] = {m: ids[i::len(members)] for i, m in enumerate(members)}
    for m, mine in share.items():
        if mine:
            assign_items(session, actor, queue.id, mine, m)
    return {m: len(v) for m, v in share.items()}


def remove_items(session: Session, actor: Actor, queue_id: str, item_ids: list[str]) -> int:
    """Remove items from the queue (their logs and scores stay). Reviewers may remove an item
    whose source log was deleted; anything else needs ``queues:write``."""
    require(actor, "annotations:write")
    queue = owned_queue(session, actor, queue_id)
    ids = _ids(item_ids)
    rows = session.execute(select(QueueItem).where(QueueItem.queue_id == queue.id, QueueItem.id.in_(ids))).scalars().all()
    if not actor.can("queues:write") and not all(i.source_deleted for i in item_reads(session, actor.project_id, list(rows))):
        raise Forbidden("A Domain Expert can remove only items whose source was deleted.")
    found = [r.id for r in rows]
    session.execute(update(Score).where(Score.project_id == actor.project_id, Score.queue_item_id.in_(found))
                    .values(queue_item_id=None).execution_options(synchronize_session=False))
    for r in rows:
        session.delete(r)
    session.flush()
    return len(found)


def progress(session: Session, actor: Actor, queue_id: str) -> list[ReviewerProgress]:
    """Per reviewer: items reviewed today (UTC) and in total, most active first."""
    require(actor, "annotations:read")
    queue = owned_queue(session, actor, queue_id)
    midnight = datetime.combine(utcnow().date(), time(0), tzinfo=timezone.utc)
    rows = session.execute(select(QueueItem.reviewer_id, func.count(),
                                  func.sum(case((QueueItem.reviewed_at >= midnight, 1), else_=0)))
                           .where(QueueItem.queue_id == queue.id, QueueItem.status == "reviewed",
                                  QueueItem.reviewer_id.is_not(None))
                           .group_by(QueueItem.reviewer_id)).all()
    names = _names(session, {r[0] for r in rows})
    out = [ReviewerProgress(m, names.get(m, "(removed member)"), int(today or 0), total) for m, total, today in rows]
    return sorted(out, key=lambda p: (-p.total, p.name))
