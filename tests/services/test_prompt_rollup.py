"""The per-version prompt rollup (kept by database triggers) equals a scan of the steps and scores
after every kind of write, on SQLite and PostgreSQL: ingestion through the SDK's path (steps with
scores, re-sent steps, a score that arrives before its step), score create/update/delete, step and
thread deletion, a step moved to another day, compaction, and deleting the prompt (unlinking)."""

import dataclasses
import uuid
from collections import defaultdict
from datetime import timedelta

import pytest
from sqlmodel import select

from literal_app.models.prompts import PromptRollup, PromptRollupDelta
from literal_app.models.tracing import Score, Step
from literal_app.models.types import utcnow
from literal_app.services.ingestion.writer import ingest_steps
from literal_app.services.logs import scores as score_service
from literal_app.services.logs import steps as step_service
from literal_app.services.logs import threads
from literal_app.services.prompts import library, prompt_rollups, prompts
from tests.factories import make_actor


def _scan(session, project_id: str) -> tuple[dict, list]:
    """What the rollup must hold, computed in Python from the rows themselves."""
    steps = {s.id: s for s in session.exec(select(Step).where(Step.project_id == project_id,
                                                              Step.prompt_version_id.is_not(None))).all()}
    out: dict = defaultdict(lambda: [0] * 14)
    days: dict = defaultdict(int)
    for s in steps.values():
        m = out[(s.prompt_version_id, "")]
        m[0] += 1
        days[(s.created_at.date(), s.prompt_version_id)] += 1
        for i, v in ((1, s.duration), (4, s.cost), (6, s.input_token_count), (8, s.output_token_count),
                     (10, s.token_count)):
            if v is not None:
                m[i] += 1
                m[i + 1] += v
        if s.duration is not None:
            m[3] += s.duration * s.duration
    for c in session.exec(select(Score).where(Score.step_id.in_(list(steps) or [""]))).all():
        m = out[(steps[c.step_id].prompt_version_id, c.name)]
        m[0] += 1
        m[12] += c.value
        m[13] += c.value * c.value
    return dict(out), sorted((d, vid, n) for (d, vid), n in days.items())


def _assert_exact(session, project_id, lineage_id):
    expected, expected_days = _scan(session, project_id)
    got = prompt_rollups.totals(session, project_id, [lineage_id])
    assert set(got) == set(expected)
    for key, sums in got.items():
        assert list(vars(sums).values()) == pytest.approx(expected[key], rel=1e-9, abs=1e-9), key
    since = utcnow().date() - timedelta(days=400)
    assert sorted(prompt_rollups.daily(session, project_id, [lineage_id], since)) == expected_days


def _gen(pid: str, *, duration=None, tokens=(None, None), scores=(), thread=None, step_id=None) -> dict:
    generation = {"provider": "openai", "model": "gpt-4o-mini", "promptId": pid, "duration": duration,
                  "inputTokenCount": tokens[0], "outputTokenCount": tokens[1], "messages": [], "type": "CHAT"}
    return {"id": step_id or str(uuid.uuid4()), "type": "llm", "name": "answer", "thread_id": thread,
            "generation": {k: v for k, v in generation.items() if v is not None},
            "scores": [{"name": n, "type": "AI", "value": v} for n, v in scores]}


