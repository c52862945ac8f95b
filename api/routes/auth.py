"""The browser's session cookie, set and cleared over HTTP so it can be HttpOnly.

Sign-in runs in a Reflex event over the websocket, which cannot set an HttpOnly cookie (Reflex's
``rx.Cookie`` is written by browser script). The event makes a one-time handoff code instead and
the page posts it here; the answer sets ``literal_session`` HttpOnly, SameSite=Lax, and Secure when
the public URL is https. The Reflex states read it back from the websocket's request headers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request
from fastapi.responses import Response

from literal_app.db import session_scope
from literal_app.auth.session_cookie import SESSION_COOKIE, token_from_cookie_header
from literal_app.config import get_settings
from literal_app.services.accounts import members
from literal_app.services.kernel.errors import Unauthorized

router = APIRouter()


def _set(response: Response, token: str, max_age: int) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, path="/", httponly=True, samesite="lax",
                        secure=get_settings().base_url.startswith("https://"))


@router.post("/api/auth/session", include_in_schema=False)
def start_session(body: Annotated[dict, Body()]) -> Response:
    """Exchange a handoff code for the HttpOnly session cookie (committed before answering: the
    page loads its next page, whose websocket presents the cookie, as soon as this returns)."""
    settings = get_settings()
    with session_scope() as session:
        token = members.redeem_handoff(session, body.get("code"), days=settings.session_days)
    if token is None:
        raise Unauthorized("This sign-in link is invalid or has expired: sign in again.")
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    _set(response, token, settings.session_days * 86400)
    return response


@router.post("/api/auth/signout", include_in_schema=False)
def sign_out(request: Request) -> Response:
    """End the cookie's session and clear the cookie."""
    with session_scope() as session:
        members.end_session(session, token_from_cookie_header(request.headers.get("cookie")))
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    _set(response, "", 0)
    return response
