"""Annotation queues (issue 12): queues and the Default queue, filling from Logs with dedupe,
claims, assignment, review (scores, tags, dataset), removal, progress, bad input, and two
reviewers working the same queue at once. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlmodel import Session

from literal_app.db import session_scope
from literal_app.models.annotation import QueueItem
from literal_app.models.datasets import DatasetItem
from literal_app.models.tracing import Score, Step
from literal_app.models.types import utcnow
from literal_app.services.annotation import claims, filling, items, queues, review
from literal_app.services.annotation.review import ScoreInput
from literal_app.services.datasets import datasets
from literal_app.services.kernel.errors import Forbidden, Invalid, NotFound
from literal_app.services.logs import log_admin
from literal_app.services.logs.log_filters import LogFilters
from tests.annotation_factories import make_world
from tests.factories import make_actor
from tests.log_factories import make_conversation


def _refused(session, error, match: str, call) -> None:
    """``call`` fails with ``error``; like the UI's transaction, its savepoint keeps nothing."""
    with pytest.raises(error, match=match):
        with session.begin_nested():
            call()


def _default(session, actor) -> str:
    return next(q.id for q in queues.list_queues(session, actor) if q.is_default)


def _runs(world) -> list[str]:
    return [f"{t}-r{n}" for t in world.thread_ids for n in range(2)]


def test_every_project_has_a_default_queue_that_stays(session):
    w = make_world(session, 0)
    found = queues.list_queues(session, w.expert)
    assert [(q.name, q.is_default, q.pending, q.reviewed) for q in found] == [("Default", True, 0, 0)]
    with pytest.raises(Invalid, match="cannot be deleted"):
        queues.delete_queue(session, w.admin, found[0].id)
    with pytest.raises(Invalid, match="keeps its name"):
        queues.update_queue(session, w.admin, found[0].id, name="Other")
    assert queues.update_queue(session, w.admin, found[0].id, description="Triage").description == "Triage"


def test_create_edit_delete_a_queue_keeps_logs_and_scores(session):
    w = make_world(session, 1)
    q = queues.create_queue(session, w.admin, name="Refunds", description="Refund answers")
    assert q.created_by and q.pending == 0
    with pytest.raises(Invalid, match="already exists"):
        queues.create_queue(session, w.admin, name="Refunds")
    with pytest.raises(Invalid, match="required"):
        queues.create_queue(session, w.admin, name="  ")
    filling.add_items(session, w.admin, q.id, "step", _runs(w)[:1])
    item = review.next_item(session, w.expert, q.id)
    review.review_item(session, w.expert, item.item.id, [ScoreInput(w.quality, label="good")])
    assert queues.update_queue(session, w.admin, q.id, name="Refunds v2").name == "Refunds v2"
    queues.delete_queue(session, w.admin, q.id)
    assert session.execute(select(func.count()).select_from(QueueItem)).scalar_one() == 0
    score = session.execute(select(Score).where(Score.step_id == _runs(w)[0])).scalar_one()
    assert score.queue_item_id is None and score.type == "HUMAN"  # the score stays, unlinked
    assert session.get(Step, _runs(w)[0]) is not None


def test_adding_dedupes_pending_items_and_says_how_many(session):
    w = make_world(session)
    qid = _default(session, w.admin)
    first = filling.add_items(session, w.admin, qid, "step", _runs(w)[:4])
    assert (first.added, first.already) == (4, 0)
    again = filling.add_items(session, w.admin, qid, "step", _runs(w)[2:])
    assert (again.added, again.already) == (2, 2)
    assert again.message("Refunds") == "Added 2 items to Refunds; 2 were already there."
    threads = filling.add_items(session, w.admin, qid, "thread", w.thread_ids[:1] * 2)
    assert (threads.added, threads.already) == (1, 0)
    assert queues.get_queue(session, w.admin, qid).pending == 7
    # a reviewed log can be queued again
    item = review.next_item(session, w.expert, qid)
    review.review_item(session, w.expert, item.item.id, [])
    target = item.item.target_id
    assert filling.add_items(session, w.admin, qid, item.item.kind, [target]).added == 1


