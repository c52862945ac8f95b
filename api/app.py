"""build_api(): the FastAPI app that Reflex mounts (``rx.App(api_transformer=build_api())``).

Domain errors become JSON errors with a readable ``message``.
"""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.graphql.app import router as graphql_router
from api.routes import export, health, project, uploads
from literal_app.services.kernel.errors import DomainError


def build_api() -> FastAPI:
    api = FastAPI(title="literal_app API", docs_url="/api/docs", openapi_url="/api/openapi.json")

    @api.exception_handler(DomainError)
    async def _domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse({"error": exc.message, "message": exc.message}, status_code=exc.status_code)

    for module in (health, project, uploads, export):
        api.include_router(module.router)
    api.include_router(graphql_router)
    api.add_middleware(CollapseSlashes)
    return api


class CollapseSlashes:
    """ASGI middleware: ``//api/graphql`` (TS client with a trailing-slash base URL) → ``/api/graphql``."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and "//" in scope["path"]:
            scope = dict(scope, path=re.sub(r"/{2,}", "/", scope["path"]))
        await self.app(scope, receive, send)
