"""Items 8 and 9 over HTTP: CORS only for the app's own origin and never with credentials on the
API key routes; per-key rate limits with 429 and Retry-After; no public API docs; domain errors
logged as one line; private permissions on the data directory, SQLite file and secret."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import httpx

from tests.api.gql import gql
from tests.live import ROOT

EVIL = "https://evil.example"


def test_cors_answers_only_the_apps_origin_and_never_with_credentials(live):
    _, key = live.new_key()
    pre = httpx.options(f"{live.url}/api/graphql", headers={
        "origin": EVIL, "access-control-request-method": "POST", "access-control-request-headers": "x-api-key"})
    assert "access-control-allow-origin" not in pre.headers
    r = httpx.post(f"{live.url}/api/my-project", headers={"origin": EVIL, "x-api-key": key, "cookie": "a=b"})
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers and "access-control-allow-credentials" not in r.headers
    own = httpx.options(f"{live.url}/api/graphql", headers={
        "origin": live.url, "access-control-request-method": "POST", "access-control-request-headers": "x-api-key"})
    assert own.headers["access-control-allow-origin"] == live.url
    assert "access-control-allow-credentials" not in own.headers


def test_api_docs_are_not_public(live):
    for path in ("/api/docs", "/api/openapi.json", "/api/redoc"):
        assert httpx.get(live.url + path).status_code == 404, path


def test_security_headers_on_api_answers(live):
    r = httpx.get(f"{live.url}/api/health")
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in r.headers["content-security-policy"]


def test_rate_limits_are_per_key_with_retry_after(strict_live):
    _, busy = strict_live.new_key()
    _, quiet = strict_live.new_key()
    answers = [httpx.post(f"{strict_live.url}/api/my-project", headers={"x-api-key": busy}) for _ in range(25)]
    limited = [r for r in answers if r.status_code == 429]
    assert limited and answers[0].status_code == 200
    assert int(limited[0].headers["retry-after"]) >= 1 and "Too many requests" in limited[0].json()["message"]
    assert httpx.post(f"{strict_live.url}/api/my-project", headers={"x-api-key": quiet}).status_code == 200
    assert all(httpx.get(f"{strict_live.url}/api/health").status_code == 200 for _ in range(10))  # not limited


def test_domain_errors_are_logged_as_one_line(live):
    _, key = live.new_key()
    log = live.data_dir / "server.log"
    before = log.stat().st_size
    body = gql(live, key, "mutation { deleteParticipant(id: \"missing\") { id } }")
    assert body["errors"][0]["message"] == "Participant not found."
    assert httpx.post(f"{live.url}/api/export/dataset", headers={"x-api-key": key}, json={}).status_code == 422
    assert httpx.post(f"{live.url}/api/my-project", headers={"x-api-key": "lsk_wrong"}).status_code == 401
    assert httpx.get(f"{live.url}/api/health").status_code == 200  # the server still answers
    with open(log, "rb") as f:
        f.seek(before)
        assert b"Traceback" not in f.read()


def test_data_dir_database_and_secret_are_private(tmp_path):
    data = tmp_path / "fresh" / "data"
    env = {**os.environ, "LITERAL_DATA_DIR": str(data)}
    for name in ("DATABASE_URL", "LITERAL_SECRET_KEY", "REDIS_URL"):
        env.pop(name, None)
    subprocess.run([sys.executable, "-m", "literal_app.cli", "migrate"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-c", "from literal_app.config import get_settings; get_settings().secret_key"],
                   cwd=ROOT, env=env, check=True, timeout=60)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "literal.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((data / "secret.key").stat().st_mode) == 0o600
