"""Prompt services on SQLite and PostgreSQL: versions from 0 with change detection, fetching by
name/version/id, A/B rollout selection and validation, variants, and client-exact rendering."""

import random
from collections import Counter

import pytest

from literal_app.services.kernel.errors import Invalid, NotFound
from literal_app.services.prompts import prompt_rollouts, prompts
from literal_app.services.prompts.prompt_templates import extract_variables, render_messages
from tests.eval_factories import make_default_prompt
from tests.factories import make_actor

MESSAGES = [{"role": "system", "content": "You are {{persona}}."}, {"role": "user", "content": "{{question}}"}]


def test_versions_start_at_zero_and_only_change_makes_a_new_one(session):
    actor = make_actor(session)
    lineage = prompts.get_or_create_lineage(session, actor, name="Support")
    assert prompts.get_or_create_lineage(session, actor, name="Support").id == lineage.id
    v0 = prompts.create_version(session, actor, lineage_id=lineage.id, template_messages=MESSAGES,
                                settings={"provider": "openai", "model": "gpt-4o", "temperature": 0})
    assert v0.version == 0 and v0.provider == "openai"
    assert v0.variables == [{"name": "persona", "language": "plaintext"},
                            {"name": "question", "language": "plaintext"}]
    # The clients send back provider-less settings, [] tools and message uuids: still the same.
    same = prompts.create_version(session, actor, lineage_id=lineage.id,
                                  template_messages=[{**m, "uuid": "x"} for m in MESSAGES],
                                  settings={"model": "gpt-4o", "temperature": 0}, tools=[])
    assert same.id == v0.id
    v1 = prompts.create_version(session, actor, lineage_id=lineage.id, template_messages=MESSAGES,
                                settings={"model": "gpt-4o", "temperature": 1})
    assert v1.version == 1 and v1.provider == "openai"
    v2 = prompts.create_version(session, actor, lineage_id=lineage.id, template_messages=MESSAGES,
                                settings={"model": "gpt-4o", "temperature": 1},
                                tools=[{"type": "function", "function": {"name": "search"}}])
    assert v2.version == 2
    assert [v.version for v in prompts.list_versions(session, actor, lineage.id)] == [2, 1, 0]
    assert prompts.list_lineages(session, actor)[0].version_count == 3


def test_get_by_id_name_and_version_and_url(session):
    actor = make_actor(session)
    v0 = make_default_prompt(session, actor)
    assert prompts.get_version(session, actor, name="Default", version=0).id == v0.id
    assert prompts.get_version(session, actor, id=v0.id, version=5).id == v0.id
    assert prompts.get_version(session, actor, name="Default").id == v0.id  # 100% v0 by default
    assert prompts.get_version(session, actor, name="Default", version=7) is None
    assert prompts.get_version(session, actor, name="Nope") is None
    assert v0.url.endswith(f"/projects/{actor.project_id}/playground?name=Default&version=0")
    other = make_actor(session)
    assert prompts.get_version(session, other, id=v0.id) is None
    with pytest.raises(NotFound):
        prompts.create_version(session, other, lineage_id=v0.lineage_id, template_messages=[])


def test_rendering_matches_the_official_client_output(session):
    actor = make_actor(session)
    v0 = make_default_prompt(session, actor)
    [msg] = render_messages(v0.template_messages, {}, v0.variables_default_values)
    assert msg["content"] == ("Hello, this is a test value and this\n\n* item 0\n* item 1\n* item 2\n\n"
                              "is a templated list.")
    [msg] = render_messages(v0.template_messages, {"test_var": "Edited & <b>"}, v0.variables_default_values)
    assert msg["content"].startswith("Hello, this is a Edited & <b> and this")
    assert extract_variables(v0.template_messages) == [{"name": "test_var", "language": "plaintext"},
                                                       {"name": "test_list", "language": "json"}]