def test_bad_input_adds_nothing(session):
    w = make_world(session)
    other = make_actor(session, "ADMIN")
    foreign = make_conversation(session, other.project_id).id + "-r0"
    qid = _default(session, w.admin)
    with pytest.raises(NotFound, match="Nothing was added"):
        filling.add_items(session, w.admin, qid, "step", [_runs(w)[0], foreign])
    log_admin.delete_steps(session, w.admin, [_runs(w)[1]])
    with pytest.raises(NotFound, match="not found"):
        filling.add_items(session, w.admin, qid, "step", [_runs(w)[0], _runs(w)[1]])
    with pytest.raises(NotFound, match="queue not found"):
        filling.add_items(session, w.admin, "no-such-queue", "step", [_runs(w)[0]])
    with pytest.raises(NotFound, match="queue not found"):  # another project's queue
        filling.add_items(session, w.admin, _default(session, other), "step", [_runs(w)[0]])
    with pytest.raises(Invalid):
        filling.add_items(session, w.admin, qid, "step", [])
    with pytest.raises(Invalid):
        filling.add_matching(session, w.admin, qid, "scores", LogFilters())
    assert queues.get_queue(session, w.admin, qid).pending == 0


def test_add_all_matching_uses_the_logs_filters_and_the_cap(session, monkeypatch):
    w = make_world(session, 4)
    qid = _default(session, w.admin)
    got = filling.add_matching(session, w.admin, qid, "generations", LogFilters(model="gpt-4o"))
    assert (got.added, got.already, got.capped) == (8, 0, False)
    assert filling.add_matching(session, w.admin, qid, "generations", LogFilters(model="nope")).added == 0
    monkeypatch.setattr(filling, "ADD_CAP", 3)
    capped = filling.add_matching(session, w.admin, qid, "threads", LogFilters())
    assert (capped.added, capped.capped) == (3, True) and "(the first 3 matching rows)" in capped.message()
    kinds = session.execute(select(QueueItem.thread_id).where(QueueItem.thread_id.is_not(None))).scalars().all()
    assert len(kinds) == 3


def test_claims_keep_two_reviewers_apart_and_expire(session):
    w = make_world(session)
    qid = _default(session, w.admin)
    filling.add_items(session, w.admin, qid, "step", _runs(w)[:3])
    a = claims.claim_next(session, w.expert, qid)
    b = claims.claim_next(session, w.expert2, qid)
    assert a and b and a != b
    assert claims.claim_next(session, w.expert, qid) == a  # asking again keeps the same item
    # skip: the next one, and the skipped item becomes free for others
    c = claims.claim_next(session, w.expert, qid, exclude=[a])
    assert c not in (a, b)
    assert claims.claim_next(session, w.expert2, qid, exclude=[b]) == a
    # an expired claim can be taken over; the former holder's review is then refused
    session.execute(update(QueueItem).where(QueueItem.id == a).values(claim_expires_at=utcnow() - timedelta(seconds=1)))
    assert claims.claim_next(session, w.admin, qid) == a
    ctx = review.open_item(session, w.expert2, a)
    assert ctx.held_by  # someone else holds it: shown, not claimed
    with pytest.raises(Invalid, match="is reviewing this item"):
        review.review_item(session, w.expert2, a, [])


def test_assigned_items_come_first_and_are_kept_for_their_assignee(session):
    w = make_world(session)
    qid = _default(session, w.admin)
    filling.add_items(session, w.admin, qid, "step", _runs(w))
    page = items.list_items(session, w.admin, qid)
    last = page.items[-1].id
    assert items.assign_items(session, w.admin, qid, [last], w.expert.member_id) == 1
    assert claims.claim_next(session, w.expert, qid) == last
    assert claims.claim_next(session, w.expert2, qid) == page.items[0].id
    claims.release(session, w.expert, last)
    assert last not in [claims.claim_next(session, w.expert2, qid, exclude=[i.id for i in page.items[:k]])
                        for k in range(1, 5)]
    spread = items.assign_evenly(session, w.admin, qid, [w.expert.member_id, w.expert2.member_id], 4)
    assert spread == {w.expert.member_id: 2, w.expert2.member_id: 2}
    mine = items.list_items(session, w.admin, qid, assignee_id=w.expert2.member_id)
    assert mine.total == 2 and all(i.assignee for i in mine.items)
    with pytest.raises(NotFound, match="not a member"):
        items.assign_items(session, w.admin, qid, [last], make_actor(session, "ADMIN").member_id)
    with pytest.raises(Forbidden):
        items.assign_evenly(session, w.expert, qid, [w.expert.member_id], 1)


