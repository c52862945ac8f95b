"""get_prompt by name in one statement (``prompts.serving``), on SQLite and PostgreSQL: it serves
what the ordinary ``get_version`` serves, sees a rollout change, a new version and a deprecation at
the next call (nothing is cached), and leaves every other case to the ordinary path (None)."""

import random
from collections import Counter
from datetime import timedelta

from sqlalchemy import delete

from literal_app.models.auth import ApiKey
from literal_app.models.prompts import PromptRollout
from literal_app.models.types import utcnow
from literal_app.services.accounts import api_keys
from literal_app.services.prompts import library, prompt_rollouts, prompts, serving
from tests.factories import make_actor


def _key(session, actor, role="ADMIN") -> str:
    row, key = api_keys.create_api_key(session, None, project_id=actor.project_id, name=f"k-{role}", role=role)
    session.flush()
    api_keys.actor_for_api_key(session, key)  # its first use is recorded: the fast path may answer
    session.flush()
    return key


def _serve(session, key, name, **kw):
    return serving.serve(session, key, serving.PromptRequest(name=name), **kw)


def _versions(session, actor, name="greeter", n=3):
    lineage = prompts.get_or_create_lineage(session, actor, name=name)
    return lineage, [prompts.create_version(session, actor, lineage_id=lineage.id, changelog=f"v{i}",
                                            template_messages=[{"role": "user", "content": f"hello {i}"}])
                     for i in range(n)]


def test_serves_the_rollout_and_sees_every_change_at_once(session):
    actor = make_actor(session)
    lineage, (v0, v1, v2) = _versions(session, actor)
    key = _key(session, actor)
    served = _serve(session, key, "greeter", environment="prod")
    assert served.version == prompts.get_version(session, actor, name="greeter")  # v0 holds 100%
    assert (served.actor.project_id, served.actor.api_key_id is not None, served.actor.environment) == (
        actor.project_id, True, "prod")
    prompt_rollouts.set_rollout(session, actor, lineage.id, {v1.id: 25, v2.id: 75})
    rng = random.Random(3)
    drawn = Counter(_serve(session, key, "greeter", rng=rng).version.version for _ in range(400))
    assert set(drawn) == {1, 2} and 60 < drawn[1] < 140  # 25% of 400 = 100
    prompt_rollouts.set_rollout(session, actor, lineage.id, {v2.id: 100})
    assert _serve(session, key, "greeter").version.version == 2
    v3 = prompts.create_version(session, actor, lineage_id=lineage.id, changelog="v3",
                                template_messages=[{"role": "user", "content": "hello 3"}])
    prompt_rollouts.set_rollout(session, actor, lineage.id, {v3.id: 100})  # a new version, promoted
    assert _serve(session, key, "greeter").version.id == v3.id
    prompt_rollouts.set_rollout(session, actor, lineage.id, {v2.id: 50, v3.id: 50})
    library.set_deprecated(session, actor, v1.id, True)  # no share: nothing changes, and never served
    assert {_serve(session, key, "greeter").version.version for _ in range(40)} == {2, 3}


def test_everything_else_is_left_to_the_ordinary_path(session):
    actor = make_actor(session)
    lineage, (v0,) = _versions(session, actor, n=1)
    key = _key(session, actor)
    assert _serve(session, key, "greeter") is not None
    assert _serve(session, key, "missing") is None  # unknown prompt
    assert _serve(session, "lsk_not-a-key", "greeter") is None
    assert _serve(session, None, "greeter") is None
    other = make_actor(session)
    assert _serve(session, _key(session, other), "greeter") is None  # another project's
    assert _serve(session, _key(session, actor, "DOMAIN_EXPERT"), "greeter") is None  # may not read
    session.execute(delete(PromptRollout).where(PromptRollout.lineage_id == lineage.id))
    assert _serve(session, key, "greeter") is None  # no rollout: the fallback version is chosen there
    assert prompts.get_version(session, actor, name="greeter").id == v0.id
    prompt_rollouts.set_rollout(session, actor, lineage.id, {v0.id: 100})
    row = session.query(ApiKey).filter(ApiKey.project_id == actor.project_id, ApiKey.role == "ADMIN").one()
    row.last_used_at = utcnow() - timedelta(minutes=5)  # due to be recorded: a write, on the ordinary path
    session.add(row)
    session.flush()
    assert _serve(session, key, "greeter") is None
    api_keys.actor_for_api_key(session, key)
    session.flush()
    assert _serve(session, key, "greeter") is not None
    api_keys.revoke_api_key(session, actor, row.id)
    session.flush()
    assert _serve(session, key, "greeter") is None  # revoked: refused by the ordinary path


def test_by_number_and_by_id_serve_that_version_of_the_key_project_only(session):
    actor = make_actor(session)
    lineage, (v0, v1, v2) = _versions(session, actor)
    key = _key(session, actor)
    library.set_deprecated(session, actor, v1.id, True)  # pinned or by id: still given, as get_version does
    by_number = serving.serve(session, key, serving.PromptRequest(name="greeter", version=1))
    assert by_number.version == prompts.get_version(session, actor, name="greeter", version=1)
    assert by_number.version.deprecated and by_number.actor.project_id == actor.project_id
    by_id = serving.serve(session, key, serving.PromptRequest(id=v2.id, name="ignored", version=0))
    assert by_id.version == prompts.get_version(session, actor, id=v2.id)
    assert serving.serve(session, key, serving.PromptRequest(name="greeter", version=7)) is None
    assert serving.serve(session, key, serving.PromptRequest(id="no-such-id")) is None
    other_key = _key(session, make_actor(session))
    assert serving.serve(session, other_key, serving.PromptRequest(id=v2.id)) is None  # another project's
    assert serving.serve(session, other_key, serving.PromptRequest(name="greeter", version=0)) is None
