"""Item 8, sign-in: answers never tell which emails have accounts, a lock-out holds per email and
client so nobody elsewhere can lock a member out, and an operator lifts it with the CLI (both
databases)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest

from literal_app.models.types import utcnow
from literal_app.services.accounts import members
from literal_app.services.kernel.errors import DomainError
from tests.live import ROOT

ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


def _answers(session, email: str, client: str, attempts: int, now) -> list[str]:
    out = []
    for i in range(attempts):
        with pytest.raises(DomainError) as exc:
            members.authenticate(session, email=email, password="wrong-guess", client=client,
                                 now=now + timedelta(milliseconds=i))
        out.append(exc.value.message.split(" Try again")[0])
    return out


def test_answers_are_the_same_for_real_and_unknown_emails(session):
    members.create_member(session, email="ada@example.com", name="Ada", password="correct-horse")
    now = utcnow()
    real = _answers(session, "ada@example.com", ATTACKER, 5, now)
    unknown = _answers(session, "nobody@example.com", ATTACKER, 5, now)
    assert real == unknown and "Too many failed sign-in attempts." in real


def test_a_lock_out_holds_per_client_and_the_cli_lifts_it(session, engine):
    members.create_member(session, email="root@example.com", name="Root", password="correct-horse")
    session.commit()
    now = utcnow()
    assert _answers(session, "root@example.com", ATTACKER, 4, now)[-1] == "Too many failed sign-in attempts."
    # The member signs in from their own address while the attacker's is locked.
    assert members.authenticate(session, email="root@example.com", password="correct-horse", client=OWNER,
                                now=now).email == "root@example.com"
    _answers(session, "root@example.com", OWNER, 4, now)
    with pytest.raises(DomainError, match="Too many"):
        members.authenticate(session, email="root@example.com", password="correct-horse", client=OWNER, now=now)
    session.commit()
    env = {**os.environ, "DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    done = subprocess.run([sys.executable, "-m", "literal_app.cli", "unlock", "--email", "root@example.com"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "2 locked client(s)" in done.stderr, done.stderr
    session.expire_all()
    assert members.authenticate(session, email="root@example.com", password="correct-horse", client=OWNER,
                                now=now).email == "root@example.com"
