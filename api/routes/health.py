"""GET /api/health: the state of the database and, in scaled mode, Redis."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from literal_app.services.kernel import health

router = APIRouter()


@router.get("/api/health")
def get_health() -> JSONResponse:
    report = health.check()
    return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)
