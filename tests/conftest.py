"""Shared fixtures: a database per dialect (SQLite and PostgreSQL, migrated with Alembic), a
session per test on each, factories, and a live API server in a subprocess.

Each pytest process gets its own PostgreSQL database (``literal_test_<random>``), so parallel
runs never share rows. Tables are emptied between tests.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

import literal_app.models  # noqa: F401
from literal_app import migrate
from literal_app.db import make_engine

PG_ADMIN_URL = os.environ.get("LITERAL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
DIALECTS = ["sqlite", "postgresql"]


def _pg_url(dbname: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{dbname}".replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def tmp_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("literal")
    os.environ.setdefault("LITERAL_DATA_DIR", str(root / "data"))
    return root


@pytest.fixture(scope="session")
def pg_database_url(tmp_root) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test process."""
    name = f"literal_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = _pg_url(name)
    migrate.upgrade(url)
    yield url
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_database_url(tmp_root) -> str:
    url = f"sqlite:///{tmp_root / 'test.db'}"
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def engines(request) -> dict[str, Engine]:
    return {}


def _engine_for(request, engines: dict[str, Engine], dialect: str) -> Engine:
    if dialect not in engines:
        url = request.getfixturevalue(f"{'pg' if dialect == 'postgresql' else 'sqlite'}_database_url")
        engines[dialect] = make_engine(url)
    return engines[dialect]


def truncate_all(engine: Engine) -> None:
    """Empty every table (children first) so each test starts from a blank database."""
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"))
        else:
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))


@pytest.fixture(params=DIALECTS)
def engine(request, engines) -> Iterator[Engine]:
    """The engine of one dialect, emptied after the test; tests using it run on both."""
    eng = _engine_for(request, engines, request.param)
    truncate_all(eng)  # live-server tests share the database and leave their projects behind
    yield eng


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s
        s.rollback()


@pytest.fixture(scope="session")
def live_servers(request, tmp_root) -> Iterator[dict]:
    """Live API servers, started on first use, one per dialect."""
    from tests.live import start_live_server

    servers: dict = {}

    def get(dialect: str):
        if dialect not in servers:
            url = request.getfixturevalue("pg_database_url" if dialect == "postgresql" else "sqlite_database_url")
            servers[dialect] = start_live_server(url, tmp_root / f"live-{dialect}")
        return servers[dialect]

    yield get
    for s in servers.values():
        s.stop()


@pytest.fixture(params=DIALECTS)
def live(request, live_servers):
    """A running API server (SQLite, then PostgreSQL); see tests/live.py."""
    return live_servers(request.param)


@pytest.fixture
def live_pg(live_servers):
    """A running API server on PostgreSQL only (for slower end-to-end scenarios)."""
    return live_servers("postgresql")


@pytest.fixture(autouse=True)
def _stop_test_workers() -> Iterator[None]:
    """Every ``worker.py`` a test started (tests/worker_procs.py) is killed with its process group
    when the test ends, passed or failed: none is left serving the test's Redis database."""
    from tests import worker_procs

    yield
    worker_procs.stop_all()


def pytest_collection_modifyitems(config, items):
    """Run browser tests last: Playwright's sync API keeps an event loop running in the main
    thread for the rest of the session, which would break later asyncio tests."""
    def is_browser(item) -> bool:
        return item.get_closest_marker("browser") is not None or "/tests/e2e/" in str(item.path)

    items.sort(key=is_browser)


# The browser fixtures (tests/e2e/fixtures.py), registered here so tests/e2e and tests/security share
# one app and one Playwright instance per session. Imported last: tests.e2e.app uses truncate_all.
from tests.e2e.fixtures import browser, new_page, ui_app  # noqa: E402,F401
