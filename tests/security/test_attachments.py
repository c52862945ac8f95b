"""Items 1 (file serving), 3, 4 and 5: attachments over HTTP on both databases.

- stored files are served so they can never run as a page of the app's origin;
- object keys are the server's and must name the caller's project, normalised, on every path;
- no project can hang scores or attachments on another project's steps, or see them there;
- upload links work once; read links expire and are signed again on read.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlmodel import Session

from literal_app.models.tracing import Attachment, Score
from tests.api.gql import gql

INGEST = ("mutation($id: String!, $thread: String, $attachments: [AttachmentPayloadInput!]) {"
          " ingestStep(id: $id, threadId: $thread, type: run, name: \"s\", attachments: $attachments) { ok message } }")
CREATE_ATT = ("mutation($stepId: String!, $name: String!, $objectKey: String, $mime: String) {"
              " createAttachment(stepId: $stepId, name: $name, objectKey: $objectKey, mime: $mime) { id objectKey url } }")
DELETE_ATT = "mutation($id: String!) { deleteAttachment(id: $id) { id } }"
CREATE_SCORE = ("mutation($stepId: String) { createScore(name: \"q\", type: HUMAN, value: 1, stepId: $stepId)"
                " { id } }")
STEP = "query($id: String!) { step(id: $id) { id scores { id } attachments { id objectKey url } } }"
THREAD = "query($id: String!) { threadDetail(id: $id) { id steps { id scores { id } attachments { id } } } }"


def upload(live, key: str, data: bytes, mime: str | None, name: str = "f.bin") -> dict:
    desc = httpx.post(f"{live.url}/api/upload/file", headers={"x-api-key": key},
                      json={"fileName": name, "contentType": mime}).json()
    r = httpx.post(desc["post"]["url"], data=desc["post"]["fields"], files={"file": (name, data, mime or "")})
    assert r.status_code == 204, r.text
    return desc


def step_with_file(live, key: str, data: bytes = b"secret of A", mime: str = "text/plain") -> tuple[str, str, dict]:
    thread, step = uuid.uuid4().hex, uuid.uuid4().hex
    desc = upload(live, key, data, mime)
    object_key = desc["post"]["fields"]["key"]
    body = gql(live, key, INGEST, {"id": step, "thread": thread, "attachments": [
        {"id": uuid.uuid4().hex, "name": "f", "mime": mime, "objectKey": object_key}]})
    assert body["data"]["ingestStep"]["ok"], body
    return thread, step, desc


# --- item 1: how files are served ------------------------------------------------------------------

def test_risky_types_download_and_every_file_is_sandboxed(live):
    _, key = live.new_key()
    for mime, body in (("text/html", b"<script>alert(document.cookie)</script>"),
                       ("image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
                       ("application/xhtml+xml", b"<html/>"), ("application/x-unknown", b"??"),
                       (None, b"<script>alert(1)</script>")):
        got = httpx.get(upload(live, key, body, mime, name="page.html")["signedUrl"])
        assert got.status_code == 200 and got.content == body
        assert got.headers["content-disposition"].startswith("attachment"), mime
        assert got.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in got.headers["content-security-policy"]
        assert "default-src 'none'" in got.headers["content-security-policy"]
    for mime, shown_as in (("image/png", "image/png"), ("audio/mpeg", "audio/mpeg"), ("text/plain", "text/plain"),
                           ("text/markdown", "text/plain"), ("application/json", "text/plain")):
        got = httpx.get(upload(live, key, b"bytes", mime)["signedUrl"])
        assert got.headers["content-disposition"].startswith("inline"), mime
        assert got.headers["content-type"].startswith(shown_as), mime
        assert got.headers["x-content-type-options"] == "nosniff" and "sandbox" in got.headers["content-security-policy"]


# --- item 3: object keys -----------------------------------------------------------------------------

def test_another_projects_object_key_is_refused_on_every_path(live):
    _, key_a = live.new_key()
    project_b, key_b = live.new_key()
    _, step_a, desc = step_with_file(live, key_a)
    key_of_a = desc["post"]["fields"]["key"]
    thread_b, step_b = uuid.uuid4().hex, uuid.uuid4().hex
    assert gql(live, key_b, INGEST, {"id": step_b, "thread": thread_b})["data"]["ingestStep"]["ok"]
    for bad in (key_of_a, f"{project_b}/../{key_of_a}", f"{project_b}/./x", f"{project_b}//x", "../../etc/passwd",
                f"{project_b}/..", "/etc/passwd", f"{project_b}\\..\\x"):
        body = gql(live, key_b, INGEST, {"id": uuid.uuid4().hex, "thread": thread_b, "attachments": [
            {"id": uuid.uuid4().hex, "name": "stolen", "objectKey": bad}]})
        assert body["data"]["ingestStep"]["ok"] is False and "not a file of this project" in \
            body["data"]["ingestStep"]["message"], bad
        body = gql(live, key_b, CREATE_ATT, {"stepId": step_b, "name": "stolen", "objectKey": bad})
        assert body["data"]["createAttachment"] is None and "not a file of this project" in \
            body["errors"][0]["message"], bad
    assert gql(live, key_b, STEP, {"id": step_b})["data"]["step"]["attachments"] == []


def test_a_legacy_row_naming_another_projects_file_never_serves_or_deletes_it(live):
    _, key_a = live.new_key()
    project_b, key_b = live.new_key()
    _, _, desc = step_with_file(live, key_a)
    key_of_a = desc["post"]["fields"]["key"]
    row_id = uuid.uuid4().hex
    with Session(live.engine) as s:  # as the probe left it: stored before keys were checked
        s.add(Attachment(id=row_id, project_id=project_b, step_id="x", name="old", object_key=f"{project_b}/../{key_of_a}"))
        s.commit()
    assert gql(live, key_b, DELETE_ATT, {"id": row_id})["data"]["deleteAttachment"]["id"] == row_id
    assert httpx.get(desc["signedUrl"]).content == b"secret of A"


def test_file_urls_with_bad_keys_are_refused_not_500(live):
    for path in ("/api/files/..%2F..%2Fetc%2Fpasswd", "/api/files/x/..%2F..%2F..%2Fsecret.key?X-Amz-Date=x",
                 "/api/files/%2Fetc%2Fpasswd?X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Literal-Signature=0"):
        r = httpx.get(live.url + path)
        assert r.status_code in (403, 404), (path, r.status_code)


# --- item 4: other projects' steps --------------------------------------------------------------------

def test_scores_and_attachments_cannot_target_another_projects_step(live):
    project_a, key_a = live.new_key()
    project_b, key_b = live.new_key()
    thread_a, step_a, _ = step_with_file(live, key_a)
    body = gql(live, key_b, CREATE_SCORE, {"stepId": step_a})
    assert body["data"]["createScore"] is None and body["errors"][0]["message"] == "Step not found."
    _, _, desc_b = step_with_file(live, key_b)
    body = gql(live, key_b, CREATE_ATT, {"stepId": step_a, "name": "x", "objectKey": desc_b["post"]["fields"]["key"]})
    assert body["data"]["createAttachment"] is None and body["errors"][0]["message"] == "Step not found."
    with Session(live.engine) as s:  # rows another project left there before the check existed
        s.add(Score(project_id=project_b, step_id=step_a, name="planted", type="HUMAN", value=0.0))
        s.add(Attachment(project_id=project_b, step_id=step_a, thread_id=thread_a, name="planted"))
        s.commit()
    step = gql(live, key_a, STEP, {"id": step_a})["data"]["step"]
    assert step["scores"] == [] and len(step["attachments"]) == 1
    [thread_step] = gql(live, key_a, THREAD, {"id": thread_a})["data"]["threadDetail"]["steps"]
    assert thread_step["scores"] == [] and len(thread_step["attachments"]) == 1
    filtered = gql(live, key_a, "query { threads(filters: [{field: \"scoreValue\", operator: \"eq\", value: 0, path: \"planted\"}])"
                                " { edges { node { id } } } }")
    assert filtered["data"]["threads"]["edges"] == []


# --- item 5: upload and read links ----------------------------------------------------------------------

def test_an_upload_link_works_once(live):
    _, key = live.new_key()
    desc = upload(live, key, b"first", "text/plain")
    again = httpx.post(desc["post"]["url"], data=desc["post"]["fields"], files={"file": ("f", b"overwrite", "text/plain")})
    assert again.status_code == 409 and "already used" in again.json()["message"]
    assert httpx.get(desc["signedUrl"]).content == b"first"


def _forged_read_url(url: str, date: str, ttl: int) -> str:
    """A read URL signed with the live servers' secret (tests/live.py) for another date."""
    parts = urlsplit(url)
    key = parts.path.removeprefix("/api/files/")
    sig = hmac.new(b"test-secret", f"read:{key}:{date}:{ttl}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{parts.scheme}://{parts.netloc}{parts.path}?X-Amz-Date={date}&X-Amz-Expires={ttl}&X-Literal-Signature={sig}"


def test_read_links_expire_and_are_signed_again_on_read(live):
    _, key = live.new_key()
    _, step, desc = step_with_file(live, key, b"payload")
    query = parse_qs(urlsplit(desc["signedUrl"]).query)
    assert set(query) == {"X-Amz-Date", "X-Amz-Expires", "X-Literal-Signature"}
    ttl = int(query["X-Amz-Expires"][0])
    [att] = gql(live, key, STEP, {"id": step})["data"]["step"]["attachments"]
    assert att["url"].split("X-Amz-Date")[0] == desc["signedUrl"].split("X-Amz-Date")[0]
    assert httpx.get(att["url"]).content == b"payload"
    old = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() - ttl - 7200))
    expired = httpx.get(_forged_read_url(desc["signedUrl"], old, ttl))
    assert expired.status_code == 403 and "expired" in expired.json()["message"]
    longer = _forged_read_url(desc["signedUrl"], old, ttl)
    assert httpx.get(longer.replace(f"X-Amz-Expires={ttl}", f"X-Amz-Expires={ttl * 100}")).status_code == 403
    assert httpx.get(_forged_read_url(desc["signedUrl"], old, ttl * 100)).status_code == 403  # beyond the maximum
    assert httpx.get(desc["signedUrl"].split("?")[0] + "?sig=" + "0" * 32).status_code == 403  # old-style links
