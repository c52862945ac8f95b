"""LLM credentials: CRUD, validation, encryption at rest (the database never holds the key in
clear, reads never return it), re-encryption after a secret rotation, project scoping."""

import pytest
from sqlalchemy import text

from literal_app.config import get_settings
from literal_app.services.kernel.errors import Invalid, NotFound
from literal_app.services.providers import credentials as creds
from literal_app.services.providers.credentials import CredentialInput
from tests.factories import make_actor

KEY = "sk-live-THIS-IS-SECRET-1234abcd"


def _everything_stored(session) -> str:
    rows = session.execute(text("SELECT * FROM llmcredential")).all()
    return repr([tuple(r) for r in rows])


def test_key_is_encrypted_at_rest_and_never_read_back(session):
    actor = make_actor(session)
    read = creds.create_credential(session, actor, CredentialInput("openai", "Main", api_key=KEY))
    session.commit()
    stored = _everything_stored(session)
    assert KEY not in stored and "THIS-IS-SECRET" not in stored
    assert read.key_hint == "abcd" and read.has_key
    assert KEY not in repr(read) and KEY not in repr(creds.list_credentials(session, actor))
    assert "gpt-4o" in read.models
    assert creds.resolve(session, actor, read.id).api_key == KEY


def test_edit_keeps_the_key_when_left_blank_and_replaces_it_when_given(session):
    actor = make_actor(session)
    read = creds.create_credential(session, actor, CredentialInput("anthropic", "Claude", api_key=KEY,
                                                                   models="my-ft-model, other\nmy-ft-model"))
    assert read.custom_models == ["my-ft-model", "other"]
    edited = creds.update_credential(session, actor, read.id, CredentialInput("anthropic", "Claude 2"))
    assert edited.name == "Claude 2" and edited.key_hint == "abcd"
    assert creds.resolve(session, actor, read.id).api_key == KEY
    creds.update_credential(session, actor, read.id, CredentialInput("anthropic", "Claude 2", api_key="new-key-9876"))
    assert creds.resolve(session, actor, read.id).api_key == "new-key-9876"
    creds.delete_credential(session, actor, read.id)
    assert creds.list_credentials(session, actor) == []


def test_bad_input_is_refused_with_a_clear_message(session):
    actor = make_actor(session)
    with pytest.raises(Invalid, match="needs an API key"):
        creds.create_credential(session, actor, CredentialInput("openai", "No key"))
    with pytest.raises(Invalid, match="Unknown provider"):
        creds.create_credential(session, actor, CredentialInput("acme", "x", api_key=KEY))
    with pytest.raises(Invalid, match="http"):
        creds.create_credential(session, actor, CredentialInput("custom", "Local", base_url="localhost:8000",
                                                                models=["m"]))
    with pytest.raises(Invalid, match="at least one model"):
        creds.create_credential(session, actor, CredentialInput("custom", "Local", base_url="http://x/v1"))
    with pytest.raises(Invalid, match="AWS region"):
        creds.create_credential(session, actor, CredentialInput("bedrock", "AWS", api_key=KEY, region="mars",
                                                                access_key_id="AKIA"))
    creds.create_credential(session, actor, CredentialInput("openai", "Main", api_key=KEY))
    with pytest.raises(Invalid, match="already exists"):
        creds.create_credential(session, actor, CredentialInput("openai", "Main", api_key=KEY))


def test_azure_endpoint_is_read_from_what_users_paste(session):
    actor = make_actor(session)
    url = "https://acme-eu.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-08-01-preview"
    read = creds.create_credential(session, actor, CredentialInput("azure_openai", "Azure", api_key=KEY, endpoint=url))
    assert read.base_url == "https://acme-eu.openai.azure.com"
    assert read.extra == {"deployment": "gpt4o-prod", "api_version": "2024-08-01-preview"}
    assert read.models == ["gpt4o-prod"]
    read = creds.create_credential(session, actor, CredentialInput("azure_openai", "Azure 2", api_key=KEY,
                                                                   endpoint="acme-us", deployment="mini"))
    assert read.base_url == "https://acme-us.openai.azure.com" and read.extra["api_version"] == "2024-10-21"


def test_credentials_of_another_project_are_invisible(session):
    actor, other = make_actor(session), make_actor(session)
    read = creds.create_credential(session, actor, CredentialInput("openai", "Main", api_key=KEY))
    with pytest.raises(NotFound):
        creds.get_credential(session, other, read.id)
    with pytest.raises(NotFound):
        creds.resolve(session, other, read.id)
    with pytest.raises(NotFound):
        creds.resolve(session, other.project_id, read.id)  # a job of another project
    assert creds.resolve(session, actor.project_id, read.id).api_key == KEY


def test_rotating_the_secret_key_reencrypts_every_credential(session, monkeypatch):
    actor = make_actor(session)
    read = creds.create_credential(session, actor, CredentialInput("openai", "Main", api_key=KEY))
    old = get_settings().secret_key
    monkeypatch.setenv("LITERAL_SECRET_KEY", "a-brand-new-secret-key-for-tests")
    get_settings.cache_clear()
    try:
        with pytest.raises(Invalid, match="LITERAL_SECRET_KEY changed"):
            creds.resolve(session, actor, read.id)
        done, skipped = creds.reencrypt_all(session, old, "a-brand-new-secret-key-for-tests")
        assert done >= 1
        assert creds.resolve(session, actor, read.id).api_key == KEY
        assert creds.reencrypt_all(session, old, "a-brand-new-secret-key-for-tests")[0] == 0  # idempotent
    finally:
        monkeypatch.delenv("LITERAL_SECRET_KEY")
        get_settings.cache_clear()


def test_cli_rotate_credentials(tmp_path, monkeypatch):
    """The operator command re-encrypts under the new secret read from the environment."""
    from sqlmodel import Session
    from typer.testing import CliRunner

    from literal_app import cli, db
    from literal_app.db import make_engine
    from literal_app import migrate as migrations

    monkeypatch.setenv("LITERAL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LITERAL_SECRET_KEY", "old-secret-old-secret")
    get_settings.cache_clear()
    try:
        migrations.upgrade()
        engine = make_engine(get_settings().database_url)
        # The CLI opens its sessions through db.get_engine, cached by whichever test ran first.
        monkeypatch.setattr(db, "get_engine", lambda: engine)
        with Session(engine) as s:
            actor = make_actor(s)
            cid = creds.create_credential(s, actor, CredentialInput("openai", "Main", api_key=KEY)).id
            s.commit()
        monkeypatch.setenv("LITERAL_SECRET_KEY", "new-secret-new-secret")
        get_settings.cache_clear()
        out = CliRunner().invoke(cli.app, ["rotate-credentials", "--old-secret", "old-secret-old-secret"])
        assert out.exit_code == 0, out.output
        assert "Re-encrypted 1 credential" in out.output
        with Session(engine) as s:
            assert creds.resolve(s, actor, cid).api_key == KEY
    finally:
        get_settings.cache_clear()
