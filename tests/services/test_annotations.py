"""Annotating from the UI (tags, human scores), score schemas, and deleting logs, on both dialects."""

import pytest

from literal_app.models.tracing import Participant, Score, Step, Thread
from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.errors import Forbidden, Invalid, NotFound
from literal_app.services.logs import annotations, log_admin, scores, step_detail, tags
from tests.factories import make_actor
from tests.log_factories import make_conversation, make_participant, make_score


def _schemas(session, actor):
    cat = score_schemas.create_score_schema(
        session, actor, name="helpfulness", type="categorical", description="Did it help?",
        categories=[{"label": "bad", "value": 0}, {"label": "good", "value": 1, "description": "Helpful"}])
    cont = score_schemas.create_score_schema(session, actor, name="accuracy", type="continuous",
                                             min_value=0, max_value=10)
    return cat, cont


def test_score_schema_crud_and_validation(session):
    admin = make_actor(session)
    cat, cont = _schemas(session, admin)
    assert [s.name for s in score_schemas.list_score_schemas(session, admin)] == ["accuracy", "helpfulness"]
    assert [(c.label, c.value) for c in cat.categories] == [("bad", 0.0), ("good", 1.0)]
    for bad in (dict(type="categorical", categories=[]), dict(type="continuous", min_value=5, max_value=1),
                dict(type="categorical", categories=[{"label": "a", "value": "x"}]),
                dict(type="categorical", categories=[{"label": "a", "value": 1}, {"label": "a", "value": 2}]),
                dict(type="ranked")):
        with pytest.raises(Invalid):
            score_schemas.create_score_schema(session, admin, name="other", **bad)
    with pytest.raises(Invalid, match="already exists"):
        score_schemas.create_score_schema(session, admin, name="accuracy", type="continuous", min_value=0, max_value=1)
    upd = score_schemas.update_score_schema(session, admin, cont.id, name="accuracy", type="continuous",
                                            min_value=-1, max_value=1, description="new")
    assert (upd.min_value, upd.description) == (-1, "new")
    expert = make_actor(session, "DOMAIN_EXPERT", project_id=admin.project_id)
    assert len(score_schemas.list_score_schemas(session, expert)) == 2
    with pytest.raises(Forbidden):
        score_schemas.delete_score_schema(session, expert, cont.id)
    score_schemas.delete_score_schema(session, admin, cont.id)
    assert [s.name for s in score_schemas.list_score_schemas(session, admin)] == ["helpfulness"]


def test_scores_from_schemas_and_free_numbers(session):
    admin = make_actor(session)
    expert = make_actor(session, "DOMAIN_EXPERT", project_id=admin.project_id)
    cat, cont = _schemas(session, admin)
    t = make_conversation(session, admin.project_id, turns=1)
    run = f"{t.id}-r0"
    s1 = scores.add_human_score(session, expert, run, schema_id=cat.id, label="good", comment=" nice ")
    assert (s1.name, s1.value, s1.label, s1.comment, s1.type) == ("helpfulness", 1.0, "good", "nice", "HUMAN")
    s2 = scores.add_human_score(session, expert, run, schema_id=cont.id, value="7.5")
    s3 = scores.add_human_score(session, expert, run, name="tone", value=3)
    assert (s2.value, s3.name, s3.score_schema_id) == (7.5, "tone", None)
    with pytest.raises(Invalid, match="between 0 and 10"):
        scores.add_human_score(session, expert, run, schema_id=cont.id, value=11)
    with pytest.raises(Invalid, match="categories"):
        scores.add_human_score(session, expert, run, schema_id=cat.id, label="meh")
    with pytest.raises(Invalid):
        scores.add_human_score(session, expert, run, name="tone", value="high")
    with pytest.raises(NotFound):
        scores.add_human_score(session, expert, "nope", name="tone", value=1)
    edited = scores.update_score(session, expert, s1.id, label="bad", comment="changed my mind")
    assert (edited.value, edited.label, edited.comment) == (0.0, "bad", "changed my mind")
    other = make_actor(session, "AI_ENGINEER", project_id=admin.project_id)
    with pytest.raises(Forbidden, match="only the scores you gave"):
        scores.delete_score(session, other, s1.id)
    ai = make_score(session, admin.project_id, run, "judge", 0.5, type="AI")
    with pytest.raises(Forbidden):
        scores.update_score(session, admin, ai.id, value=1)
    scores.delete_score(session, expert, s3.id)
    names = [s.name for s in step_detail.get_step_detail(session, admin, run).scores]
    assert sorted(names) == ["accuracy", "helpfulness", "judge"]


def test_tags_added_and_removed_in_bulk(session):
    admin = make_actor(session)
    expert = make_actor(session, "DOMAIN_EXPERT", project_id=admin.project_id)
    a = make_conversation(session, admin.project_id, turns=1, tags=["old"])
    b = make_conversation(session, admin.project_id, turns=1)
    out = annotations.change_tags(session, expert, "thread", [a.id, b.id], add=["reviewed", "reviewed"])
    assert out == {a.id: ["old", "reviewed"], b.id: ["reviewed"]}
    out = annotations.change_tags(session, expert, "thread", [a.id], remove=["old"])
    assert out[a.id] == ["reviewed"] and session.get(Thread, a.id).tags == ["reviewed"]
    annotations.change_tags(session, expert, "step", [f"{a.id}-r0"], add=["bug"])
    assert session.get(Step, f"{a.id}-r0").tags == ["bug"]
    assert {t.name for t in tags.list_tags(session, admin)} >= {"reviewed", "bug"}
    with pytest.raises(Invalid):
        annotations.change_tags(session, expert, "thread", [a.id], add=[" "])
    with pytest.raises(NotFound):
        annotations.change_tags(session, expert, "thread", ["missing"], add=["x"])


def test_delete_logs_keeps_aggregates_right_and_needs_write(session):
    admin = make_actor(session)
    expert = make_actor(session, "DOMAIN_EXPERT", project_id=admin.project_id)
    p = make_participant(session, admin.project_id, thread_count=2, token_count=400, cost=0.04)
    a = make_conversation(session, admin.project_id, turns=2, participant_id=p.id)
    b = make_conversation(session, admin.project_id, turns=2, participant_id=p.id)
    make_score(session, admin.project_id, f"{a.id}-r0")
    with pytest.raises(Forbidden):
        log_admin.delete_threads(session, expert, [a.id])
    with pytest.raises(Forbidden):
        log_admin.delete_steps(session, expert, [f"{b.id}-r0"])
    assert log_admin.delete_steps(session, admin, [f"{b.id}-r0"]) == 2  # the run and its generation
    session.expire_all()
    tb = session.get(Thread, b.id)
    assert (tb.step_count, tb.token_count) == (6, 100)
    assert log_admin.delete_threads(session, admin, [a.id, "missing"]) == 1
    session.expire_all()
    assert session.get(Thread, a.id) is None
    assert session.query(Step).filter(Step.thread_id == a.id).count() == 0
    assert session.query(Score).filter(Score.step_id == f"{a.id}-r0").count() == 0
    pp = session.get(Participant, p.id)
    assert (pp.thread_count, pp.token_count) == (1, 100)
    with pytest.raises(Invalid):
        log_admin.delete_threads(session, admin, [])
