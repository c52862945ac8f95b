"""Item 1 in Chromium: an uploaded HTML/SVG attachment's script never runs on the app's origin,
and the session cookie is HttpOnly (set by the API when signing in through the real form), so
``document.cookie`` never shows it; the app's pages send a CSP, frame and nosniff headers."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from literal_app.services.accounts import api_keys

pytestmark = pytest.mark.browser

BEACON = "xss-beacon"
# Any script that runs reports itself three ways: a console line, a request, and a global flag.
SCRIPT = (f"console.log('{BEACON}', document.cookie); new Image().src = '/api/health?{BEACON}=' + "
          f"encodeURIComponent(document.cookie); try {{ top.__xss = document.cookie || 'ran'; }} catch (e) {{}}")
PAYLOADS = {
    "page.html": ("text/html", f"<html><body><h1>hi</h1><script>{SCRIPT}</script></body></html>"),
    "image.svg": ("image/svg+xml", f"<svg xmlns='http://www.w3.org/2000/svg' width='20' height='20'>"
                                   f"<script>{SCRIPT}</script><rect width='20' height='20'/></svg>"),
    "notes.txt": ("text/plain", f"<script>{SCRIPT}</script>"),
    "mystery.bin": (None, f"<script>{SCRIPT}</script>"),
}


def _log_attachments(ui_app, project_id: str) -> str:
    """Upload each payload through the API and log a step holding them all; returns the step id."""
    with Session(ui_app.engine) as s:
        _, key = api_keys.create_api_key(s, None, project_id=project_id, name="xss", role="ADMIN")
        s.commit()
    attachments = []
    for name, (mime, body) in PAYLOADS.items():
        desc = httpx.post(f"{ui_app.url}/api/upload/file", headers={"x-api-key": key},
                          json={"fileName": name, "contentType": mime}).json()
        up = httpx.post(desc["post"]["url"], data=desc["post"]["fields"],
                        files={"file": (name, body.encode(), mime or "application/octet-stream")})
        assert up.status_code == 204, up.text
        attachments.append({"id": uuid.uuid4().hex, "name": name, "mime": mime, "objectKey": desc["post"]["fields"]["key"]})
    step = uuid.uuid4().hex
    r = httpx.post(f"{ui_app.url}/api/graphql", headers={"x-api-key": key}, json={
        "query": "mutation($id: String!, $a: [AttachmentPayloadInput!]) { ingestStep(id: $id, threadId: $id, "
                 "type: run, name: \"files\", attachments: $a) { ok message } }",
        "variables": {"id": step, "a": attachments}})
    assert r.json()["data"]["ingestStep"]["ok"], r.text
    return step


def _watch(page) -> list[str]:
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if BEACON in m.text else None)
    page.on("request", lambda r: seen.append(r.url) if BEACON in r.url else None)
    page.on("dialog", lambda d: (seen.append("dialog"), d.dismiss()))
    return seen


def test_sign_in_sets_an_httponly_cookie_that_script_cannot_read(ui_app, new_page):
    user = ui_app.make_user("ADMIN")
    page = new_page()
    response = page.goto("/login")
    headers = response.headers
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "SAMEORIGIN" and headers["x-content-type-options"] == "nosniff"
    page.wait_for_load_state("networkidle")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"), timeout=30_000)
    [cookie] = [c for c in page.context.cookies() if c["name"] == "literal_session"]
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax" and cookie["secure"] is False  # http URL
    assert "literal_session" not in page.evaluate("document.cookie")
    page.goto("/settings/api-keys")  # a signed-in page, after a fresh load
    expect(page.get_by_text(user.project_name).first).to_be_visible()
    assert "literal_session" not in page.evaluate("document.cookie")


def test_uploaded_html_and_svg_never_run_on_the_apps_origin(ui_app, new_page):
    user = ui_app.make_user("ADMIN")
    step = _log_attachments(ui_app, user.project_id)
    page = new_page(user)
    seen = _watch(page)
    page.goto(f"/logs/steps/{step}")
    expect(page.locator(".attachment")).to_have_count(len(PAYLOADS), timeout=30_000)
    for name in PAYLOADS:
        expect(page.locator(".attachment").filter(has_text=name)).to_be_visible()
    assert page.locator(".attachment iframe:not([sandbox])").count() == 0  # every frame is sandboxed
    # Even framed directly into the app page, the stored files cannot run their scripts.
    urls = page.eval_on_selector_all(".attachment a[download]", "links => links.map(a => a.href)")
    assert len(urls) == len(PAYLOADS)
    page.evaluate("""urls => urls.forEach(u => { const f = document.createElement('iframe'); f.src = u;
                      f.className = 'probe'; document.body.appendChild(f); })""", urls)
    page.evaluate("""urls => urls.forEach(u => { const o = document.createElement('object'); o.data = u;
                      o.type = 'image/svg+xml'; document.body.appendChild(o); })""", urls)
    expect(page.locator("iframe.probe")).to_have_count(len(PAYLOADS))
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # give any script that could run the time to report (not a sync point)
    assert seen == [] and page.evaluate("window.__xss === undefined")
    assert "literal_session" not in page.evaluate("document.cookie")
