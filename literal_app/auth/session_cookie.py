"""The browser session cookie: its name and how to read it from a ``Cookie`` header.

It is set only by HTTP answers of the API (``api/routes/auth.py``), HttpOnly, so page script can
never read it; Reflex states read it from the websocket's request headers.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

SESSION_COOKIE = "literal_session"


def token_from_cookie_header(cookie_header: str | None) -> str:
    """The session token in a ``Cookie`` header ('' when absent or malformed)."""
    jar = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except CookieError:
        return ""
    morsel = jar.get(SESSION_COOKIE)
    return morsel.value if morsel else ""
