"""Claims: a short lease on a pending item, so two reviewers of a queue never get the same one.

Taking a claim is one conditional UPDATE ("still pending, and unclaimed, mine or expired"): on
PostgreSQL the second of two concurrent updates re-checks the condition after the first commits,
and SQLite runs writers one at a time, so exactly one reviewer wins an item on both databases.
A claim is released on skip, on review and when it expires (``LEASE``); taking the next item
releases the reviewer's other claims in that queue.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlmodel import Session

from literal_app.db import begin_write
from literal_app.models.annotation import QueueItem
from literal_app.models.types import utcnow
from literal_app.services.annotation.queues import owned_queue
from literal_app.services.kernel.actor import Actor, require

LEASE = timedelta(minutes=10)
CANDIDATES = 8  # items tried per round when others claim them at the same moment
EXCLUDE_MAX = 500


def claimable(member_id: str | None, now: datetime):
    """SQL: a pending item nobody else holds a live claim on."""
    return and_(QueueItem.status == "pending",
                or_(QueueItem.claimed_by_id.is_(None), QueueItem.claimed_by_id == member_id,
                    QueueItem.claim_expires_at < now))


def try_claim(session: Session, member_id: str | None, item_id: str, now: datetime | None = None) -> bool:
    """Claim one item for ``member_id`` if it is claimable; True when the claim is ours."""
    now = now or utcnow()
    res = session.execute(update(QueueItem).where(QueueItem.id == item_id, claimable(member_id, now))
                          .values(claimed_by_id=member_id, claim_expires_at=now + LEASE)
                          .execution_options(synchronize_session=False))
    return res.rowcount == 1


def release_mine(session: Session, actor: Actor, queue_id: str, keep: str | None = None) -> None:
    """Drop the actor's claims in the queue (except on ``keep``)."""
    q = update(QueueItem).where(QueueItem.queue_id == queue_id, QueueItem.claimed_by_id == actor.member_id,
                                QueueItem.status == "pending")
    if keep:
        q = q.where(QueueItem.id != keep)
    session.execute(q.values(claimed_by_id=None, claim_expires_at=None).execution_options(synchronize_session=False))


def _release_items(session: Session, actor: Actor, queue_id: str, item_ids: list[str]) -> None:
    session.execute(update(QueueItem).where(QueueItem.id.in_(item_ids[:EXCLUDE_MAX]), QueueItem.queue_id == queue_id,
                                            QueueItem.claimed_by_id == actor.member_id)
                    .values(claimed_by_id=None, claim_expires_at=None).execution_options(synchronize_session=False))


def _candidates(session: Session, actor: Actor, queue_id: str, exclude: list[str], now: datetime) -> list[str]:
    """The next claimable ids: the actor's assigned items first, then unassigned ones, oldest first.
    Items assigned to someone else are theirs."""
    out: list[str] = []
    for assigned in (QueueItem.assignee_id == actor.member_id, QueueItem.assignee_id.is_(None)):
        q = (select(QueueItem.id).where(QueueItem.queue_id == queue_id, assigned, claimable(actor.member_id, now))
             .order_by(QueueItem.created_at, QueueItem.id).limit(CANDIDATES))
        if exclude:
            q = q.where(QueueItem.id.not_in(exclude))
        out += session.execute(q).scalars().all()
        if out:
            return out
    return out


def claim_next(session: Session, actor: Actor, queue_id: str, *, exclude: list[str] | None = None,
               release: list[str] | None = None) -> str | None:
    """Claim the reviewer's next pending item (skipping ``exclude``, the items they skipped) and
    return its id, or None when nothing is left for them. Their claims in the queue are released
    first: the items in ``release`` (the page knows which one it holds), or all of them when None
    (opening the page: a search of the queue's claims, which SQLite cannot narrow by index)."""
    require(actor, "annotations:write")
    queue = owned_queue(session, actor, queue_id)
    begin_write(session)
    exclude = list(exclude or [])[-EXCLUDE_MAX:]
    if release is None:
        release_mine(session, actor, queue.id)
    elif release:
        _release_items(session, actor, queue.id, release)
    for _ in range(5):  # a lost race retries with fresh candidates
        now = utcnow()
        ids = _candidates(session, actor, queue.id, exclude, now)
        if not ids:
            return None
        for item_id in ids:
            if try_claim(session, actor.member_id, item_id, now):
                return item_id
    return None


def release(session: Session, actor: Actor, item_id: str) -> None:
    """Give an item back (skip, leaving the page) so another reviewer can take it."""
    require(actor, "annotations:write")
    session.execute(update(QueueItem).where(QueueItem.id == item_id, QueueItem.project_id == actor.project_id,
                                            QueueItem.claimed_by_id == actor.member_id)
                    .values(claimed_by_id=None, claim_expires_at=None).execution_options(synchronize_session=False))
