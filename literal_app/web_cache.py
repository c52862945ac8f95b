"""Browser caching of the frontend bundle.

The production build names every file under ``/assets/`` after a hash of its content, so a given
URL never changes. Reflex serves them with an ETag but no ``Cache-Control``, which makes the
browser re-validate each of the ~35 files a page imports on every page load (a request per file
through this Python process, about a second on a busy machine before the page can even connect).
Marking them immutable lets the browser reuse its copy without asking; HTML pages keep
re-validating, so a new build is picked up on the next load.
"""

from __future__ import annotations

ASSETS_PREFIX = "/assets/"
IMMUTABLE = (b"cache-control", b"public, max-age=31536000, immutable")


def immutable_assets(app):
    """ASGI middleware (a Reflex ``api_transformer``) adding the immutable header to ``/assets/*``."""

    async def wrapped(scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(ASSETS_PREFIX):
            await app(scope, receive, send)
            return

        async def send_with_cache(message):
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"cache-control"]
                message = {**message, "headers": [*headers, IMMUTABLE]}
            await send(message)

        await app(scope, receive, send_with_cache)

    return wrapped
