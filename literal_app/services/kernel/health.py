"""Health report for /api/health: can we reach the database and (in scaled mode) Redis."""

from __future__ import annotations

from sqlalchemy import text

from literal_app.config import get_settings
from literal_app.db import get_engine


def check() -> dict:
    settings = get_settings()
    report: dict = {"status": "ok", "mode": "scaled" if settings.redis_url else "embedded"}
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        report["database"] = {"ok": True, "dialect": get_engine().dialect.name}
    except Exception as exc:  # report, don't raise: this endpoint exists to describe failures
        report["database"] = {"ok": False, "error": str(exc)[:300]}
        report["status"] = "error"
    if settings.redis_url:
        try:
            from redis import Redis

            Redis.from_url(settings.redis_url, socket_timeout=2).ping()
            report["redis"] = {"ok": True}
        except Exception as exc:
            report["redis"] = {"ok": False, "error": str(exc)[:300]}
            report["status"] = "error"
    return report
