"""How a stored file is served so that it can never run as a page of this app's origin.

Anyone with an API key can upload any bytes under any content type. Only types a browser shows
without running code are served inline: images other than SVG, audio, video, PDF, and text
shown as ``text/plain``. Everything else (HTML, SVG, XML, scripts, unknown types) is a download
(``Content-Disposition: attachment``). Every file answer also carries ``nosniff`` (the browser
keeps the declared type) and a CSP that sandboxes the response (no scripts, a unique origin) and
forbids it from loading anything. (Files stay loadable and frameable from other origins: Chainlit's
UI shows attachments from its own.)
"""

from __future__ import annotations

import mimetypes
import re
from urllib.parse import quote

INLINE_PREFIXES = ("image/", "audio/", "video/")
NOT_INLINE = {"image/svg+xml", "image/svg", "video/x-ms-asf"}
AS_PLAIN_TEXT = {"text/plain", "text/markdown", "text/csv", "text/tab-separated-values", "text/x-python",
                 "application/json", "application/x-yaml", "application/yaml", "text/yaml", "text/x-log"}
# Scripts in a sandboxed response have a unique origin and cannot run at all; the PDF viewer is a
# plugin Chromium refuses in sandboxed documents, so PDFs get the same policy without ``sandbox``.
FILE_CSP = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox"
PDF_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


_TYPE = re.compile(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")


def base_type(mime: str | None) -> str:
    """``type/subtype`` in lower case, or '' when it is not a well-formed media type."""
    t = (mime or "").split(";", 1)[0].strip().lower()
    return t if _TYPE.fullmatch(t) else ""


def inline_kind(mime: str | None) -> str | None:
    """``image``/``audio``/``video``/``pdf``/``text`` for a type shown inline, else None."""
    t = base_type(mime)
    if t in NOT_INLINE:
        return None
    for prefix in INLINE_PREFIXES:
        if t.startswith(prefix):
            return prefix[:-1]
    if t == "application/pdf":
        return "pdf"
    if t in AS_PLAIN_TEXT:
        return "text"
    return None


def file_headers(mime: str | None, object_key: str) -> dict[str, str]:
    """Content type, disposition and safety headers of a stored file's response."""
    name = object_key.rsplit("/", 1)[-1]
    mime = base_type(mime) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    kind = inline_kind(mime)
    content_type = "text/plain; charset=utf-8" if kind == "text" else mime
    safe_name = _SAFE_NAME.sub("_", name)[-150:] or "file"
    disposition = f"inline; filename=\"{safe_name}\"" if kind else \
        f"attachment; filename=\"{safe_name}\"; filename*=UTF-8''{quote(name[-150:])}"
    return {"content-type": content_type, "content-disposition": disposition,
            "x-content-type-options": "nosniff", "content-security-policy": PDF_CSP if kind == "pdf" else FILE_CSP,
            "referrer-policy": "no-referrer"}
