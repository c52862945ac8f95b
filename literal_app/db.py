"""One engine factory for SQLite and PostgreSQL, and the session scope every service uses."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import orjson
import psycopg
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, PendingRollbackError
from sqlmodel import Session, create_engine

from literal_app.config import get_settings


def dump_json(value) -> str:
    """JSON column values as text, with orjson: ingestion serialises every input, output and
    metadata object, and the standard library's encoder was a tenth of its time."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def make_engine(url: str, *, ping: bool = True) -> Engine:
    """Create an engine with the settings each dialect needs under concurrent use (``ping``: test
    each PostgreSQL connection with a round trip when it is taken from the pool)."""
    if url.startswith("sqlite"):
        _create_private_file(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               json_serializer=dump_json)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # WAL lets readers run while a writer commits
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=ping, json_serializer=dump_json)


def _create_private_file(url: str) -> None:
    """Create a SQLite database file readable by this user only (0600) before SQLite creates it
    with the umask's permissions; its -wal and -shm files take the same mode."""
    path = make_url(url).database
    if not path or path == ":memory:" or os.path.exists(path):
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def begin_write(session: Session) -> None:
    """On SQLite, take the write lock now (``BEGIN IMMEDIATE``) for a transaction that will write.

    pysqlite starts a transaction lazily, and a SAVEPOINT (``session.begin_nested()``) starts it
    as a *deferred* one: its first read pins a snapshot, and when another connection commits in
    between, the later write fails at once with "database is locked" instead of waiting for the
    busy timeout. Taking the lock first makes concurrent writers queue. No-op on PostgreSQL or
    when a transaction is already open on the connection.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    conn = session.connection()
    if not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def limit_statement_time(session: Session, seconds: float) -> None:
    """On PostgreSQL, bound every statement of the current transaction (``SET LOCAL``); SQLite
    has no statement timeout (the request's own time budget covers it)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().exec_driver_sql(f"SET LOCAL statement_timeout = {max(1, int(seconds * 1000))}")


DATABASE_ERRORS = (DBAPIError, PendingRollbackError)


def deadlocked(e: Exception) -> bool:
    """Whether a transaction failed as PostgreSQL's deadlock (or serialization) victim, so running
    it again can succeed: raised by the statement itself, or by the commit of a session whose
    statement already met it (SQLAlchemy's message then carries the original error's name)."""
    if isinstance(e, DBAPIError):
        return isinstance(e.orig, (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure))
    return isinstance(e, PendingRollbackError) and ("DeadlockDetected" in str(e) or "SerializationFailure" in str(e))


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine for the configured DATABASE_URL."""
    return make_engine(get_settings().database_url)


@lru_cache
def get_read_engine() -> Engine:
    """Autocommit connections without the checkout ping, for one-statement hot reads (``get_prompt``
    by name): no BEGIN, COMMIT or ping round trips. A statement on a connection the server dropped
    fails (and the pool discards it); callers then take the ordinary path."""
    url = get_settings().database_url
    engine = get_engine() if url.startswith("sqlite") else make_engine(url, ping=False)
    return engine.execution_options(isolation_level="AUTOCOMMIT")


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any exception."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
