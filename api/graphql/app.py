"""POST /api/graphql: the schema-first GraphQL endpoint (ariadne) the official clients talk to.

The schema is ``schema.graphql``; every module in ``api/graphql/resolvers`` contributes its
``bindables``. Each request gets one database session (one transaction, committed before the
response so writes are readable at once) and the Actor of its ``x-api-key``. Parsed and validated
documents are cached by query text: the SDKs send the same few documents over and over.
"""

from __future__ import annotations

import importlib
import json
import logging
import pkgutil
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from ariadne import graphql_sync, make_executable_schema
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from graphql import GraphQLError, GraphQLSchema, parse, validate
from graphql.language import DocumentNode, OperationType

from api.deps import resolve_actor
from api.graphql import fast_ingest
from api.graphql import resolvers as resolvers_pkg
from api.graphql.context import GraphQLContext
from api.graphql.scalars import scalars
from literal_app.db import begin_write, session_scope
from literal_app.services.ingestion import ingest_steps
from literal_app.services.kernel.errors import DomainError

log = logging.getLogger(__name__)
router = APIRouter()
SCHEMA_PATH = Path(__file__).with_name("schema.graphql")
# The clients build an empty "mutation CreateScores() { }" when an experiment item has no scores
# (PROTOCOL.md 3.9); it is not valid GraphQL, and answering {"data": {}} keeps them working.
_EMPTY_MUTATION = re.compile(r"^\s*mutation\s*\w*\s*\(\s*\)\s*\{\s*\}\s*$")


def collect_bindables() -> list:
    """Every ``bindables`` list exported by a module of ``api.graphql.resolvers``."""
    found: list = []
    for mod in sorted(pkgutil.iter_modules(resolvers_pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{resolvers_pkg.__name__}.{mod.name}")
        found.extend(getattr(module, "bindables", []))
    return found


@lru_cache
def get_schema() -> GraphQLSchema:
    return make_executable_schema(SCHEMA_PATH.read_text(), *scalars, *collect_bindables(),
                                  convert_names_case=True)


@lru_cache(maxsize=512)
def _parsed(query: str) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """Parse and validate once per distinct document text."""
    try:
        document = parse(query)
    except GraphQLError as e:
        return None, [e]
    return document, validate(get_schema(), document)


@lru_cache(maxsize=512)
def _ingest_plan(query: str) -> fast_ingest.Plan | None:
    """The ``ingestStep`` fast-path plan of a (valid) document text, or None."""
    document, errors = _parsed(query)
    return None if errors else fast_ingest.plan(get_schema(), document)


def format_error(error: GraphQLError, debug: bool = False) -> dict:
    """Readable messages: a domain error's own text; an unexpected one is logged and summarised."""
    formatted = error.formatted
    original = error.original_error
    if original is not None and not isinstance(original, (DomainError, GraphQLError, ValueError, TypeError)):
        log.exception("GraphQL resolver failed", exc_info=original)
        formatted["message"] = f"Internal error: {type(original).__name__}: {original}"[:500]
    if isinstance(original, DomainError):
        formatted.setdefault("extensions", {})["code"] = type(original).__name__.upper()
    return formatted


def _is_mutation(document: DocumentNode) -> bool:
    return any(getattr(d, "operation", None) == OperationType.MUTATION for d in document.definitions)


def execute(body: Any, api_key: str | None, env: str | None) -> tuple[int, dict]:
    """Run one GraphQL request and return (HTTP status, response body)."""
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return 400, {"errors": [{"message": "The body must be a JSON object with a 'query' string."}]}
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        return 400, {"errors": [{"message": "'variables' must be a JSON object."}]}
    if _EMPTY_MUTATION.match(body["query"]):
        return 200, {"data": {}}
    document, errors = _parsed(body["query"])
    if errors:
        return 400, {"errors": [format_error(e) for e in errors]}
    plan = _ingest_plan(body["query"])
    items = fast_ingest.arguments(plan, variables) if plan else None
    with session_scope() as session:
        actor = resolve_actor(session, api_key, env)
        if items is not None:
            begin_write(session)
            try:
                return 200, {"data": fast_ingest.response(plan, ingest_steps(session, actor, items, alone=True))}
            except DomainError as e:  # e.g. a role that may not write: answered like graphql-core would
                return 200, fast_ingest.failure(plan, e.message, type(e).__name__.upper())
        if _is_mutation(document):
            begin_write(session)  # SQLite: queue concurrent writers instead of failing them
        context = GraphQLContext(session=session, actor=actor)
        _, result = graphql_sync(get_schema(), {"query": body["query"], "variables": variables},
                                 context_value=context, query_document=document,
                                 query_validator=lambda *a, **k: [], error_formatter=format_error)
    return 200, result


def parse_body(raw: bytes) -> Any:
    """The request's JSON: orjson (several times faster on large ingestion batches), else the
    standard parser, which also accepts what orjson refuses (NaN, lone surrogates, huge integers)."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)


def json_response(result: dict, status: int) -> Response:
    try:
        return Response(orjson.dumps(result), status_code=status, media_type="application/json")
    except TypeError:  # something orjson cannot encode: the standard encoder's behaviour and errors
        return JSONResponse(result, status_code=status)


@router.post("/api/graphql")
async def graphql_endpoint(request: Request) -> Response:
    try:
        body = parse_body(await request.body())
    except ValueError as e:
        return JSONResponse({"errors": [{"message": f"The body is not valid JSON: {e}"}]}, status_code=400)
    try:
        status, result = await run_in_threadpool(
            execute, body, request.headers.get("x-api-key"), request.headers.get("x-env"))
    except DomainError as e:  # authentication: before any resolver runs
        return JSONResponse({"errors": [{"message": e.message}], "message": e.message}, status_code=e.status_code)
    return json_response(result, status)
