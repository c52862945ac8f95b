"""Online evaluation rules on SQLite and PostgreSQL: runs queued by ingestion (complete steps only,
sampled, once per rule and step), executed (filters, scores, judge errors retried then failed, a
rule pausing itself when its credential goes), the runs log and retrying failed runs."""

import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from literal_app.models.evals import RuleRun
from literal_app.models.tracing import Score, Step
from literal_app.services.evaluation import backlog, builtins, online_rules, rule_execution, rule_runs, scorers
from literal_app.services.evaluation.online_rules import RuleInput
from literal_app.services.ingestion import ingest_steps
from literal_app.services.evaluation.backlog import sampled
from literal_app.services.kernel.errors import Invalid
from literal_app.services.providers import credentials as creds
from literal_app.services.providers import transport
from tests.factories import make_actor
from tests.fake_llm import start_fake_llm

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def fake():
    server = start_fake_llm()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    monkeypatch.setattr(transport, "BASE_DELAY", 0.01)
    monkeypatch.setattr(rule_execution, "BACKOFF", (0.01,))


def _step(step_id=None, *, complete=True, tags=None, output="Paris", type="run", **extra):
    item = {"id": step_id or str(uuid.uuid4()), "type": type, "name": "answer", "start_time": T0.isoformat(),
            "input": {"content": "Capital of France?"}, "output": {"content": output} if output else None,
            "tags": tags, **extra}
    if complete:
        item["end_time"] = (T0 + timedelta(seconds=1)).isoformat()
    return item


def _contains_rule(session, actor, **kw):
    scorer = scorers.create_scorer(session, actor, scorers.ScorerInput(
        "Says Paris", "code", {"metric": "contains", "params": {"value": "Paris"}}))
    return online_rules.create_rule(session, actor, RuleInput(name="Paris check", scorer_id=scorer.id, **kw))


def _ingest(session, actor, items):
    """Ingest, then expand the backlog into runs (the drain job's first step)."""
    assert all(r.ok for r in ingest_steps(session, actor, items))
    session.flush()
    backlog.expand(session, actor.project_id)


def _runs(session, rule_id):
    return session.execute(select(RuleRun).where(RuleRun.rule_id == rule_id)).scalars().all()


def _execute(session, project_id, step_ids):
    claimed = rule_execution.claim(session, project_id, step_ids)
    return rule_execution.evaluate(session, project_id, claimed)


def test_complete_steps_are_queued_once_and_scored_once(session):
    actor = make_actor(session)
    rule = _contains_rule(session, actor)
    done, open_ = _step(), _step(complete=False)
    _ingest(session, actor, [done, open_, _step(type="tool")])
    _ingest(session, actor, [done])  # the SDK sends it again
    assert [r.step_id for r in _runs(session, rule.id)] == [done["id"]]
    assert _execute(session, actor.project_id, [done["id"]]) == {"done": 1}
    assert _execute(session, actor.project_id, [done["id"]]) == {}  # nothing left to claim
    _ingest(session, actor, [{"id": open_["id"], "end_time": (T0 + timedelta(seconds=2)).isoformat()}])
    assert _execute(session, actor.project_id, [open_["id"]]) == {"done": 1}  # evaluated once complete
    scores = session.execute(select(Score).where(Score.project_id == actor.project_id)).scalars().all()
    assert sorted((s.step_id, s.name, s.type, s.value) for s in scores) == sorted(
        [(done["id"], "Says Paris", "CODE", 1.0), (open_["id"], "Says Paris", "CODE", 1.0)])
    log = rule_runs.list_runs(session, actor, rule.id)
    assert {r.status for r in log} == {"done"} and log[0].reason
    assert online_rules.get_rule(session, actor, rule.id).counts["done"] == 2
    today = datetime.now(timezone.utc).date()  # the dashboard card follows the dashboard's dates
    card = rule_runs.online_scores_over_time(session, actor, today - timedelta(days=2), today)
    assert [(p.series, p.average, p.count) for p in card] == [("Paris check", 1.0, 2)]
    assert rule_runs.online_scores_over_time(session, actor, today - timedelta(days=9), today - timedelta(days=3)) == []


def test_filters_sampling_environment_and_step_name(session):
    actor = make_actor(session)
    rule = _contains_rule(session, actor, filters={"tags": "prod"}, step_name="answer", environment="production")
    tagged, untagged = _step(tags=["prod"]), _step(tags=["dev"])
    other_env = _step(tags=["prod"])
    _ingest(session, replace(actor, environment="production"), [tagged, untagged])
    _ingest(session, replace(actor, environment="staging"), [other_env])
    queued = {r.step_id for r in _runs(session, rule.id)}
    assert other_env["id"] not in queued  # another environment
    _execute(session, actor.project_id, [tagged["id"], untagged["id"]])
    assert {r.step_id: r.status for r in _runs(session, rule.id)} == {tagged["id"]: "done"}  # untagged dropped
    assert [sampled("r", str(i), 0.0) for i in range(5)] == [False] * 5
    share = sum(sampled("rule", str(i), 0.1) for i in range(5000)) / 5000
    assert 0.08 < share < 0.12 and sampled("rule", "x", 0.1) == sampled("rule", "x", 0.1)


def test_rule_checks_and_pause(session):
    actor = make_actor(session)
    rule = _contains_rule(session, actor)
    with pytest.raises(Invalid, match="between 0 and 100"):
        online_rules.update_rule(session, actor, rule.id, RuleInput("x", rule.scorer_id, sample_percent=150))
    with pytest.raises(Invalid, match="minimum duration"):
        online_rules.update_rule(session, actor, rule.id, RuleInput("x", rule.scorer_id, filters={"dmin": "fast"}))
    online_rules.set_active(session, actor, rule.id, False)
    _ingest(session, actor, [_step()])
    assert _runs(session, rule.id) == []  # a paused rule queues nothing
    with pytest.raises(Invalid, match="Paris check"):
        scorers.delete_scorer(session, actor, rule.scorer_id)
    online_rules.delete_rule(session, actor, rule.id)
    assert online_rules.list_rules(session, actor) == []


