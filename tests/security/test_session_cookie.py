"""Item 1 over HTTP: the session cookie is set only by the API's handoff route, HttpOnly,
SameSite=Lax, Secure when the public URL is https; a handoff code works once and is no session."""

from __future__ import annotations

import httpx
from sqlmodel import Session

from literal_app.services.accounts import members


def _handoff(live) -> tuple[str, str]:
    with Session(live.engine, expire_on_commit=False) as s:
        m = members.create_member(s, email=f"{id(s)}-{live.dialect}@example.com", name="Ada", password="correct-horse")
        code = members.create_handoff(s, member_id=m.id)
        s.commit()
    return m.id, code


def _set_cookie(response: httpx.Response) -> str:
    [header] = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    return header


def test_the_handoff_sets_an_httponly_cookie_once(live):
    _, code = _handoff(live)
    with Session(live.engine) as s:
        assert members.member_for_session(s, code) is None  # a code is not a session
    r = httpx.post(f"{live.url}/api/auth/session", json={"code": code})
    assert r.status_code == 204
    cookie = _set_cookie(r)
    assert cookie.startswith("literal_session=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie and "Path=/" in cookie  # the public URL is http
    token = r.cookies["literal_session"]
    with Session(live.engine) as s:
        assert members.member_for_session(s, token) is not None
    again = httpx.post(f"{live.url}/api/auth/session", json={"code": code})
    assert again.status_code == 401 and "set-cookie" not in again.headers
    out = httpx.post(f"{live.url}/api/auth/signout", cookies={"literal_session": token})
    assert out.status_code == 204 and 'literal_session=""' in _set_cookie(out) or "Max-Age=0" in _set_cookie(out)
    with Session(live.engine) as s:
        assert members.member_for_session(s, token) is None


def test_the_cookie_is_secure_behind_https(strict_live):
    _, code = _handoff(strict_live)
    r = httpx.post(f"{strict_live.url}/api/auth/session", json={"code": code})
    assert r.status_code == 204 and "Secure" in _set_cookie(r) and "HttpOnly" in _set_cookie(r)