def test_rollouts_replace_the_set_and_drive_the_selection(session):
    actor = make_actor(session)
    lineage = prompts.get_or_create_lineage(session, actor, name="AB")
    for text in ("v0", "v1"):
        prompts.create_version(session, actor, lineage_id=lineage.id,
                               template_messages=[{"role": "user", "content": text}])
    assert prompt_rollouts.get_rollouts(session, actor, "AB") == [prompt_rollouts.RolloutRead(0, 100)]
    prompt_rollouts.update_rollouts(session, actor, "AB", [{"version": 0, "rollout": 30},
                                                           {"version": 1, "rollout": 70}])
    assert [(r.version, r.rollout) for r in prompt_rollouts.get_rollouts(session, actor, "AB")] == [(0, 30), (1, 70)]
    rng = random.Random(7)
    seen = Counter(prompts.get_version(session, actor, name="AB", rng=rng).version for _ in range(1000))
    assert 240 <= seen[0] <= 360 and seen[0] + seen[1] == 1000
    prompt_rollouts.update_rollouts(session, actor, "AB", [{"version": 1, "rollout": 100}])
    assert prompt_rollouts.get_rollouts(session, actor, "AB") == [prompt_rollouts.RolloutRead(1, 100)]
    assert prompts.get_version(session, actor, name="AB").version == 1
    prompt_rollouts.update_rollouts(session, actor, "AB", [{"version": 0, "rollout": 0.5},
                                                           {"version": 1, "rollout": 0.5}])


@pytest.mark.parametrize("rollouts,message", [
    ([{"version": 0, "rollout": 60}, {"version": 1, "rollout": 30}], "add up to 100"),
    ([{"version": 0, "rollout": 50}, {"version": 3, "rollout": 50}], "no version 3"),
    ([{"version": 0, "rollout": -10}, {"version": 1, "rollout": 110}], "at least 0"),
    ([{"version": 0, "rollout": 50}, {"version": 0, "rollout": 50}], "only once"),
    ([], "at least one"),
])
def test_bad_rollouts_are_refused_and_keep_the_old_set(session, rollouts, message):
    actor = make_actor(session)
    lineage = prompts.get_or_create_lineage(session, actor, name="AB")
    for text in ("v0", "v1"):
        prompts.create_version(session, actor, lineage_id=lineage.id,
                               template_messages=[{"role": "user", "content": text}])
    with pytest.raises(Invalid, match=message):
        prompt_rollouts.update_rollouts(session, actor, "AB", rollouts)
    assert prompt_rollouts.get_rollouts(session, actor, "AB") == [prompt_rollouts.RolloutRead(0, 100)]
    with pytest.raises(NotFound):
        prompt_rollouts.update_rollouts(session, actor, "Unknown", [{"version": 0, "rollout": 100}])


def test_variants_are_stored_apart_from_versions(session):
    actor = make_actor(session)
    v0 = make_default_prompt(session, actor)
    variant = prompt_rollouts.create_variant(session, actor, from_lineage_id=v0.lineage_id,
                                             template_messages=[{"role": "user", "content": "hi {{name}}"}])
    assert prompt_rollouts.get_variant(session, actor, variant.id).variables == [
        {"name": "name", "language": "plaintext"}]
    assert len(prompts.list_versions(session, actor, v0.lineage_id)) == 1
    orphan = prompt_rollouts.create_variant(session, actor, template_messages=[])
    assert orphan.from_lineage_id is None
    with pytest.raises(NotFound):
        prompt_rollouts.create_variant(session, actor, from_lineage_id="missing", template_messages=[])


def test_bad_prompt_input_is_refused(session):
    actor = make_actor(session)
    lineage = prompts.get_or_create_lineage(session, actor, name="P")
    with pytest.raises(Invalid, match="list of messages"):
        prompts.create_version(session, actor, lineage_id=lineage.id, template_messages={"role": "user"})
    with pytest.raises(Invalid, match="required"):
        prompts.get_or_create_lineage(session, actor, name="  ")
    assert prompts.list_versions(session, actor, lineage.id) == []
