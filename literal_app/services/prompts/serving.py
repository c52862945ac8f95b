"""``get_prompt`` by name, the SDKs' hottest read, in one database round trip.

An application calls ``get_prompt(name)`` before each LLM call, so its latency is added to every
generation. The ordinary path costs a round trip per step (begin, the API key, a statement
timeout, the lineage, the rollout with its versions, commit). ``serve_by_name`` answers the common
case with one statement, run outside a transaction by the caller: the API key (by hash, not
revoked: the same checks as ``accounts.api_keys.actor_for_api_key``), the lineage of that name in
the key's project, its rollout shares and the versions they may serve (never a deprecated one).
The draw is the one ``prompts.get_version`` makes. ``serve_by_name_async`` is the same for a
request handler on the event loop (PostgreSQL: an asynchronous connection, no worker thread).
Nothing is cached, so a revoked key, a new rollout, a new version or a deprecation is seen by the
very next call, in every process.

Every other case answers ``None`` and the caller takes the ordinary path, which gives the usual
answer or error: no or unknown key, a revoked key, a key whose last use is to be recorded (a
write, once a minute per key), a role without ``prompts:read``, an unknown prompt, or a prompt
without a servable rollout share (its fallback version is chosen there).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass

import anyio.to_thread
import psycopg
from sqlalchemy import and_, bindparam, false, select
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
# Built once: constructing a statement costs more than running this one. Rows: one per rollout
# share (key and lineage columns repeated), or one with NULL lineage/rollout when there is none.
_SERVE = (
    select(_K.c.id, _K.c.project_id, _K.c.role, _K.c.revoked_at, _K.c.last_used_at,
           _L.c.id.label("lineage_id"), _L.c.name.label("lineage_name"), _L.c.deleted_at.label("lineage_deleted_at"),
           _R.c.rollout, *[c.label(f"v_{c.name}") for c in _VERSION_COLUMNS])
    .select_from(_K)
    .outerjoin(_L, and_(_L.c.project_id == _K.c.project_id, _L.c.name == bindparam("name")))
    .outerjoin(_R, and_(_R.c.lineage_id == _L.c.id, _R.c.rollout > 0))
    .outerjoin(_V, and_(_V.c.lineage_id == _R.c.lineage_id, _V.c.version == _R.c.version,
                        _V.c.deprecated == false()))
    .where(_K.c.key_hash == bindparam("key_hash"))
    .order_by(_R.c.version))


@dataclass(frozen=True)
class Served:
    actor: Actor
    version: PromptVersionRead


def serve_by_name(session: Session, api_key: str | None, name: str, *, environment: str | None = None,
                  rng: random.Random | None = None) -> Served | None:
    """The caller's Actor and the version drawn from the rollout of prompt ``name``, or ``None``
    when the ordinary path must answer (see the module docstring)."""
    if not api_key or not isinstance(name, str):
        return None
    try:
        rows = session.execute(_SERVE, {"key_hash": token_hash(api_key), "name": name}).all()
    except DBAPIError:  # e.g. a connection the server dropped (no checkout ping here): the ordinary path answers
        log.warning("get_prompt's one-statement path failed; taking the ordinary path", exc_info=True)
        session.rollback()
        return None
    return _served(rows, environment, rng)


async def serve_by_name_async(api_key: str | None, name: str, *, environment: str | None = None,
                              rng: random.Random | None = None) -> Served | None:
    """``serve_by_name`` for a request handler on the event loop: on PostgreSQL the statement runs
    on an asynchronous connection (``literal_app.db_async``: no worker thread, no session); on
    SQLite in a worker thread with a session of the read engine."""
    if not api_key or not isinstance(name, str):
        return None
    if not db_async.available():
        return await anyio.to_thread.run_sync(_serve_in_session, api_key, name, environment, rng)
    try:
        rows = await db_async.fetch(_SERVE, {"key_hash": token_hash(api_key), "name": name})
    except db_async.Busy:  # a burst: the ordinary path's pool takes the rest
        return None
    except (psycopg.Error, OSError):
        log.warning("get_prompt's one-statement path failed; taking the ordinary path", exc_info=True)
        return None
    return _served(rows, environment, rng)


def _serve_in_session(api_key: str, name: str, environment: str | None, rng: random.Random | None) -> Served | None:
    with session_scope(get_read_engine()) as session:
        return serve_by_name(session, api_key, name, environment=environment, rng=rng)


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
