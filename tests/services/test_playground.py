"""Playground services on both databases: sources (prompt version, logged generation), building
requests (chevron sections, tools/schema/settings checks), saving versions with changelog, diff
and promotion, drafts per member, pricing with the project's cost rules."""

import pytest

from literal_app.services.costs import model_costs
from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.errors import Invalid, NotFound
from literal_app.services.playground import drafts, editor, runs, saving, sources
from literal_app.services.prompts import prompt_rollouts, prompts
from literal_app.services.providers.types import Usage
from tests.factories import make_actor
from tests.log_factories import make_step

MESSAGES = [editor.editor_message("system", "You help with {{product}}."),
            editor.editor_message("user", "{{#items}}- {{name}}\n{{/items}}{{question}}")]


def _request(session, actor, **kw):
    args = dict(messages=MESSAGES, variables={"product": "Acme", "question": "Why?", "items": '[{"name": "a"}, {"name": "b"}]'},
                tools_text="", output={"kind": "text"}, provider="openai", model="gpt-4o", settings={})
    args.update(kw)
    return runs.build_request(session, actor, **args)


def test_variables_are_detected_and_rendered_as_chevron_does(session):
    actor = make_actor(session, "AI_ENGINEER")
    assert editor.variables_of(MESSAGES) == ["product", "items", "question"]
    request = _request(session, actor)
    assert [m.content for m in request.messages] == ["You help with Acme.", "- a\n- b\nWhy?"]
    with pytest.raises(Invalid, match="No value for the variable.*question"):
        _request(session, actor, variables={"product": "x", "items": "[]"})


def test_bad_tools_schema_and_settings_are_refused_clearly(session):
    actor = make_actor(session)
    with pytest.raises(Invalid, match="Tools: invalid JSON at line 1"):
        _request(session, actor, tools_text="[{")
    with pytest.raises(Invalid, match="Tool 1 must be"):
        _request(session, actor, tools_text='[{"name": "x"}]')
    with pytest.raises(Invalid, match="Schema: not a valid JSON schema"):
        _request(session, actor, output={"kind": "json_schema", "schema_text": '{"type": 5}'})
    with pytest.raises(Invalid, match="Temperature must be between 0 and 2"):
        _request(session, actor, settings={"temperature": "3"})
    with pytest.raises(Invalid, match="At most 4 stop"):
        _request(session, actor, settings={"stop": "a,b,c,d,e"})
    request = _request(session, actor, provider="anthropic", settings={"temperature": "0.5", "frequency_penalty": "1",
                                                                        "max_tokens": "20", "stop": "END, STOP"})
    assert request.settings == {"temperature": 0.5, "max_tokens": 20, "stop": ["END", "STOP"]}


def test_score_schema_output_asks_for_reason_and_category(session):
    actor = make_actor(session)
    schema = score_schemas.create_score_schema(session, actor, name="quality", type="categorical",
                                               categories=[{"label": "good", "value": 1}, {"label": "bad", "value": 0}])
    request = _request(session, actor, output={"kind": "score_schema", "score_schema_id": schema.id})
    assert request.output.schema["properties"]["category"]["enum"] == ["good", "bad"]
    assert editor.check_answer('{"reason": "ok", "category": "good"}', request.output) == ""
    assert "category" in editor.check_answer('{"reason": "ok", "category": "meh"}', request.output)
    assert "not valid JSON" in editor.check_answer("meh", request.output)


def test_open_a_prompt_version_and_save_new_versions(session):
    actor = make_actor(session, "AI_ENGINEER")
    settings = saving.stored_settings("openai", "gpt-4o", {"temperature": 0.2}, {"kind": "json_object"})
    first = saving.save_version(session, actor, messages=MESSAGES, settings=settings, tools=[],
                                variables={"product": "Acme"}, changelog="First", new_name="support")
    assert (first.name, first.version, first.created) == ("support", 0, True)
    with pytest.raises(Invalid, match="already exists"):
        saving.save_version(session, actor, messages=MESSAGES, settings=settings, tools=[], variables={},
                            changelog="again", new_name="support")
    with pytest.raises(Invalid, match="changelog"):
        saving.save_version(session, actor, messages=MESSAGES, settings=settings, tools=[], variables={},
                            changelog=" ", lineage_id=first.lineage_id)
    t = sources.from_prompt_version(session, actor, first.version_id)
    assert (t.provider, t.model, t.settings, t.output) == ("openai", "gpt-4o", {"temperature": 0.2}, {"kind": "json_object"})
    assert t.variables == {"product": "Acme"} and t.origin["version"] == 0
    edited = [MESSAGES[0], editor.editor_message("user", "{{question}} Be brief.")]
    lines = saving.diff(session, actor, first.version_id, edited, settings, [])
    assert "+{{question}} Be brief." in lines and any(l.startswith("-{{#items}}") for l in lines)
    second = saving.save_version(session, actor, messages=edited, settings=settings, tools=[], variables={},
                                 changelog="Shorter", lineage_id=first.lineage_id, promote=True)
    assert second.version == 1 and second.created
    assert [(r.version, r.rollout) for r in prompt_rollouts.get_rollouts(session, actor, "support")] == [(1, 100)]
    assert prompts.get_version(session, actor, name="support").version == 1
    assert prompts.list_versions(session, actor, first.lineage_id)[0].changelog == "Shorter"


def test_open_a_logged_generation(session):
    actor = make_actor(session)
    tools = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]
    make_step(session, actor.project_id, id="gen-1", type="llm", model="gpt-4o-mini", provider="openai",
              generation={"type": "CHAT", "messages": [{"role": "system", "content": "Be nice."},
                                                       {"role": "user", "content": "hi"}],
                          "tools": tools, "settings": {"temperature": 0.7, "model": "gpt-4o-mini"}})
    t = sources.from_generation(session, actor, "gen-1")
    assert [(m["role"], m["content"]) for m in t.messages] == [("system", "Be nice."), ("user", "hi")]
    assert (t.provider, t.model, t.tools, t.settings) == ("openai", "gpt-4o-mini", tools, {"temperature": 0.7})
    with pytest.raises(NotFound):
        sources.from_generation(session, make_actor(session), "gen-1")


def test_drafts_are_kept_per_member(session):
    a = make_actor(session, "AI_ENGINEER")
    b = make_actor(session, "ADMIN", project_id=a.project_id)
    drafts.save_draft(session, a, {"messages": MESSAGES})
    drafts.save_draft(session, a, {"messages": MESSAGES[:1]})
    assert drafts.load_draft(session, a) == {"messages": MESSAGES[:1]}
    assert drafts.load_draft(session, b) is None


def test_cost_uses_the_project_rules(session):
    actor = make_actor(session)
    model_costs.create_cost_rule(session, actor, pattern="fake-.*", input_per_million=1, output_per_million=2)
    assert runs.cost_of(session, actor, "fake-model", Usage(1000, 500)) == pytest.approx(0.002)
    assert runs.cost_of(session, actor, "unpriced-xyz", Usage(1, 1)) is None
