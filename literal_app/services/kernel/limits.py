"""Size and content limits for logged data, with messages a user can act on.

The hosted Literal AI limited metadata to 1 MB and step input/output to 3 MB. PostgreSQL refuses
the NUL character in text and jsonb, so NULs are replaced by U+FFFD ("stored safely") instead of
rejecting the whole item.
"""

from __future__ import annotations

import json
from typing import Any

from literal_app.models.tracing import ID_MAX
from literal_app.services.kernel.errors import Invalid

MB = 1024 * 1024
METADATA_MAX = 1 * MB
CONTENT_MAX = 3 * MB
MAX_STEPS_PER_REQUEST = 1000
NUL = "\x00"
NUL_REPLACEMENT = "\ufffd"


def clean_text(value: str | None) -> str | None:
    """The string with NUL characters replaced (PostgreSQL cannot store them)."""
    if value is None or NUL not in value:
        return value
    return value.replace(NUL, NUL_REPLACEMENT)


def strip_nul(value: Any) -> Any:
    """A JSON value with NULs replaced in every string, keys included."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k) if isinstance(k, str) else k: strip_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [strip_nul(v) for v in value]
    return value


def json_size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def check_json(value: Any, what: str, limit: int | None = None) -> Any:
    """Validate a JSON value against its size limit and return it NUL-free.

    ``what`` names the field in the error; metadata defaults to 1 MB, anything else to 3 MB.
    """
    if value is None:
        return None
    limit = limit or (METADATA_MAX if what == "metadata" else CONTENT_MAX)
    try:
        encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as e:
        raise Invalid(f"{what} is not valid JSON: {e}.") from None
    size = len(encoded.encode())
    if size > limit:
        raise Invalid(f"{what} is too large: {size / MB:.1f} MB (at most {limit // MB} MB).")
    return strip_nul(value) if NUL in encoded or "\\u0000" in encoded else value


def check_id(value: Any, what: str = "id", required: bool = True) -> str | None:
    """A client-supplied id: a non-empty string of at most 256 characters."""
    if value is None or value == "":
        if required:
            raise Invalid(f"{what} is required.")
        return None
    if not isinstance(value, str):
        raise Invalid(f"{what} must be a string.")
    if len(value) > ID_MAX:
        raise Invalid(f"{what} is too long: {len(value)} characters (at most {ID_MAX}).")
    if NUL in value:
        raise Invalid(f"{what} must not contain NUL characters.")
    return value
