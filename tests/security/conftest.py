"""The security suite (issue 17): one module per finding of the outside probe, all over HTTP
against live servers on SQLite and PostgreSQL (the XSS/cookie item in Chromium).

Run it alone with ``./scripts/test tests/security`` (or ``-m security`` across the tree).

``strict_live`` is a second live server per dialect with tight limits (a zero GraphQL time budget
and a small per-key rate limit) and an https public URL, for the tests of those; everything else
uses ``live``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import DIALECTS

STRICT_ENV = {"LITERAL_GRAPHQL_TIMEOUT": "0", "LITERAL_RATE_LIMIT": "5", "LITERAL_RATE_BURST": "5",
              "LITERAL_PUBLIC_URL": "https://literal.example"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/tests/security/" in str(item.path):
            item.add_marker(pytest.mark.security)


@pytest.fixture(scope="session")
def strict_servers(request, tmp_root) -> Iterator:
    from tests.live import start_live_server

    servers: dict = {}

    def get(dialect: str):
        if dialect not in servers:
            url = request.getfixturevalue("pg_database_url" if dialect == "postgresql" else "sqlite_database_url")
            servers[dialect] = start_live_server(url, tmp_root / f"strict-{dialect}", extra_env=STRICT_ENV)
        return servers[dialect]

    yield get
    for s in servers.values():
        s.stop()


@pytest.fixture(params=DIALECTS)
def strict_live(request, strict_servers):
    """A live API server with tight limits (see STRICT_ENV), on SQLite then PostgreSQL."""
    return strict_servers(request.param)
