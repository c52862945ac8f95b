"""build_api(): the FastAPI app that Reflex mounts (``rx.App(api_transformer=build_api())``).

Domain errors become JSON errors with a readable ``message``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.routes import health, project
from literal_app.services.errors import DomainError


def build_api() -> FastAPI:
    api = FastAPI(title="literal_app API", docs_url="/api/docs", openapi_url="/api/openapi.json")

    @api.exception_handler(DomainError)
    async def _domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse({"error": exc.message, "message": exc.message}, status_code=exc.status_code)

    for module in (health, project):
        api.include_router(module.router)
    return api