def test_review_saves_human_scores_linked_to_schema_and_queue(session):
    w = make_world(session)
    qid = _default(session, w.admin)
    filling.add_items(session, w.admin, qid, "step", [f"{w.thread_ids[0]}-g0"])
    filling.add_items(session, w.admin, qid, "thread", [w.thread_ids[1]])
    ctx = review.next_item(session, w.expert, qid)
    assert ctx.step and ctx.step.generation and ctx.messages and ctx.tree and ctx.pending == 2
    assert '"messages"' in ctx.dataset_input
    _refused(session, Invalid, "between 0 and 1",
             lambda: review.review_item(session, w.expert, ctx.item.id, [ScoreInput(w.relevance, value=3)]))
    _refused(session, Invalid, "Pick one of the categories",
             lambda: review.review_item(session, w.expert, ctx.item.id, [ScoreInput(w.quality, label="meh")]))
    assert items.list_items(session, w.admin, qid).pending == 2  # nothing was kept
    ctx = review.next_item(session, w.expert, qid)
    saved = review.review_item(session, w.expert, ctx.item.id, [ScoreInput(w.quality, label="good", comment="ok"),
                                                                ScoreInput(w.relevance, value=0.75)])
    assert {(s.name, s.value, s.label, s.type, s.created_by_id) for s in saved} == {
        ("quality", 1.0, "good", "HUMAN", w.expert.member_id), ("relevance", 0.75, None, "HUMAN", w.expert.member_id)}
    rows = session.execute(select(Score).where(Score.queue_item_id == ctx.item.id)).scalars().all()
    assert {r.score_schema_id for r in rows} == {w.quality, w.relevance} and all(r.step_id == ctx.item.target_id for r in rows)
    # a re-review by the same reviewer changes their scores instead of adding more
    review.review_item(session, w.expert, ctx.item.id, [ScoreInput(w.quality, label="bad")])
    assert sorted(s.label or "" for s in review.given_scores(session, w.admin.project_id, ctx.item.id)) == ["", "bad"]
    _refused(session, Invalid, "already reviewed",
             lambda: review.review_item(session, w.expert2, ctx.item.id, [ScoreInput(w.quality, label="good")]))
    thread_item = review.next_item(session, w.expert, qid)
    assert thread_item.item.kind == "thread" and thread_item.thread and thread_item.messages
    review.review_item(session, w.expert, thread_item.item.id, [ScoreInput(w.quality, label="bad")])
    anchored = session.execute(select(Score.step_id).where(Score.queue_item_id == thread_item.item.id)).scalar_one()
    assert anchored == f"{w.thread_ids[1]}-a1"  # the conversation's last top-level step
    page = items.list_items(session, w.admin, qid, status="reviewed")
    assert (page.pending, page.reviewed) == (0, 2)
    assert page.items[0].reviewer and any("quality: bad" in s for i in page.items for s in i.scores)
    assert [(p.total, p.today) for p in items.progress(session, w.admin, qid)] == [(2, 2)]


def test_tags_and_dataset_from_a_review(session):
    w = make_world(session)
    qid = _default(session, w.admin)
    step_id = f"{w.thread_ids[0]}-r0"
    filling.add_items(session, w.admin, qid, "step", [step_id])
    ctx = review.next_item(session, w.expert, qid)
    assert review.tag_item(session, w.expert, ctx.item.id, add=["needs-work"]) == ["needs-work"]
    assert review.tag_item(session, w.expert, ctx.item.id, remove=["needs-work"]) == []
    added = review.add_to_dataset(session, w.expert, ctx.item.id, input_text='{"q": "edited"}',
                                  expected_text='{"answer": "better"}', new_dataset="Golden answers")
    assert (added.input, added.expected_output, added.step_id) == ({"q": "edited"}, {"answer": "better"}, step_id)
    ds = datasets.find_dataset(session, w.admin, name="Golden answers")
    assert ds.item_count == 1
    again = review.add_to_dataset(session, w.expert, ctx.item.id, input_text='"plain"', dataset_id=ds.id)
    assert again.input == "plain" and again.metadata["queueItemId"] == ctx.item.id
    with pytest.raises(Invalid, match="not valid JSON"):
        review.add_to_dataset(session, w.expert, ctx.item.id, input_text="{oops", dataset_id=ds.id)
    assert session.execute(select(func.count()).select_from(DatasetItem)).scalar_one() == 2


