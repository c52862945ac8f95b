"""The upload flow over plain HTTP against a live server: signing keeps the content type asked
for, even when the uploaded part says ``application/octet-stream`` (as the TS client's in-memory
uploads do), and a descriptor whose signed fields were altered is refused."""

from __future__ import annotations

import httpx


def sign(live, key: str, content_type: str | None) -> dict:
    r = httpx.post(f"{live.url}/api/upload/file", headers={"x-api-key": key},
                   json={"fileName": "f.bin", "contentType": content_type})
    assert r.status_code == 200, r.text
    return r.json()


def test_signed_content_type_wins_over_the_part_type(live):
    _, key = live.new_key()
    desc = sign(live, key, "image/png")
    assert desc["post"]["fields"]["Content-Type"] == "image/png"
    up = httpx.post(desc["post"]["url"], data=desc["post"]["fields"],
                    files={"file": ("f.bin", b"\x89PNG-bytes", "application/octet-stream")})
    assert up.status_code == 204, up.text
    got = httpx.get(desc["signedUrl"])
    assert got.content == b"\x89PNG-bytes" and got.headers["content-type"] == "image/png"


def test_without_a_signed_type_the_part_type_is_kept(live):
    _, key = live.new_key()
    desc = sign(live, key, None)
    assert "Content-Type" not in desc["post"]["fields"]
    up = httpx.post(desc["post"]["url"], data=desc["post"]["fields"],
                    files={"file": ("f.txt", b"hello", "text/plain")})
    assert up.status_code == 204, up.text
    assert httpx.get(desc["signedUrl"]).headers["content-type"].startswith("text/plain")


def test_altered_signed_fields_are_refused(live):
    _, key = live.new_key()
    desc = sign(live, key, "image/png")
    fields = {**desc["post"]["fields"], "Content-Type": "text/html"}
    up = httpx.post(desc["post"]["url"], data=fields, files={"file": ("f", b"<script>", "text/html")})
    assert up.status_code == 422 and "invalid or has expired" in up.text
    assert httpx.get(desc["signedUrl"]).status_code == 404
