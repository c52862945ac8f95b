"""The prompt library's services on SQLite and PostgreSQL: the prompts list (latest/default versions,
tags, generations in 7 days, last change), tags, deprecation, rollout validation and history,
deleting a prompt, the version diff, and per-version aggregates checked against hand-computed values."""

import random
import uuid
from collections import Counter
from datetime import timedelta

import pytest

from literal_app.models.tracing import Score, Step
from literal_app.models.types import utcnow
from literal_app.services.kernel.errors import Forbidden, Invalid, NotFound
from literal_app.services.evaluation import score_schemas
from literal_app.services.prompts import library, prompt_diff, prompt_results, prompt_rollouts, prompts
from tests.factories import make_actor

MSG = [{"role": "system", "content": "You are {{persona}}.\nBe brief."}, {"role": "user", "content": "{{q}}"}]


def _prompt(session, actor, name="support", versions=3):
    lineage = prompts.get_or_create_lineage(session, actor, name=name)
    out = []
    for i in range(versions):
        msgs = [{**MSG[0], "content": MSG[0]["content"] + " v" * i}, MSG[1]]
        out.append(prompts.create_version(session, actor, lineage_id=lineage.id, template_messages=msgs,
                                          settings={"provider": "openai", "model": "gpt-4o", "temperature": i / 10},
                                          changelog=f"change {i}"))
    return lineage, out


def _gen(session, actor, version_id, *, duration=None, cost=None, tokens=(None, None), age_days=0, scores=()):
    step = Step(id=str(uuid.uuid4()), project_id=actor.project_id, type="llm", prompt_version_id=version_id,
                duration=duration, cost=cost, input_token_count=tokens[0], output_token_count=tokens[1],
                token_count=(tokens[0] or 0) + (tokens[1] or 0) if tokens[0] is not None else None,
                created_at=utcnow() - timedelta(days=age_days))
    session.add(step)
    for name, value in scores:
        session.add(Score(project_id=actor.project_id, step_id=step.id, name=name, value=value))
    session.flush()
    return step


def test_prompts_list_shows_versions_defaults_tags_and_recent_use(session):
    actor = make_actor(session)
    lineage, versions = _prompt(session, actor, "support")
    other, _ = _prompt(session, actor, "translate", versions=1)
    prompt_rollouts.update_rollouts(session, actor, "support", [{"version": 1, "rollout": 30},
                                                                {"version": 2, "rollout": 70}])
    _gen(session, actor, versions[1].id)
    _gen(session, actor, versions[2].id, age_days=2)
    _gen(session, actor, versions[2].id, age_days=9)  # older than a week
    assert library.set_tags(session, actor, lineage.id, add=["prod", "support", "prod"]) == ["prod", "support"]
    assert library.set_tags(session, actor, lineage.id, remove=["support"]) == ["prod"]
    page = library.list_prompts(session, actor)
    assert [r.name for r in page.rows] == ["support", "translate"] and page.total == 2
    row = page.rows[0]
    assert (row.latest_version, row.defaults, row.tags, row.generations_7d) == (2, [(1, 30.0), (2, 70.0)], ["prod"], 2)
    assert row.updated_by == "Ada" and page.all_tags == ["prod"]
    assert page.rows[1].defaults == [(0, 100.0)] and page.rows[1].generations_7d == 0
    assert [r.name for r in library.list_prompts(session, actor, search="TRANS").rows] == ["translate"]
    assert [r.name for r in library.list_prompts(session, actor, tag="prod").rows] == ["support"]
    assert library.list_prompts(session, actor, search="100%_").rows == []
    assert library.list_prompts(session, make_actor(session)).rows == []  # another project sees nothing


def test_bad_tags_are_refused(session):
    actor = make_actor(session)
    lineage, _ = _prompt(session, actor, versions=1)
    with pytest.raises(Invalid, match="comma"):
        library.set_tags(session, actor, lineage.id, add=["a,b"])
    with pytest.raises(Invalid):
        library.set_tags(session, actor, lineage.id, add=["  "])
    assert library.list_prompts(session, actor).rows[0].tags == []


