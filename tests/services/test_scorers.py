"""Scorer CRUD and ``run_scorer`` for code and embedding scorers, on SQLite and PostgreSQL."""

import pytest

from literal_app.models.evals import OnlineEvalRule
from literal_app.services.evaluation import embeddings, scorers
from literal_app.services.evaluation.scorers import ScorerInput
from literal_app.services.evaluation.scoring import run_scorer
from literal_app.services.kernel.errors import Forbidden, Invalid, NotFound
from tests.factories import make_actor


def _code(name="Exact", metric="exact_match", **params):
    return ScorerInput(name=name, kind="code", config={"metric": metric, "params": params})


def test_create_list_update_delete(session):
    actor = make_actor(session)
    made = scorers.create_scorer(session, actor, _code(description=None))
    assert made.kind_label == "Code" and made.config == {"metric": "exact_match", "params": {}}
    edited = scorers.update_scorer(session, actor, made.id, _code("Has refund", "contains", value="refund"))
    assert edited.name == "Has refund" and edited.config["params"] == {"value": "refund"}
    assert [s.name for s in scorers.list_scorers(session, actor)] == ["Has refund"]
    scorers.delete_scorer(session, actor, made.id)
    assert scorers.list_scorers(session, actor) == []


def test_names_are_unique_per_project_and_bad_configs_are_refused(session):
    actor = make_actor(session)
    scorers.create_scorer(session, actor, _code())
    with pytest.raises(Invalid, match="already exists"):
        scorers.create_scorer(session, actor, _code())
    with pytest.raises(Invalid, match="not valid"):
        scorers.create_scorer(session, actor, _code("Bad", "regex", pattern="(x"))
    with pytest.raises(Invalid, match="A scorer is one of"):
        scorers.create_scorer(session, actor, ScorerInput(name="Py", kind="python", config={"code": "1"}))
    other = make_actor(session)  # another project may reuse the name
    scorers.create_scorer(session, other, _code())


def test_domain_experts_read_but_do_not_edit_or_run(session):
    admin = make_actor(session)
    made = scorers.create_scorer(session, admin, _code())
    expert = make_actor(session, "DOMAIN_EXPERT", project_id=admin.project_id)
    assert scorers.get_scorer(session, expert, made.id).name == "Exact"
    with pytest.raises(Forbidden):
        scorers.create_scorer(session, expert, _code("Mine"))
    with pytest.raises(Forbidden):
        run_scorer(session, expert, made.id, input="q", output="a", expected_output="a")


def test_another_projects_scorer_is_not_found(session):
    made = scorers.create_scorer(session, make_actor(session), _code())
    stranger = make_actor(session)
    with pytest.raises(NotFound):
        scorers.get_scorer(session, stranger, made.id)
    with pytest.raises(NotFound):
        run_scorer(session, stranger, made.id, input="q", output="a")


def test_a_scorer_used_by_a_rule_cannot_be_deleted(session):
    actor = make_actor(session)
    made = scorers.create_scorer(session, actor, _code())
    session.add(OnlineEvalRule(project_id=actor.project_id, name="Prod answers", scorer_id=made.id))
    session.flush()
    assert scorers.get_scorer(session, actor, made.id).rule_count == 1
    with pytest.raises(Invalid, match="Prod answers"):
        scorers.delete_scorer(session, actor, made.id)


def test_run_scorer_answers_a_code_score_or_the_reason_it_could_not(session):
    actor = make_actor(session)
    exact = scorers.create_scorer(session, actor, _code())
    result = run_scorer(session, actor, exact.id, input="Capital of France?", output={"content": "Paris"},
                        expected_output="Paris")
    assert (result.value, result.label, result.type, result.name, result.error) == (1.0, "pass", "CODE", "Exact", None)
    missing = run_scorer(session, actor, exact.id, input="q", output="Paris")
    assert missing.value is None and "No expected output" in missing.error and not missing.retryable


def test_the_embedding_scorer_ranks_a_paraphrase_above_an_unrelated_sentence(session):
    actor = make_actor(session)
    made = scorers.create_scorer(session, actor, ScorerInput(name="Semantic", kind="embedding",
                                                             config={"threshold": 0.6}))
    expected = "The meeting has been moved to Thursday afternoon."
    close = run_scorer(session, actor, made.id, input="", output="We rescheduled the meeting to Thursday afternoon.",
                       expected_output=expected)
    far = run_scorer(session, actor, made.id, input="", output="Bananas are rich in potassium.",
                     expected_output=expected)
    assert 0 <= far.value < close.value <= 1
    assert close.label == "pass" and far.label == "fail"
    assert embeddings.similarity(expected, expected) == pytest.approx(1.0, abs=1e-3)