def test_a_deleted_source_shows_and_can_be_removed_by_a_reviewer(session):
    w = make_world(session)
    qid = _default(session, w.admin)
    filling.add_items(session, w.admin, qid, "step", _runs(w)[:2])
    log_admin.delete_steps(session, w.admin, [_runs(w)[0]])
    page = items.list_items(session, w.admin, qid)
    gone = next(i for i in page.items if i.target_id == _runs(w)[0])
    kept = next(i for i in page.items if i.target_id == _runs(w)[1])
    assert gone.source_deleted and not kept.source_deleted
    ctx = review.open_item(session, w.expert, gone.id)
    assert ctx.item.source_deleted and ctx.step is None
    _refused(session, Invalid, "source of this item was deleted",
             lambda: review.review_item(session, w.expert, gone.id, [ScoreInput(w.quality, label="good")]))
    with pytest.raises(Forbidden):
        items.remove_items(session, w.expert, qid, [kept.id])
    assert items.remove_items(session, w.expert, qid, [gone.id]) == 1
    assert items.remove_items(session, w.admin, qid, [kept.id]) == 1
    assert queues.get_queue(session, w.admin, qid).pending == 0


def test_domain_experts_review_but_do_not_manage(session):
    w = make_world(session)
    qid = _default(session, w.admin)
    for call in (lambda: queues.create_queue(session, w.expert, name="Mine"),
                 lambda: queues.delete_queue(session, w.expert, qid),
                 lambda: filling.add_items(session, w.expert, qid, "step", _runs(w)[:1]),
                 lambda: filling.add_matching(session, w.expert, qid, "runs", LogFilters()),
                 lambda: items.assign_items(session, w.expert, qid, ["x"], None)):
        with pytest.raises(Forbidden, match="annotation queues"):
            call()


def _work(engine, actor, queue_id, schema_id, done: list, errors: list) -> None:
    """One reviewer taking items and reviewing them until none is left for them."""
    try:
        while True:
            with session_scope(engine) as s:
                item_id = claims.claim_next(s, actor, queue_id)
            if item_id is None:
                return
            with session_scope(engine) as s:
                review.review_item(s, actor, item_id, [ScoreInput(schema_id, label="good")])
            done.append(item_id)
    except Exception as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)


def test_two_reviewers_at_once_never_review_an_item_twice_and_lose_no_score(engine):
    with Session(engine, expire_on_commit=False) as s:
        w = make_world(s, 10)
        qid = _default(s, w.admin)
        filling.add_items(s, w.admin, qid, "step", [f"{t}-{k}{n}" for t in w.thread_ids for k in "rg" for n in range(2)])
        s.commit()
    done_a, done_b, errors = [], [], []
    workers = [threading.Thread(target=_work, args=(engine, w.expert, qid, w.quality, done_a, errors)),
               threading.Thread(target=_work, args=(engine, w.expert2, qid, w.quality, done_b, errors))]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=120)
    assert not errors
    assert len(done_a) + len(done_b) == 40 and not set(done_a) & set(done_b)
    with Session(engine) as s:
        reviewed = s.execute(select(QueueItem.reviewer_id, func.count()).where(QueueItem.queue_id == qid,
                                                                               QueueItem.status == "reviewed")
                             .group_by(QueueItem.reviewer_id)).all()
        expected = {w.expert.member_id: len(done_a), w.expert2.member_id: len(done_b)}
        # A reviewer who got no item (the other one won every claim) has no row in the grouped count.
        assert dict(reviewed) == {member: n for member, n in expected.items() if n}
        assert s.execute(select(func.count()).select_from(Score).where(Score.queue_item_id.is_not(None))).scalar_one() == 40
        per_item = s.execute(select(Score.queue_item_id, func.count()).group_by(Score.queue_item_id)).all()
        assert all(n == 1 for _, n in per_item)
