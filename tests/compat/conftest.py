"""Fixtures for the official SDK tests: a sync and an async literalai client on a fresh project."""

from __future__ import annotations

import os

import pytest
from literalai import AsyncLiteralClient, LiteralClient


@pytest.fixture
def project(live):
    """(project id, admin key) of a fresh project on the live server."""
    return live.new_key("ADMIN")


@pytest.fixture
def client(live, project):
    os.environ.pop("LITERAL_ENV", None)
    c = LiteralClient(api_key=project[1], url=live.url)
    yield c
    c.flush_and_stop()
    os.environ.pop("LITERAL_ENV", None)


@pytest.fixture
def aclient(live, project):
    os.environ.pop("LITERAL_ENV", None)
    c = AsyncLiteralClient(api_key=project[1], url=live.url)
    yield c
    c.flush_and_stop()

from tests.openai_isolation import pristine_openai  # noqa: E402,F401  (autouse)