def test_rollout_validation_and_history(session):
    actor = make_actor(session)
    lineage, versions = _prompt(session, actor)
    foreign, fv = _prompt(session, actor, "other", versions=1)
    before = prompt_results.get_prompt_detail(session, actor, lineage.id)
    assert before.rollout == [(0, 100.0)] and before.history == []
    for shares, message in [({versions[0].id: 50, versions[1].id: 40}, "add up to 100"),
                            ({versions[0].id: 50, fv[0].id: 50}, "another prompt"),
                            ({versions[0].id: -5, versions[1].id: 105}, "at least 0"),
                            ({}, "at least one version")]:
        with pytest.raises(Invalid, match=message):
            prompt_rollouts.set_rollout(session, actor, lineage.id, shares)
    assert prompt_results.get_prompt_detail(session, actor, lineage.id).rollout == [(0, 100.0)]
    prompt_rollouts.set_rollout(session, actor, lineage.id, {versions[1].id: 50, versions[2].id: 50})
    prompt_rollouts.set_rollout(session, actor, lineage.id, {versions[1].id: 50, versions[2].id: 50})  # no change
    detail = prompt_results.get_prompt_detail(session, actor, lineage.id)
    assert detail.rollout == [(1, 50.0), (2, 50.0)]
    assert [(h.changed_by, h.before, h.after) for h in detail.history] == [("Ada", [(0, 100.0)], [(1, 50.0), (2, 50.0)])]
    rng = random.Random(7)
    served = Counter(prompts.get_version(session, actor, name="support", rng=rng).version for _ in range(400))
    assert set(served) == {1, 2} and 150 < served[1] < 250


def test_deprecated_versions_are_not_served_by_name_and_hold_no_share(session):
    actor = make_actor(session)
    lineage, versions = _prompt(session, actor)
    with pytest.raises(Invalid, match="share"):
        library.set_deprecated(session, actor, versions[0].id, True)  # v0 holds 100%
    prompt_rollouts.set_rollout(session, actor, lineage.id, {versions[1].id: 100})
    library.set_deprecated(session, actor, versions[0].id, True)
    with pytest.raises(Invalid, match="deprecated"):
        prompt_rollouts.set_rollout(session, actor, lineage.id, {versions[0].id: 50, versions[1].id: 50})
    assert prompts.get_version(session, actor, name="support").version == 1
    assert prompts.get_version(session, actor, name="support", version=0).deprecated  # pinned: still served
    library.set_deprecated(session, actor, versions[1].id, False)
    # Without a rollout share anywhere, the name serves the newest version that is not deprecated.
    lineage2, v2 = _prompt(session, actor, "second", versions=2)
    prompt_rollouts.set_rollout(session, actor, lineage2.id, {v2[1].id: 100})
    library.set_deprecated(session, actor, v2[0].id, True)
    assert prompts.get_version(session, actor, name="second").version == 1


def test_versions_are_immutable_edits_make_a_new_version(session):
    actor = make_actor(session)
    lineage, versions = _prompt(session, actor, versions=1)
    edited = prompts.create_version(session, actor, lineage_id=lineage.id, changelog="tweak",
                                    template_messages=[{"role": "user", "content": "new"}])
    assert edited.version == 1
    again = prompts.get_version(session, actor, id=versions[0].id)
    assert again.template_messages == versions[0].template_messages and again.changelog == "change 0"


def test_delete_prompt_unlinks_its_generations(session):
    actor = make_actor(session)
    lineage, versions = _prompt(session, actor, versions=2)
    keep, kept = _prompt(session, actor, "keep", versions=1)
    g1, g2 = _gen(session, actor, versions[0].id), _gen(session, actor, kept[0].id)
    prompt_rollouts.set_rollout(session, actor, lineage.id, {versions[1].id: 100})
    deleted = library.delete_prompt(session, actor, lineage.id)
    assert (deleted.name, deleted.versions, deleted.generations_unlinked) == ("support", 2, 1)
    session.expire_all()
    assert session.get(Step, g1.id).prompt_version_id is None and session.get(Step, g2.id).prompt_version_id == kept[0].id
    assert prompts.get_version(session, actor, name="support") is None
    with pytest.raises(NotFound):
        prompt_results.get_prompt_detail(session, actor, lineage.id)
    assert [r.name for r in library.list_prompts(session, actor).rows] == ["keep"]


def test_diff_of_two_versions(session):
    actor = make_actor(session)
    lineage, versions = _prompt(session, actor, versions=2)
    other, ov = _prompt(session, actor, "other", versions=1)
    d = prompt_diff.diff_versions(session, actor, versions[1].id, versions[0].id)
    assert (d.old_version, d.new_version) == (0, 1)
    assert [(x.kind, x.text) for x in d.messages] == [
        ("same", "[system]"), ("same", "You are {{persona}}."), ("del", "Be brief."), ("add", "Be brief. v"),
        ("same", "[user]"), ("same", "{{q}}")]
    assert [(c.key, c.old, c.new) for c in d.settings] == [("temperature", "0.0", "0.1")]
    assert d.tools == [] and d.old_output == d.new_output == "Text"
    with pytest.raises(Invalid, match="same prompt"):
        prompt_diff.diff_versions(session, actor, versions[0].id, ov[0].id)


