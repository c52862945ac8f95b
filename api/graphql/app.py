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
from api.graphql import fast_ingest, fast_prompt, limits, timeouts
from api.graphql.arguments import CleanArguments
from api.graphql import resolvers as resolvers_pkg
from api.graphql.context import GraphQLContext
from api.graphql.scalars import scalars
from literal_app.db import DATABASE_ERRORS, begin_write, deadlocked, session_scope
from literal_app.services.ingestion import ingest_steps
from literal_app.services.kernel.errors import DomainError
from literal_app.services.prompts import serving

log = logging.getLogger(__name__)
router = APIRouter()
SCHEMA_PATH = Path(__file__).with_name("schema.graphql")
# The clients build an empty "mutation CreateScores() { }" when an experiment item has no scores
# (PROTOCOL.md 3.9); it is not valid GraphQL, and answering {"data": {}} keeps them working.
_EMPTY_MUTATION = re.compile(r"^\s*mutation\s*\w*\s*\(\s*\)\s*\{\s*\}\s*$")
CACHED_QUERY_MAX = 64 * 1024


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


def _parse_and_validate(query: str) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """Parse within the size bounds, check the cost bounds (cheap, and before graphql-core's
    validation, whose overlap check is quadratic in aliases), then validate."""
    try:
        document = parse(query, max_lexical_tokens=limits.MAX_TOKENS, max_comments=limits.MAX_COMMENTS,
                         max_source_length=limits.MAX_SOURCE_LENGTH)
    except GraphQLError as e:
        return None, [e]
    too_much = limits.check(get_schema(), document)
    if too_much:
        return None, too_much
    return document, validate(get_schema(), document)


_small_parses = lru_cache(maxsize=512)(_parse_and_validate)
_large_parses = lru_cache(maxsize=16)(_parse_and_validate)  # big ingestion batches, bounded memory


def _parsed(query: str) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """Parsed and validated once per distinct document text (the SDKs send the same few documents
    over and over); large documents get a small cache of their own, so they cannot fill memory."""
    return (_small_parses if len(query) <= CACHED_QUERY_MAX else _large_parses)(query)


def _plan(query: str) -> fast_ingest.Plan | None:
    document, errors = _parsed(query)
    return None if errors else fast_ingest.plan(get_schema(), document)


_small_plans = lru_cache(maxsize=512)(_plan)
_large_plans = lru_cache(maxsize=16)(_plan)


def _ingest_plan(query: str) -> fast_ingest.Plan | None:
    """The ``ingestStep`` fast-path plan of a (valid) document text, or None."""
    return (_small_plans if len(query) <= CACHED_QUERY_MAX else _large_plans)(query)


# get_prompt fast-path plans by document text, recorded by the ordinary path once a caller with a
# valid key had the document parsed: the fast path itself never parses before the key is checked.
_prompt_plans: dict[str, fast_prompt.PromptPlan | None] = {}
PROMPT_PLANS_MAX = 64


def _remember_prompt_plan(query: str, document: DocumentNode) -> None:
    if query not in _prompt_plans and len(_prompt_plans) < PROMPT_PLANS_MAX and "promptVersion" in query:
        _prompt_plans[query] = fast_prompt.plan(get_schema(), document)


def knows_prompt_documents() -> bool:
    """Whether a get_prompt document has been seen (the fast path has nothing to match before)."""
    return bool(_prompt_plans)


async def serve_prompt(raw: bytes, api_key: str | None, env: str | None) -> dict | None:
    """The response to ``get_prompt`` when the one-statement path can give it, else None (the
    request then takes the ordinary path). Runs on the event loop (``fast_route``): on PostgreSQL
    neither a worker thread nor graphql-core's executor is involved."""
    if b"promptVersion" not in raw:  # not parsed twice: an ingestion batch, a score...
        return None
    try:
        body = parse_body(raw)
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return None
    p = _prompt_plans.get(body["query"])
    variables = body.get("variables") or {}
    if p is None or not isinstance(variables, dict):
        return None
    request = fast_prompt.requested(p, variables)
    if request is None:
        return None
    served = await serving.serve_async(api_key, request, environment=env or None)
    return None if served is None else fast_prompt.render(p, served.version)


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


