"""Accounts end to end at the service layer: setup, sign-in with throttling, sessions, invites,
API keys, tags and team management, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from literal_app.models.types import utcnow
from literal_app.services.accounts import api_keys, members, projects, setup, team
from literal_app.services.kernel.errors import Forbidden, Invalid, NotFound, TooManyAttempts, Unauthorized
from literal_app.services.logs import tags
from tests.factories import make_actor


def test_setup_creates_admin_project_and_working_key(session):
    assert members.setup_needed(session)
    result = setup.complete_setup(session, email="Ada@Example.com", name="Ada", password="correct-horse",
                                  project_name="Chatbot")
    assert not members.setup_needed(session)
    assert result.member.email == "ada@example.com"
    actor = api_keys.actor_for_api_key(session, result.api_key)
    assert actor.project_id == result.project.id and actor.role == "ADMIN"
    with pytest.raises(Invalid, match="already done"):
        setup.complete_setup(session, email="x@example.com", name="X", password="correct-horse",
                             project_name="Other")


def test_setup_rejects_bad_input_with_readable_messages(session):
    with pytest.raises(Invalid, match="valid email"):
        setup.complete_setup(session, email="nope", name="Ada", password="correct-horse", project_name="P")
    with pytest.raises(Invalid, match="at least 8"):
        setup.complete_setup(session, email="a@example.com", name="Ada", password="short", project_name="P")
    with pytest.raises(Invalid, match="Project name is required"):
        setup.complete_setup(session, email="a@example.com", name="Ada", password="correct-horse",
                             project_name="  ")
    with pytest.raises(Invalid, match="too long"):
        setup.complete_setup(session, email="a@example.com", name="A" * 201, password="correct-horse",
                             project_name="P")


def test_sign_in_throttles_repeated_failures_and_sessions_resolve(session):
    members.create_member(session, email="ada@example.com", name="Ada", password="correct-horse")
    now = utcnow()
    for _ in range(members.FREE_ATTEMPTS):
        with pytest.raises(Unauthorized, match="Wrong email or password"):
            members.authenticate(session, email="ada@example.com", password="wrong", now=now)
    with pytest.raises(TooManyAttempts, match="Try again in"):
        members.authenticate(session, email="ada@example.com", password="correct-horse", now=now)
    later = now + timedelta(seconds=members.MAX_LOCK_SECONDS + 1)
    m = members.authenticate(session, email="ada@example.com", password="correct-horse", now=later)
    token = members.create_session(session, member_id=m.id)
    assert members.member_for_session(session, token).email == "ada@example.com"
    members.end_session(session, token)
    assert members.member_for_session(session, token) is None


def test_api_keys_are_hashed_listed_and_revocable(session):
    admin = make_actor(session, "ADMIN")
    row, key = api_keys.create_api_key(session, admin, project_id=admin.project_id, name="ci")
    assert key.startswith(row.prefix) and len(key) > 30
    assert [k.name for k in api_keys.list_api_keys(session, admin)] == ["ci"]
    assert api_keys.actor_for_api_key(session, key).project_id == admin.project_id
    api_keys.revoke_api_key(session, admin, row.id)
    with pytest.raises(Unauthorized, match="revoked"):
        api_keys.actor_for_api_key(session, key)
    with pytest.raises(Unauthorized, match="x-api-key"):
        api_keys.actor_for_api_key(session, None)


def test_team_invites_roles_and_last_admin(session):
    admin = make_actor(session, "ADMIN")
    added, invite = team.add_member(session, admin, email="bob@example.com", role="Domain Expert")
    assert invite and added.pending_invite and added.role == "DOMAIN_EXPERT"
    with pytest.raises(Invalid, match="already a member"):
        team.add_member(session, admin, email="bob@example.com", role="Admin")
    members.accept_invite(session, token=invite, password="bob-password")
    with pytest.raises(NotFound, match="invalid, used or expired"):
        members.accept_invite(session, token=invite, password="another-pass")
    assert members.authenticate(session, email="bob@example.com", password="bob-password").name == "bob"
    team.change_role(session, admin, added.membership_id, "AI Engineer")
    roles = {m.email: m.role for m in team.list_team(session, admin)}
    assert roles["bob@example.com"] == "AI_ENGINEER"
    own = next(m for m in team.list_team(session, admin) if m.member_id == admin.member_id)
    with pytest.raises(Invalid, match="at least one Admin"):
        team.change_role(session, admin, own.membership_id, "Domain Expert")
    team.remove_member(session, admin, added.membership_id)
    assert len(team.list_team(session, admin)) == 1


def test_tags_catalogue(session):
    admin = make_actor(session, "ADMIN")
    t = tags.add_tag(session, admin, "billing")
    with pytest.raises(Invalid, match="already exists"):
        tags.add_tag(session, admin, "billing")
    assert [x.name for x in tags.list_tags(session, admin)] == ["billing"]
    tags.delete_tag(session, admin, t.id)
    assert tags.list_tags(session, admin) == []


def test_projects_are_isolated(session):
    a = make_actor(session, "ADMIN")
    b = make_actor(session, "ADMIN")
    _, key_a = api_keys.create_api_key(session, a, project_id=a.project_id)
    row_b, _ = api_keys.create_api_key(session, b, project_id=b.project_id)
    tag_b = tags.add_tag(session, b, "secret")
    with pytest.raises(NotFound):
        api_keys.revoke_api_key(session, a, row_b.id)
    with pytest.raises(NotFound):
        tags.delete_tag(session, a, tag_b.id)
    with pytest.raises(NotFound):
        api_keys.create_api_key(session, a, project_id=b.project_id)
    with pytest.raises(Forbidden):
        projects.actor_for_member(session, member_id=a.member_id, project_id=b.project_id)
    assert api_keys.actor_for_api_key(session, key_a).project_id == a.project_id
    assert [t.name for t in tags.list_tags(session, a)] == []
