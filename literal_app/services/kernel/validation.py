"""Small input checks shared by services, each raising ``Invalid`` with a readable message."""

from __future__ import annotations

import re

from literal_app.services.kernel.errors import Invalid

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_name(value: str | None, what: str, max_len: int = 200) -> str:
    """Strip and check a required display name."""
    value = (value or "").strip()
    if not value:
        raise Invalid(f"{what} is required.")
    if len(value) > max_len:
        raise Invalid(f"{what} is too long (at most {max_len} characters).")
    return value


def clean_email(value: str | None) -> str:
    value = (value or "").strip().lower()
    if not value:
        raise Invalid("Email is required.")
    if len(value) > 320 or not _EMAIL.match(value):
        raise Invalid(f"{value!r} is not a valid email address.")
    return value


def check_password(value: str | None) -> str:
    value = value or ""
    if len(value) < 8:
        raise Invalid("Password must have at least 8 characters.")
    if len(value) > 200:
        raise Invalid("Password is too long (at most 200 characters).")
    return value
