"""Helpers for the experiment tests: a database the job runner's own sessions reach (the app's
``session_scope`` reads DATABASE_URL), a fake provider credential, a dataset of questions, and
polling an experiment until it ends."""

from __future__ import annotations

import time

from sqlmodel import Session

from literal_app import config, db
from literal_app.services.datasets import dataset_items, datasets, experiment_runs
from literal_app.services.providers import credentials as creds
from literal_app.services.providers.credentials import CredentialInput
from tests.conftest import truncate_all
from tests.factories import make_actor

TEMPLATE = [{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "{{question}}"}]


def point_app_at(monkeypatch, url: str) -> None:
    """Make ``literal_app.db.session_scope`` (used by jobs) open sessions on ``url``; embedded jobs."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("LITERAL_JOBS", raising=False)
    config.get_settings.cache_clear()
    db.get_engine.cache_clear()
    truncate_all(db.get_engine())


def reset_app_db() -> None:
    db.get_engine().dispose()
    config.get_settings.cache_clear()
    db.get_engine.cache_clear()


def seed(session: Session, fake, questions: list[str], expected: dict[str, str] | None = None):
    """(actor, credential id, dataset id): items {"question": q} expecting "Echo: q" (or ``expected``)."""
    actor = make_actor(session)
    cred = creds.create_credential(session, actor, CredentialInput("openai", "fake", api_key="sk-test-0000",
                                                                   base_url=fake.base("openai"), models=["m"])).id
    ds = datasets.create_dataset(session, actor, name="Questions")
    for q in questions:
        want = (expected or {}).get(q, f"Echo: {q}")
        dataset_items.create_item(session, actor, dataset_id=ds.id, input={"question": q},
                                  expected_output={"content": want})
    session.commit()
    return actor, cred, ds.id


def spec(cred: str, **kw) -> experiment_runs.RunSpec:
    """A run of TEMPLATE with {{question}} mapped and two code scorers; ``kw`` overrides any field."""
    fields = dict(name="run", credential_id=cred, model="fake-model", messages=TEMPLATE,
                  mapping={"question": "question"}, scorers=("exact_match", "similarity"))
    return experiment_runs.RunSpec(**{**fields, **kw})


def wait_until_ended(engine, actor, experiment_id: str, timeout: float = 60) -> experiment_runs.Progress:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with Session(engine) as s:
            p = experiment_runs.get_progress(s, actor, experiment_id)
        if p.status not in ("queued", "running") and p.running == 0:
            return p
        time.sleep(0.1)
    raise AssertionError(f"experiment {experiment_id} did not end: {p}")