def test_per_version_results_match_hand_computed_values(session):
    actor = make_actor(session)
    lineage, versions = _prompt(session, actor, versions=2)
    v0, v1 = versions
    _gen(session, actor, v0.id, duration=1.0, cost=0.01, tokens=(100, 20), scores=[("quality", 1.0)])
    _gen(session, actor, v0.id, duration=2.0, cost=0.03, tokens=(200, 40), scores=[("quality", 0.0)], age_days=3)
    _gen(session, actor, v0.id, duration=3.0, cost=None, tokens=(300, 60), scores=[("quality", 1.0), ("ok", 1)])
    _gen(session, actor, v1.id, duration=0.5, cost=0.02, tokens=(50, 10), age_days=40)
    _gen(session, make_actor(session), None)  # another project's generation never counts
    res = prompt_results.get_prompt_results(session, actor, lineage.id)
    r1, r0 = res.versions
    assert (r0.version, r0.generations, r1.generations) == (0, 3, 1)
    # latency 1, 2, 3: mean 2, s = 1, t(2 df) = 4.303 -> half-width 4.303/sqrt(3) = 2.4843; a latency
    # interval stops at 0 s (2 - 2.4843 would be a negative duration)
    assert r0.latency.mean == pytest.approx(2.0) and r0.latency.n == 3
    assert r0.latency.low == 0.0 and r0.latency.high == pytest.approx(4.48434, abs=1e-4)
    assert r0.total_cost == pytest.approx(0.04) and r0.avg_cost == pytest.approx(0.02)
    assert (r0.avg_input_tokens, r0.avg_output_tokens, r0.avg_tokens) == (200, 40, 240)
    # quality 1, 0, 1: mean 2/3, s^2 = 1/3, half-width 4.303 * sqrt(1/9) = 1.43433
    q = r0.scores["quality"]
    assert (q.n, q.mean) == (3, pytest.approx(2 / 3))
    assert q.low == pytest.approx(2 / 3 - 1.43433, abs=1e-4) and q.high == pytest.approx(2 / 3 + 1.43433, abs=1e-4)
    assert r0.scores["ok"] == prompt_results.Estimate(1, 1.0) and res.score_names == ["ok", "quality"]
    assert r1.latency == prompt_results.Estimate(1, 0.5) and r1.scores == {}
    today, three_days = utcnow().date(), (utcnow() - timedelta(days=3)).date()
    assert sorted(res.daily) == sorted([(three_days, 0, 1), (today, 0, 2)])  # v1's is older than 30 days
    # With a score schema, the interval stays within the values it allows: quality 0..1 (continuous),
    # ok in {0, 1} (categorical); 2/3 - 1.434 and 2/3 + 1.434 are cut at 0 and 1.
    score_schemas.create_score_schema(session, actor, name="quality", type="continuous", min_value=0, max_value=1)
    _gen(session, actor, v0.id, scores=[("ok", 0)])
    score_schemas.create_score_schema(session, actor, name="ok", type="categorical", categories=[
        {"label": "no", "value": 0}, {"label": "yes", "value": 1}])
    bounded = prompt_results.get_prompt_results(session, actor, lineage.id).versions[1].scores
    assert (bounded["quality"].low, bounded["quality"].high) == (0.0, 1.0)
    assert bounded["quality"].mean == pytest.approx(2 / 3) and bounded["ok"].n == 2
    assert bounded["ok"].low == 0.0 and bounded["ok"].high == 1.0  # 0.5 +/- 6.35, cut to [0, 1]


@pytest.mark.parametrize("call", [
    lambda s, a, lid, vid: library.set_tags(s, a, lid, add=["x"]),
    lambda s, a, lid, vid: library.set_deprecated(s, a, vid, True),
    lambda s, a, lid, vid: library.delete_prompt(s, a, lid),
    lambda s, a, lid, vid: prompt_rollouts.set_rollout(s, a, lid, {vid: 100}),
])
def test_domain_expert_reads_but_cannot_change(session, call):
    admin = make_actor(session)
    lineage, versions = _prompt(session, admin, versions=1)
    expert = make_actor(session, "DOMAIN_EXPERT", admin.project_id)
    assert library.list_prompts(session, expert).rows[0].name == "support"
    assert prompt_results.get_prompt_detail(session, expert, lineage.id).versions[0].version == 0
    with pytest.raises(Forbidden):
        call(session, expert, lineage.id, versions[0].id)
    assert prompt_results.get_prompt_detail(session, admin, lineage.id).history == []
    assert library.list_prompts(session, admin).rows[0].tags == []
