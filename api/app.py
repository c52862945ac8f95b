"""build_api(): the FastAPI app that Reflex mounts (``rx.App(api_transformer=build_api())``).

Domain errors become JSON errors with a readable ``message`` (logged as one line). Every answer
carries the security headers of ``web_security``; ``/api/*`` is rate limited per API key; browsers
may call it only from the app's origins, without credentials; the OpenAPI docs are off unless
``LITERAL_API_DOCS`` is set.
"""

from __future__ import annotations

import logging
import re
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from api.graphql.app import router as graphql_router
from api.graphql.fast_route import PromptFastPath
from api.rate_limit import RateLimit
from api.routes import auth, experiments, export, health, project, uploads
from literal_app.config import get_settings
from literal_app.jobs.online_evals import embedded_sweeper
from literal_app.services.kernel.errors import DomainError
from literal_app.startup import freeze_startup_objects
from literal_app.web_security import security_headers

log = logging.getLogger(__name__)


API_HEADERS = ["x-api-key", "x-env", "x-client-name", "x-client-version", "content-type"]


@asynccontextmanager
async def _lifespan(_api: FastAPI):
    """When the API is served on its own (uvicorn/granian ``api.app:build_api``): the embedded
    runner's periodic sweep. Mounted in the Reflex app, the app's lifespan task starts it instead."""
    await embedded_sweeper()
    yield


def build_api() -> FastAPI:
    settings = get_settings()
    docs = settings.api_docs  # not public unless asked for (LITERAL_API_DOCS=1)
    api = FastAPI(title="literal_app API", docs_url="/api/docs" if docs else None, redoc_url=None,
                  openapi_url="/api/openapi.json" if docs else None, lifespan=_lifespan)

    @api.exception_handler(DomainError)
    async def _domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        log.info("%s %s: %s", exc.status_code, type(exc).__name__, exc.message)  # one line, no traceback
        return JSONResponse({"error": exc.message, "message": exc.message}, status_code=exc.status_code)

    api.include_router(graphql_router)  # first: the SDKs' every call (routes are matched in order)
    for module in (health, project, uploads, export, auth, experiments):
        api.include_router(module.router)
    api.add_middleware(PromptFastPath)  # innermost: after the rate limit, CORS and headers
    api.add_middleware(CollapseSlashes)
    api.add_middleware(RateLimit)
    # Browsers: only the app's own origins, and never with credentials (the API authenticates by
    # key, not cookie). Reflex adds its own CORS layer around the mounted app with the same origins.
    api.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=False,
                       allow_methods=["GET", "POST", "PUT"], allow_headers=API_HEADERS)
    api.add_middleware(SecurityHeaders)
    freeze_startup_objects()  # served on its own (granian/uvicorn factory): nothing else runs before
    return api


class SecurityHeaders:
    """ASGI middleware: nosniff, frame and CSP headers on API answers too (``web_security``)."""

    def __init__(self, app):
        self.app = security_headers(app)

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)


class CollapseSlashes:
    """ASGI middleware: ``//api/graphql`` (TS client with a trailing-slash base URL) → ``/api/graphql``."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and "//" in scope["path"]:
            scope = dict(scope, path=re.sub(r"/{2,}", "/", scope["path"]))
        await self.app(scope, receive, send)
