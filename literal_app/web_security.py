"""Security headers on every HTTP answer of the app (pages, frontend assets, API).

- ``Content-Security-Policy`` for pages: scripts, styles, fonts and connections from this origin
  only; no plugins; no ``<base>`` or form posts elsewhere; framed only by this origin. Reflex's
  frontend needs inline bootstrap scripts and evaluates ``rx.call_script`` code, hence
  ``'unsafe-inline' 'unsafe-eval'`` for scripts. Images, media and frames may come from https
  sites: attachments a client logged by URL are shown from where they live.
- ``X-Frame-Options: SAMEORIGIN`` (older browsers), ``X-Content-Type-Options: nosniff``,
  ``Referrer-Policy: same-origin``.

A response that sets its own CSP keeps it (stored files are sandboxed, ``storage.serving``). The
API key routes never allow credentials in CORS answers (Reflex's CORS layer would add them).
"""

from __future__ import annotations

PAGE_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; media-src 'self' blob: https:; "
            "font-src 'self' data:; connect-src 'self'; frame-src 'self' https:; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
HEADERS = [(b"content-security-policy", PAGE_CSP.encode()), (b"x-frame-options", b"SAMEORIGIN"),
           (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]


def security_headers(app):
    """ASGI middleware (a Reflex ``api_transformer``, also used by ``build_api``) adding HEADERS
    to every HTTP response that does not set them itself."""

    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        keyed_api = scope["path"].startswith("/api/") and not scope["path"].startswith("/api/auth/")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if keyed_api:  # API key routes never answer with credentials (Reflex's CORS adds it)
                    headers = [(k, v) for k, v in headers if k.lower() != b"access-control-allow-credentials"]
                present = {name.lower() for name, _ in headers}
                message = {**message, "headers": [*headers, *((k, v) for k, v in HEADERS if k not in present)]}
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped
