"""One-statement reads on the event loop, for the hottest read of the API (``get_prompt`` by name).

On PostgreSQL a request handler would otherwise hop to a worker thread (~0.15 ms of CPU under
load) and go through a SQLAlchemy session (~0.3 ms) for one indexed statement. ``fetch`` runs a
prebuilt SQLAlchemy statement on psycopg's asynchronous connection instead: autocommit (no BEGIN
or COMMIT round trips), prepared on each connection, rows converted by the statement's own
column types (so values are exactly what the SQLAlchemy path gives: aware UTC datetimes, JSON).

Each event loop keeps its own connections, at most ``MAX_OPEN``: when all are busy ``fetch`` raises
``Busy`` rather than open more (a burst must not use up the server's connection slots).
psycopg_pool's AsyncConnectionPool is not used: it binds background tasks to the loop that opened
it, and one process may serve the app from several loops over its life (test clients start one
per client). A connection that fails is closed and the error raised; callers fall back to their
ordinary (thread and session) path.
SQLite has no asynchronous driver here: ``available()`` says whether ``fetch`` can be used.
"""

from __future__ import annotations

import asyncio
import json
from collections import namedtuple
from functools import lru_cache
from typing import Any

import orjson
import psycopg
from psycopg.types.json import set_json_loads
from sqlalchemy.engine import make_url
from sqlalchemy.sql import Select

from literal_app.config import get_settings
from literal_app.db import get_read_engine

MAX_OPEN = 8  # per event loop: beyond it (a burst), requests take their callers' ordinary path
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


def _loads(data: bytes | str) -> Any:
    """JSON columns as the engine reads them (``json.loads``), with orjson where it can (most of
    the time: it refuses integers beyond 64 bits, which the standard parser keeps)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


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

    def rows(self, raw: list[tuple], cursor: psycopg.AsyncCursor) -> list[Any]:
        if self.converters is None:  # (``description`` builds a Column per column on each call)
            self.converters = [t.result_processor(self.dialect, d.type_code)
                               for t, d in zip(self.types, cursor.description)]
        conv = self.converters
        return [self.row(*[f(v) if f is not None and v is not None else v for f, v in zip(conv, r)]) for r in raw]


@lru_cache(maxsize=32)
def _prepared(statement: Select) -> _Prepared:
    return _Prepared(statement)


class Busy(Exception):
    """Every connection of this event loop is in use."""


class _Connections:
    """The connections of one event loop."""

    def __init__(self):
        self.idle: list[psycopg.AsyncConnection] = []
        self.open = 0  # idle and in use

    def drop_idle(self) -> None:
        for conn in self.idle:
            conn.pgconn.finish()  # synchronous: also works once the loop is closed
        self.open -= len(self.idle)
        self.idle = []

    async def take(self) -> psycopg.AsyncConnection:
        if self.idle:
            return self.idle.pop()
        if self.open >= MAX_OPEN:
            raise Busy
        self.open += 1
        try:
            conn = await psycopg.AsyncConnection.connect(_dsn(), autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except BaseException:
            self.open -= 1
            raise
        set_json_loads(_loads, conn)
        return conn

    def give_back(self, conn: psycopg.AsyncConnection) -> None:
        if conn.closed:
            self.discard(conn)
        else:
            self.idle.append(conn)

    def discard(self, conn: psycopg.AsyncConnection) -> None:
        conn.pgconn.finish()
        self.open -= 1


_by_loop: dict[asyncio.AbstractEventLoop, _Connections] = {}


def _connections() -> _Connections:
    """This event loop's connections (those of closed loops are closed and forgotten)."""
    loop = asyncio.get_running_loop()
    found = _by_loop.get(loop)
    if found is None:
        for old in [lp for lp in _by_loop if lp.is_closed()]:
            _by_loop.pop(old).drop_idle()
        found = _by_loop[loop] = _Connections()
    return found


def close_idle() -> None:
    """Close every idle connection (e.g. before the database is dropped or its address changes)."""
    for connections in list(_by_loop.values()):
        connections.drop_idle()


async def fetch(statement: Select, params: dict[str, Any]) -> list[Any]:
    """Every row of ``statement`` (named tuples of its selected columns) with ``params`` bound.
    Raises ``psycopg.Error`` when the database cannot answer (the connection is then closed), and
    ``Busy`` when ``MAX_OPEN`` connections are in use."""
    p = _prepared(statement)
    connections = _connections()
    conn = await connections.take()
    try:
        cursor = await conn.execute(p.sql, {**p.constants, **params}, prepare=True)
        raw = await cursor.fetchall()
    except BaseException:
        connections.discard(conn)  # broken, cancelled or mid-statement: never reused
        raise
    connections.give_back(conn)
    return p.rows(raw, cursor)
