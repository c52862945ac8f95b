"""Jobs that check the job system itself."""

from __future__ import annotations

from literal_app.services.kernel import health


def ping(token: str) -> dict:
    """Echo a token with the database state: proves a worker can reach the same database."""
    return {"token": token, "database": health.check()["database"]["ok"]}
