"""Encryption of provider secrets at rest: Fernet with a key derived (HKDF-SHA256) from the
server's ``LITERAL_SECRET_KEY``, so the database alone never reveals a key. Rotating the secret
means re-encrypting every stored credential (``python -m literal_app.cli rotate-credentials``)."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from literal_app.config import get_settings
from literal_app.services.kernel.errors import Invalid

_INFO = b"literal_app llm credentials v1"


def fernet_for(secret: str) -> Fernet:
    """The Fernet whose key is derived from ``secret`` (any length, any characters)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"literal_app", info=_INFO)
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(secret.encode())))


def _current() -> Fernet:
    return fernet_for(get_settings().secret_key)


def encrypt(plain: str) -> str:
    return _current().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    """The plaintext, or ``Invalid`` when the secret key changed without re-encrypting."""
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken:
        raise Invalid("This credential cannot be decrypted: the server's LITERAL_SECRET_KEY changed. "
                      "Run `python -m literal_app.cli rotate-credentials --old-secret ...` or enter the key again.")


def reencrypt(token: str, old: Fernet, new: Fernet) -> str | None:
    """``token`` re-encrypted under ``new``; None when ``old`` cannot open it (already rotated)."""
    try:
        return new.encrypt(old.decrypt(token.encode())).decode()
    except InvalidToken:
        return None


def hint(plain: str) -> str:
    """What the UI may show of a secret: its last four characters."""
    return plain[-4:] if len(plain) >= 8 else ""
