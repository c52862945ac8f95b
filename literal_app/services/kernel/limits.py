"""Size and content limits for logged data, with messages a user can act on.

The hosted Literal AI limited metadata to 1 MB and step input/output to 3 MB. PostgreSQL refuses
the NUL character in text and jsonb, so NULs are replaced by U+FFFD ("stored safely") instead of
rejecting the whole item. What no database can store faithfully is refused with ``Invalid`` (so
ingestion fails only the item holding it): a lone UTF-16 surrogate (``"\\ud800"``, not encodable as
UTF-8) and an integer beyond 64 bits (JSON columns and clients would turn it into a float).
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from literal_app.models.tracing import ID_MAX
from literal_app.services.kernel.errors import Invalid

MB = 1024 * 1024
METADATA_MAX = 1 * MB
CONTENT_MAX = 3 * MB
MAX_STEPS_PER_REQUEST = 1000
NUL = "\x00"
NUL_REPLACEMENT = "\ufffd"
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# An API key's last use is recorded at this resolution (a write per key and minute, not per request);
# read by accounts.api_keys and by get_prompt's one-statement path (prompts.serving).
API_KEY_LAST_USED_RESOLUTION = timedelta(minutes=1)
_LONG_DIGITS = re.compile(r"\d{19,}")


def check_encodable(value: str, what: str = "text") -> str:
    """The string, if it can be stored as UTF-8 (no lone surrogates)."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise Invalid(f"{what} contains a lone UTF-16 surrogate (such as \\ud800), which is not valid "
                          "Unicode text: send valid UTF-8.") from None
    return value


def clean_text(value: str | None, what: str = "text") -> str | None:
    """The string with NUL characters replaced (PostgreSQL cannot store them); Invalid when it
    holds a lone surrogate."""
    if value is None:
        return value
    check_encodable(value, what)
    if NUL not in value:
        return value
    return value.replace(NUL, NUL_REPLACEMENT)


def _check_ints(value: Any, what: str) -> None:
    """Invalid when a JSON value holds an integer outside the signed 64-bit range."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            raise Invalid(f"{what} holds the integer {str(value)[:40]}, beyond 64 bits: send it as a string.")
    elif isinstance(value, dict):
        for v in value.values():
            _check_ints(v, what)
    elif isinstance(value, list):
        for v in value:
            _check_ints(v, what)


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
    size = len(check_encodable(encoded, what).encode())
    if _LONG_DIGITS.search(encoded):  # rare: only then look for the integers themselves
        _check_ints(value, what)
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
    return check_encodable(value, what)