def _judge_rule(session, actor, fake, model):
    cred = creds.create_credential(session, actor, creds.CredentialInput(
        "openai", "Judge key", api_key="sk-test-key-0000", base_url=fake.base("openai"), models=[model]))
    judge = builtins.copy_builtin(session, actor, "toxicity", credential_id=cred.id, model=model)
    rule = online_rules.create_rule(session, actor, RuleInput(name="Toxic?", scorer_id=judge.id,
                                                              log_type="generation"))
    return cred, judge, rule


def _generation():
    return _step(type="llm", output="You are great", generation={
        "type": "CHAT", "provider": "openai", "model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}],
        "messageCompletion": {"role": "assistant", "content": "You are great"}, "variables": {"name": "Ann"}})


def test_a_judge_rule_scores_and_logs_its_call_apart(session, fake):
    actor = make_actor(session)
    _, judge, rule = _judge_rule(session, actor, fake, f"judge-fail500x2-{uuid.uuid4().hex[:6]}")  # two 5xx, then an answer
    gen = _generation()
    _ingest(session, actor, [gen])
    assert _execute(session, actor.project_id, [gen["id"]]) == {"done": 1}
    run = _runs(session, rule.id)[0]
    assert run.label == "toxic" and run.value == 1.0 and run.tokens > 0 and run.reason.startswith("Judged")
    judge_step = session.get(Step, run.judge_step_id)
    assert judge_step.environment == "evaluation" and judge_step.tags == ["evaluation"] and judge_step.type == "llm"
    _ingest(session, actor, [{"id": judge_step.id, "type": "llm", "end_time": T0.isoformat()}])
    assert len(_runs(session, rule.id)) == 1  # judge generations are never evaluated
    assert session.execute(select(Score).where(Score.step_id == gen["id"])).scalar_one().type == "AI"


@pytest.mark.parametrize("model,message", [("judge-error401", "401"), ("judge-fail429x9", "429")])
def test_provider_errors_are_retried_then_recorded_failed(session, fake, model, message):
    actor = make_actor(session)
    _, _, rule = _judge_rule(session, actor, fake, f"{model}-{uuid.uuid4().hex[:6]}")  # counts per model name
    gen = _generation()
    _ingest(session, actor, [gen])
    assert _execute(session, actor.project_id, [gen["id"]]) == {"failed": 1}
    run = _runs(session, rule.id)[0]
    assert message in run.error and run.value is None
    assert session.execute(select(Score).where(Score.step_id == gen["id"])).first() is None
    assert rule_runs.retry_failed(session, actor, rule.id) == 1
    assert _runs(session, rule.id)[0].status == "queued"


def test_a_rule_whose_credential_is_deleted_pauses_itself(session, fake):
    actor = make_actor(session)
    cred, _, rule = _judge_rule(session, actor, fake, "judge")
    gen = _generation()
    _ingest(session, actor, [gen])
    creds.delete_credential(session, actor, cred.id)
    session.expire_all()
    assert _execute(session, actor.project_id, [gen["id"]]) == {"failed": 1}
    read = online_rules.get_rule(session, actor, rule.id)
    assert not read.active and "credential was deleted" in read.paused_reason


def test_a_judge_keeps_its_settings_and_answers_by_tool_call_on_a_picked_step(session, fake):
    from literal_app.services.evaluation import try_it

    actor = make_actor(session)
    cred, judge, _ = _judge_rule(session, actor, fake, "judge-tools")
    config = {**judge.config, "answer_with": "tool",
              "settings": {"temperature": "0.2", "max_tokens": "300", "top_p": "0.9", "stop": "END, STOP"}}
    data = scorers.ScorerInput(judge.name, "llm_judge", config, None, judge.score_schema_id, cred.id, "judge-tools")
    saved = scorers.update_scorer(session, actor, judge.id, data)
    assert saved.config["answer_with"] == "tool"
    assert saved.config["settings"] == {"temperature": 0.2, "max_tokens": 300, "top_p": 0.9, "stop": ["END", "STOP"]}
    with pytest.raises(Invalid, match="Temperature must be between 0 and 2"):
        scorers.update_scorer(session, actor, judge.id, replace(data, config={**config, "settings": {"temperature": "7"}}))
    with pytest.raises(Invalid, match="structured output or a tool call"):
        scorers.update_scorer(session, actor, judge.id, replace(data, config={**config, "answer_with": "telepathy"}))
    gen = _generation()
    other = _step(output="Berlin")
    _ingest(session, actor, [gen, other])
    picked = try_it.recent_steps(session, actor, "generations")
    assert [c.id for c in picked] == [gen["id"]] and picked[0].output
    assert [c.id for c in try_it.recent_steps(session, actor, "runs", "Berlin")] == [other["id"]]
    result = try_it.try_on_step(session, actor, judge.id, picked[0].id)
    assert result.error is None and result.label == "toxic" and result.tokens > 0  # parsed from the tool call
    judge_step = session.get(Step, result.judge_step_id)
    assert judge_step.generation["settings"]["max_tokens"] == 300 and judge_step.environment == "evaluation"
    assert judge.id not in [c.id for c in try_it.recent_steps(session, actor, "steps")]  # judge calls not offered
    assert result.judge_step_id not in [c.id for c in try_it.recent_steps(session, actor, "steps")]