def test_rollup_equals_the_scan_through_every_write(session):
    actor = make_actor(session)
    lineage = prompts.get_or_create_lineage(session, actor, name="support")
    v0, v1 = (prompts.create_version(session, actor, lineage_id=lineage.id, changelog=f"v{i}",
                                     template_messages=[{"role": "user", "content": f"hi {i}"}]) for i in range(2))
    thread = str(uuid.uuid4())
    early = str(uuid.uuid4())  # its score arrives first
    score_service.create_score(session, actor, name="quality", type="HUMAN", value=0.25, step_id=early)
    items = [_gen(v0.id, duration=1.0, tokens=(100, 20), scores=[("quality", 1.0), ("ok", 1)], thread=thread),
             _gen(v0.id, duration=2.5, tokens=(200, 40), scores=[("quality", 0.0)], thread=thread),
             _gen(v0.id, tokens=(300, None)),  # no latency, no output tokens
             _gen(v1.id, duration=0.5, scores=[("quality", 0.5)]),
             _gen(None, duration=9.0, scores=[("quality", 1.0)]),  # no prompt: never counted
             _gen(v1.id, duration=0.75, step_id=early)]
    assert all(r.ok for r in ingest_steps(session, actor, items))
    session.flush()
    _assert_exact(session, actor.project_id, lineage.id)
    assert prompt_rollups.totals(session, actor.project_id, [lineage.id])[(v1.id, "quality")].n == 2  # the early score
    # A re-sent step with another version and latency moves its figures and its scores.
    moved = {**items[0], "generation": {**items[0]["generation"], "promptId": v1.id, "duration": 4.0}, "scores": []}
    assert all(r.ok for r in ingest_steps(session, actor, [moved]))
    session.flush()
    _assert_exact(session, actor.project_id, lineage.id)
    first_score = session.exec(select(Score).where(Score.step_id == items[1]["id"])).first()
    sdk = dataclasses.replace(actor, api_key_id="sdk-key")  # the SDKs' updateScore / deleteScore
    score_service.update_score(session, sdk, first_score.id, value=0.75)
    added = score_service.create_score(session, actor, name="ok", type="CODE", value=0.0, step_id=items[3]["id"])
    score_service.delete_score(session, sdk, session.exec(select(Score.id).where(
        Score.step_id == items[0]["id"], Score.name == "ok")).first())
    session.flush()
    _assert_exact(session, actor.project_id, lineage.id)
    step = session.get(Step, items[2]["id"])
    step.created_at = step.created_at - timedelta(days=3)  # another day
    session.add(step)
    session.flush()
    _assert_exact(session, actor.project_id, lineage.id)
    prompt_rollups.compact(session, actor.project_id)
    assert session.exec(select(PromptRollupDelta).where(PromptRollupDelta.project_id == actor.project_id)).first() is None
    _assert_exact(session, actor.project_id, lineage.id)
    step_service.delete_step(session, actor, items[3]["id"])  # with its scores, 'added' among them
    threads.delete_thread(session, actor, thread)
    session.flush()
    assert score_service.get_score(session, actor, added.id) is None
    _assert_exact(session, actor.project_id, lineage.id)
    assert library.delete_prompt(session, actor, lineage.id).generations_unlinked == 2
    session.flush()
    assert prompt_rollups.totals(session, actor.project_id, [lineage.id]) == {}
    prompt_rollups.compact(session, actor.project_id)  # the rows of zeros left behind are dropped
    assert session.exec(select(PromptRollup).where(PromptRollup.project_id == actor.project_id)).first() is None


def test_recent_use_counts_exactly_at_the_window_edge(session):
    actor = make_actor(session)
    lineage = prompts.get_or_create_lineage(session, actor, name="edge")
    v = prompts.create_version(session, actor, lineage_id=lineage.id, changelog="v0",
                               template_messages=[{"role": "user", "content": "hi"}])
    now = utcnow()
    for age in (timedelta(days=7, minutes=-5), timedelta(days=7, minutes=5), timedelta(days=3), timedelta(0)):
        session.add(Step(id=str(uuid.uuid4()), project_id=actor.project_id, type="llm", prompt_version_id=v.id,
                         created_at=now - age))
    session.flush()
    assert library.list_prompts(session, actor).rows[0].generations_7d == 3


def test_compaction_repairs_a_score_committed_concurrently_with_its_step(engine):
    """PostgreSQL: a score and its step written by two transactions at once, both committed; neither
    trigger saw the other's row, so the rollup misses the score until compaction repairs it."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as s:
        actor = make_actor(s)
        lineage = prompts.get_or_create_lineage(s, actor, name="racy")
        v0 = prompts.create_version(s, actor, lineage_id=lineage.id, changelog="v0",
                                    template_messages=[{"role": "user", "content": "hi"}])
        s.commit()
    step_id = str(uuid.uuid4())
    with Session(engine) as scores, Session(engine) as steps:
        scores.add(Score(project_id=actor.project_id, step_id=step_id, name="quality", type="HUMAN", value=0.75))
        scores.flush()  # in flight: the step's trigger will not see it
        steps.add(Step(id=step_id, project_id=actor.project_id, type="llm", name="answer", prompt_version_id=v0.id,
                       created_at=utcnow(), duration=1.5))
        steps.flush()  # in flight: the score's trigger did not see it
        scores.commit()
        steps.commit()
    with Session(engine) as s:
        missed = prompt_rollups.totals(s, actor.project_id, [lineage.id])
        assert (v0.id, "quality") not in missed and missed[(v0.id, "")].n == 1  # the race happened
        prompt_rollups.compact(s, actor.project_id)
        s.commit()
        _assert_exact(s, actor.project_id, lineage.id)
        prompt_rollups.compact(s, actor.project_id)  # nothing more to repair: the figures stay
        s.commit()
        _assert_exact(s, actor.project_id, lineage.id)
        assert prompt_rollups.totals(s, actor.project_id, [lineage.id])[(v0.id, "quality")].n == 1
