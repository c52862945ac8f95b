"""The API answers over HTTP: health, and /api/my-project resolving the API key's project."""

import httpx


def test_health_reports_database(live):
    r = httpx.get(f"{live.url}/api/health")
    assert r.status_code == 200
    assert r.json()["database"] == {"ok": True, "dialect": live.dialect}


def test_my_project_needs_a_valid_key(live):
    project_id, key = live.new_key()
    r = httpx.get(f"{live.url}/api/my-project", headers={"x-api-key": key})
    assert r.status_code == 200 and r.json() == {"projectId": project_id}
    r = httpx.get(f"{live.url}/api/my-project")
    assert r.status_code == 401 and "x-api-key" in r.json()["message"]
    r = httpx.get(f"{live.url}/api/my-project", headers={"x-api-key": "lsk_wrong"})
    assert r.status_code == 401 and "Invalid" in r.json()["message"]
