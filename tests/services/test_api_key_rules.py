"""Rules the Settings → API keys page relies on: no privilege escalation through a key, and
distinct names among a project's live keys."""

import pytest

from literal_app.services.accounts import api_keys
from literal_app.services.kernel.errors import Forbidden, Invalid
from tests.factories import make_actor


def test_a_key_cannot_get_more_rights_than_its_creator(session):
    admin = make_actor(session, "ADMIN")
    engineer = make_actor(session, "AI_ENGINEER", project_id=admin.project_id)
    with pytest.raises(Forbidden, match=r"Your role \(AI Engineer\) cannot create keys with the Admin role"):
        api_keys.create_api_key(session, engineer, project_id=admin.project_id, name="x", role="ADMIN")
    row, _ = api_keys.create_api_key(session, engineer, project_id=admin.project_id, name="y",
                                     role="DOMAIN_EXPERT")
    assert row.role == "DOMAIN_EXPERT"
    assert api_keys.create_api_key(session, admin, project_id=admin.project_id, name="z", role="ADMIN")[0].role == "ADMIN"


def test_live_key_names_are_unique_per_project(session):
    admin = make_actor(session, "ADMIN")
    other = make_actor(session, "ADMIN")
    row, _ = api_keys.create_api_key(session, admin, project_id=admin.project_id, name="ci")
    with pytest.raises(Invalid, match="already exists"):
        api_keys.create_api_key(session, admin, project_id=admin.project_id, name=" ci ")
    api_keys.create_api_key(session, other, project_id=other.project_id, name="ci")  # other project: fine
    api_keys.revoke_api_key(session, admin, row.id)
    api_keys.create_api_key(session, admin, project_id=admin.project_id, name="ci")  # the old one is revoked
    with pytest.raises(Invalid, match="too long"):
        api_keys.create_api_key(session, admin, project_id=admin.project_id, name="k" * 101)