class _ErrorLog(logging.LoggerAdapter):
    """ariadne logs every error of a result with its traceback: a domain error (a refused write,
    a missing row) is an answer, not a fault, and gets one line; unexpected errors are logged
    with their traceback by ``format_error``."""

    def error(self, msg, *args, exc_info=None, **kwargs):  # noqa: D102 - the logging API
        original = getattr(exc_info, "original_error", None)
        if original is None or isinstance(original, (DomainError, GraphQLError, ValueError, TypeError)):
            self.logger.info("GraphQL error: %s", str(msg).splitlines()[0][:300])


_error_log = _ErrorLog(log, {})
CLEAN_ARGUMENTS = CleanArguments()


def _is_mutation(document: DocumentNode) -> bool:
    return any(getattr(d, "operation", None) == OperationType.MUTATION for d in document.definitions)


def _check_body(body: Any) -> str | None:
    """What is wrong with the request's shape, if anything."""
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return "The body must be a JSON object with a 'query' string."
    if not isinstance(body.get("variables") or {}, dict):
        return "'variables' must be a JSON object."
    return None


RETRIES = 3


def execute(body: Any, api_key: str | None, env: str | None) -> tuple[int, dict]:
    """Run one GraphQL request and return (HTTP status, response body). The API key is checked
    before the document is parsed: parsing and validating cost CPU an anonymous caller must not
    be able to spend.

    A transaction PostgreSQL aborts as a deadlock victim (e.g. a thread's tags cascading to its
    steps while another request ingests steps of that thread) left nothing behind: the request
    runs again, up to ``RETRIES`` times, instead of failing a client that does not retry."""
    problem = _check_body(body)
    if problem:
        return 400, {"errors": [{"message": problem}]}
    for attempt in range(RETRIES):
        try:
            return _execute_once(body, api_key, env)
        except DATABASE_ERRORS as e:
            if attempt == RETRIES - 1 or not deadlocked(e):
                raise
            log.info("GraphQL request chosen as a deadlock victim; running it again (attempt %d)", attempt + 2)
    raise AssertionError("unreachable")


def _execute_once(body: dict, api_key: str | None, env: str | None) -> tuple[int, dict]:
    variables = body.get("variables") or {}
    with session_scope() as session:
        actor = resolve_actor(session, api_key, env)
        if _EMPTY_MUTATION.match(body["query"]):
            return 200, {"data": {}}
        document, errors = _parsed(body["query"])
        if errors:
            return 400, {"errors": [format_error(e) for e in errors]}
        _remember_prompt_plan(body["query"], document)
        plan = _ingest_plan(body["query"])
        items = fast_ingest.arguments(plan, variables) if plan else None
        if items is not None:
            begin_write(session)
            try:
                return 200, {"data": fast_ingest.response(plan, ingest_steps(session, actor, items, alone=True))}
            except DomainError as e:  # e.g. a role that may not write: answered like graphql-core would
                return 200, fast_ingest.failure(plan, e.message, type(e).__name__.upper())
        if _is_mutation(document):
            begin_write(session)  # SQLite: queue concurrent writers instead of failing them
        deadline = timeouts.start(session)
        context = GraphQLContext(session=session, actor=actor)
        _, result = graphql_sync(get_schema(), {"query": body["query"], "variables": variables},
                                 context_value=context, query_document=document,
                                 query_validator=lambda *a, **k: [], error_formatter=format_error,
                                 middleware=[deadline, CLEAN_ARGUMENTS], logger=_error_log)
    return 200, result


_LONG_INTEGER = re.compile(rb"\d{19,}")


def parse_body(raw: bytes) -> Any:
    """The request's JSON: orjson (several times faster on large ingestion batches), else the
    standard parser, which also accepts what orjson refuses (NaN, lone surrogates). orjson reads
    integers beyond 64 bits as floats (``1e+23``); a body with such a long digit run is read by the
    standard parser, which keeps the integer, so validation can refuse it by name."""
    if not _LONG_INTEGER.search(raw):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
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
