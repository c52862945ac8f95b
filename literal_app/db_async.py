"""One-statement reads on the event loop, for the hottest read of the API (``get_prompt`` by name).

On PostgreSQL a request handler would otherwise hop to a worker thread (~0.15 ms of CPU under
load) and go through a SQLAlchemy session (~0.3 ms) for one indexed statement. ``fetch`` runs a
prebuilt SQLAlchemy statement on psycopg's asynchronous connection instead: autocommit (no BEGIN
or COMMIT round trips), prepared on each connection, rows converted by the statement's own
column types (so values are exactly what the SQLAlchemy path gives: aware UTC datetimes, JSON).

Connections are kept per event loop, a few idle ones at most. psycopg_pool's AsyncConnectionPool
is not used: it binds background tasks to the loop that opened it, and one process may serve the
app from several loops over its life (test clients start one per client). A connection that fails
is closed and the error raised; callers fall back to their ordinary (thread and session) path.
SQLite has no asynchronous driver here: ``available()`` says whether ``fetch`` can be used.
"""

from __future__ import annotations

import asyncio
import logging
from collections import namedtuple
from functools import lru_cache
from typing import Any

import psycopg
from sqlalchemy.engine import make_url
from sqlalchemy.sql import Select

from literal_app.config import get_settings
from literal_app.db import get_read_engine

log = logging.getLogger(__name__)
MAX_IDLE = 8  # per event loop: one per concurrent request in flight is plenty
CONNECT_TIMEOUT_S = 5


@lru_cache
def available() -> bool:
    """Whether the configured database is PostgreSQL (the one with an asynchronous driver here)."""
    return get_settings().database_url.startswith("postgresql")


@lru_cache
def _dsn() -> str:
    """The libpq address of the configured database (SQLAlchemy's URL without the driver name)."""
    url = make_url(get_settings().database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class _Prepared:
    """A statement compiled once for psycopg: its SQL, constant parameters and row converters."""

    def __init__(self, statement: Select):
        dialect = get_read_engine().dialect
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self.constants = dict(compiled.params)  # literals the statement binds (e.g. rollout > 0)
        self.dialect, self.types = dialect, [c.type.dialect_impl(dialect) for c in statement.selected_columns]
        self.row = namedtuple("Row", [c.key for c in statement.selected_columns], rename=True)
        self.converters: list | None = None  # from the first answer's column type codes

    def rows(self, raw: list[tuple], description) -> list[Any]:
        if self.converters is None:
            self.converters = [t.result_processor(self.dialect, d.type_code) for t, d in zip(self.types, description)]
        conv = self.converters
        return [self.row(*[f(v) if f is not None and v is not None else v for f, v in zip(conv, r)]) for r in raw]


@lru_cache(maxsize=32)
def _prepared(statement: Select) -> _Prepared:
    return _Prepared(statement)


class _Connections:
    """Idle connections of the current event loop; those of a loop no longer running are dropped."""

    def __init__(self):
        self.loop: asyncio.AbstractEventLoop | None = None
        self.idle: list[psycopg.AsyncConnection] = []

    def _for(self, loop: asyncio.AbstractEventLoop) -> list[psycopg.AsyncConnection]:
        if loop is not self.loop:
            for conn in self.idle:  # their loop is gone: close the sockets without it
                conn.pgconn.finish()
            self.loop, self.idle = loop, []
        return self.idle

    async def take(self) -> psycopg.AsyncConnection:
        idle = self._for(asyncio.get_running_loop())
        if idle:
            return idle.pop()
        return await psycopg.AsyncConnection.connect(_dsn(), autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)

    async def give_back(self, conn: psycopg.AsyncConnection) -> None:
        idle = self._for(asyncio.get_running_loop())
        if len(idle) < MAX_IDLE and not conn.closed:
            idle.append(conn)
        else:
            await conn.close()


_connections = _Connections()


def close_idle() -> None:
    """Close every idle connection (e.g. before the database is dropped or its address changes)."""
    for conn in _connections.idle:
        conn.pgconn.finish()
    _connections.idle = []


async def fetch(statement: Select, params: dict[str, Any]) -> list[Any]:
    """Every row of ``statement`` (named tuples of its selected columns) with ``params`` bound.
    Raises ``psycopg.Error`` when the database cannot answer (the connection is then closed)."""
    p = _prepared(statement)
    conn = await _connections.take()
    try:
        cursor = await conn.execute(p.sql, {**p.constants, **params}, prepare=True)
        raw = await cursor.fetchall()
    except BaseException:
        conn.pgconn.finish()  # broken, cancelled or mid-statement: never reused
        raise
    await _connections.give_back(conn)
    return p.rows(raw, cursor.description)
