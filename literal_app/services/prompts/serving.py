"""``get_prompt``, the SDKs' hottest read, in one database round trip.

An application calls ``get_prompt(name)`` before each LLM call, so its latency is added to every
generation. The ordinary path costs a round trip per step (begin, the API key, a statement
timeout, the lineage, the rollout with its versions, commit). ``serve`` answers the common cases
with one statement, run outside a transaction by the caller: the API key (by hash, not
revoked: the same checks as ``accounts.api_keys.actor_for_api_key``), the lineage of that name in
the key's project, its rollout shares and the versions they may serve (never a deprecated one);
or, by name and version number or by id, that version of the key's project (deprecated or not, as
``prompts.get_version`` gives it). The draw is the one ``get_version`` makes. ``serve_async`` is
the same for a request handler on the event loop (PostgreSQL: an asynchronous connection, no
worker thread).
Nothing is cached, so a revoked key, a new rollout, a new version or a deprecation is seen by the
very next call, in every process.

Every other case answers ``None`` and the caller takes the ordinary path, which gives the usual
answer or error: no or unknown key, a revoked key, a key whose last use is to be recorded (a
write, once a minute per key), a role without ``prompts:read``, an unknown prompt or version, or
a prompt without a servable rollout share (its fallback version is chosen there).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass

import anyio.to_thread
import psycopg
from sqlalchemy import Select, and_, bindparam, false, literal_column, select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from literal_app import db_async
from literal_app.auth.secrets import token_hash
from literal_app.db import get_read_engine, session_scope
from literal_app.models.auth import ApiKey
from literal_app.models.prompts import PromptLineage, PromptRollout, PromptVersion
from literal_app.models.types import utcnow
from literal_app.services.kernel.actor import Actor
from literal_app.services.kernel.limits import API_KEY_LAST_USED_RESOLUTION as LAST_USED_RESOLUTION
from literal_app.services.prompts.prompts import PromptVersionRead, playground_url

log = logging.getLogger(__name__)
_K, _L, _R, _V = ApiKey.__table__, PromptLineage.__table__, PromptRollout.__table__, PromptVersion.__table__
_VERSION_COLUMNS = [c for c in _V.c if c.name not in ("project_id", "lineage_id")]
_KEY_COLUMNS = (_K.c.id, _K.c.project_id, _K.c.role, _K.c.revoked_at, _K.c.last_used_at)
_LINEAGE_COLUMNS = (_L.c.id.label("lineage_id"), _L.c.name.label("lineage_name"),
                    _L.c.deleted_at.label("lineage_deleted_at"))
_VERSION_LABELS = [c.label(f"v_{c.name}") for c in _VERSION_COLUMNS]
_BY_KEY = _K.c.key_hash == bindparam("key_hash")
_NAMED = and_(_L.c.project_id == _K.c.project_id, _L.c.name == bindparam("name"))
# Built once: constructing a statement costs more than running one. By name alone, one row per
# rollout share (key and lineage columns repeated), or one with NULL lineage/rollout when there is
# none; by name and number or by id, one row (a version or NULLs) with a share of 1.
_BY_ROLLOUT = (
    select(*_KEY_COLUMNS, *_LINEAGE_COLUMNS, _R.c.rollout, *_VERSION_LABELS)
    .select_from(_K)
    .outerjoin(_L, _NAMED)
    .outerjoin(_R, and_(_R.c.lineage_id == _L.c.id, _R.c.rollout > 0))
    .outerjoin(_V, and_(_V.c.lineage_id == _R.c.lineage_id, _V.c.version == _R.c.version,
                        _V.c.deprecated == false()))
    .where(_BY_KEY)
    .order_by(_R.c.version))
_BY_NUMBER = (
    select(*_KEY_COLUMNS, *_LINEAGE_COLUMNS, literal_column("1").label("rollout"), *_VERSION_LABELS)
    .select_from(_K)
    .outerjoin(_L, _NAMED)
    .outerjoin(_V, and_(_V.c.lineage_id == _L.c.id, _V.c.version == bindparam("version")))
    .where(_BY_KEY))
_BY_ID = (
    select(*_KEY_COLUMNS, *_LINEAGE_COLUMNS, literal_column("1").label("rollout"), *_VERSION_LABELS)
    .select_from(_K)
    .outerjoin(_V, and_(_V.c.id == bindparam("id"), _V.c.project_id == _K.c.project_id))
    .outerjoin(_L, _L.c.id == _V.c.lineage_id)
    .where(_BY_KEY))


@dataclass(frozen=True)
class PromptRequest:
    """What ``get_prompt`` asks for: an id, a name and version number, or a name alone."""

    name: str | None = None
    version: int | None = None
    id: str | None = None

    def statement(self, api_key: str) -> tuple[Select, dict]:
        params = {"key_hash": token_hash(api_key)}
        if self.id is not None:
            return _BY_ID, {**params, "id": self.id}
        if self.version is not None:
            return _BY_NUMBER, {**params, "name": self.name, "version": self.version}
        return _BY_ROLLOUT, {**params, "name": self.name}


@dataclass(frozen=True)
class Served:
    actor: Actor
    version: PromptVersionRead


def serve(session: Session, api_key: str | None, request: PromptRequest, *, environment: str | None = None,
          rng: random.Random | None = None) -> Served | None:
    """The caller's Actor and the version asked for (by name alone: drawn from the rollout), or
    ``None`` when the ordinary path must answer (see the module docstring)."""
    if not api_key:
        return None
    statement, params = request.statement(api_key)
    try:
        rows = session.execute(statement, params).all()
    except DBAPIError:  # e.g. a connection the server dropped (no checkout ping here): the ordinary path answers
        log.warning("get_prompt's one-statement path failed; taking the ordinary path", exc_info=True)
        session.rollback()
        return None
    return _served(rows, environment, rng)


async def serve_async(api_key: str | None, request: PromptRequest, *, environment: str | None = None,
                      rng: random.Random | None = None) -> Served | None:
    """``serve`` for a request handler on the event loop: on PostgreSQL the statement runs on an
    asynchronous connection (``literal_app.db_async``: no worker thread, no session); on SQLite in
    a worker thread with a session of the read engine."""
    if not api_key:
        return None
    if not db_async.available():
        return await anyio.to_thread.run_sync(_serve_in_session, api_key, request, environment, rng)
    statement, params = request.statement(api_key)
    try:
        rows = await db_async.fetch(statement, params)
    except db_async.Busy:  # a burst: the ordinary path's pool takes the rest
        return None
    except (psycopg.Error, OSError):
        log.warning("get_prompt's one-statement path failed; taking the ordinary path", exc_info=True)
        return None
    return _served(rows, environment, rng)


def _serve_in_session(api_key: str, request: PromptRequest, environment: str | None,
                      rng: random.Random | None) -> Served | None:
    with session_scope(get_read_engine()) as session:
        return serve(session, api_key, request, environment=environment, rng=rng)


def _served(rows, environment: str | None, rng: random.Random | None) -> Served | None:
    """The Actor and the drawn version from the statement's rows, or None (see the module docstring)."""
    if not rows:
        return None
    key = rows[0]
    if key.revoked_at is not None or key.last_used_at is None or utcnow() - key.last_used_at > LAST_USED_RESOLUTION:
        return None
    actor = Actor(project_id=key.project_id, role=key.role, api_key_id=key.id, environment=environment)
    if not actor.can("prompts:read"):
        return None
    servable = [r for r in rows if r.v_id is not None]
    if not servable:
        return None
    row = (rng or random).choices(servable, weights=[r.rollout for r in servable], k=1)[0]
    return Served(actor, PromptVersionRead(
        row.v_id, row.lineage_id, row.lineage_name, row.v_version, row.v_type, row.v_template_messages,
        row.v_settings, row.v_tools, row.v_variables, row.v_variables_default_values, row.v_changelog, row.v_label,
        row.v_status, row.v_tags, row.v_created_at, row.v_updated_at, row.lineage_deleted_at,
        playground_url(key.project_id, row.lineage_name, row.v_version), bool(row.v_deprecated),
        row.v_created_by_id))
