"""Attachment storage: a local directory (``LITERAL_DATA_DIR/files``) or an S3-compatible bucket
(``BUCKET_NAME`` plus ``APP_AWS_*`` credentials).

Either way clients see our own URLs:

- an *upload target* ``POST /api/upload/target`` taking multipart ``fields`` (object key, expiry,
  HMAC token) and a ``file`` part, since the SDKs upload without their API key. It works once:
  an object is never overwritten (a hard link locally, a conditional put on S3);
- a *read URL* ``/api/files/<object key>?X-Amz-Date=…&X-Amz-Expires=…&X-Literal-Signature=…``
  that expires and is signed again whenever an attachment is read (the TS test compares
  upload-time and read-time URLs up to ``X-Amz-Date``); on S3 it redirects to a fresh presigned GET.

Object keys are made by the server (``<project>/<uuid>-<name>``); a key a client sends back is
accepted only when it is well-formed and names the caller's project (``check_key``).
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import os
import posixpath
import re
import time
import uuid
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from literal_app.config import get_settings
from literal_app.storage.serving import file_headers

UPLOAD_TTL = 3600
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
KEY_MAX = 1024
_MIME = re.compile(r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\s*;\s*[A-Za-z0-9_.+-]+=[A-Za-z0-9_.+\"-]+)*")
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _sign(message: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()[:32]


def new_object_key(project_id: str, file_name: str | None) -> str:
    """``<project>/<uuid>-<safe file name>``: unique, and scoped to the project."""
    name = _SAFE.sub("_", (file_name or "file"))[-100:] or "file"
    return f"{project_id}/{uuid.uuid4().hex}-{name}"


def key_project(object_key: str) -> str:
    return object_key.split("/", 1)[0]


def valid_key(object_key: str | None) -> bool:
    """A key as the server makes them: ``<project>/<name>``, relative, already normalised (no ``.``,
    ``..`` or empty segments, no backslashes or control characters), of bounded length."""
    if not isinstance(object_key, str) or not 3 <= len(object_key) <= KEY_MAX:
        return False
    if "\\" in object_key or any(ord(c) < 32 or c == "\x7f" for c in object_key):
        return False
    parts = object_key.split("/")
    return len(parts) >= 2 and all(p not in ("", ".", "..") for p in parts) \
        and posixpath.normpath(object_key) == object_key


def check_key(project_id: str, object_key: str | None) -> str | None:
    """The key, if it is a valid key of ``project_id``'s files; ``ValueError`` otherwise (the
    services turn it into a readable ``Invalid``)."""
    if object_key is None:
        return None
    if not valid_key(object_key) or key_project(object_key) != project_id:
        raise ValueError("This object key is not a file of this project: upload the file with "
                         "/api/upload/file and use the key it returns.")
    return object_key


def _stamp(at: int) -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(at))


def read_url(object_key: str, now: float | None = None) -> str:
    """A browser-loadable URL of a stored object that expires (``LITERAL_FILE_URL_TTL``), signed
    afresh each time an attachment is read. The signing time is rounded down to the hour, so the
    URL is the same for an hour (browsers cache it), and is named ``X-Amz-Date``: clients compare
    stored and fetched URLs only up to that marker (PROTOCOL.md 5.11)."""
    ttl = get_settings().file_url_ttl
    bucket = min(3600, ttl)
    at = int(now if now is not None else time.time()) // bucket * bucket
    date = _stamp(at)
    sig = _sign(f"read:{object_key}:{date}:{ttl}")
    return (f"{get_settings().base_url}/api/files/{quote(object_key)}"
            f"?X-Amz-Date={date}&X-Amz-Expires={ttl}&X-Literal-Signature={sig}")


def check_read(object_key: str, date: str | None, expires: str | int | None, sig: str | None) -> str | None:
    """None when the read URL is genuine and current, else why it is refused."""
    try:
        at = calendar.timegm(time.strptime(date or "", "%Y%m%dT%H%M%SZ"))
        ttl = int(expires or 0)
    except (ValueError, OverflowError):
        return "This file link is invalid."
    if not sig or ttl > get_settings().file_url_ttl or not hmac.compare_digest(
            sig, _sign(f"read:{object_key}:{date}:{ttl}")):
        return "This file link is invalid."
    if at + ttl < time.time():
        return "This file link has expired: open the attachment again for a fresh link."
    return None


def upload_token(object_key: str, expires: int, content_type: str | None = None) -> str:
    return _sign(f"upload:{object_key}:{expires}:{content_type or ''}")


def check_upload(object_key: str, expires: str | int | None, token: str | None,
                 content_type: str | None = None) -> bool:
    """The token was made by ``upload_descriptor`` for this key, expiry and content type."""
    try:
        exp = int(expires or 0)
    except ValueError:
        return False
    return bool(token) and exp >= time.time() and hmac.compare_digest(
        token, upload_token(object_key, exp, content_type))


def signed_content_type(content_type: str | None) -> str | None:
    """The content type named when signing, kept with the upload: the TS client sends in-memory
    content as an ``application/octet-stream`` part whatever mime it signed with."""
    mime = (content_type or "").strip()[:200]
    return mime if _MIME.fullmatch(mime) else None  # a header value: never control characters


class AlreadyUploaded(Exception):
    """The object exists: upload links are single-use and stored files are never overwritten."""


def upload_descriptor(object_key: str, content_type: str | None) -> dict:
    """Our upload target (for every storage): the multipart fields carry the key, its expiry and
    the HMAC token, since the SDKs upload without their API key."""
    expires = int(time.time()) + UPLOAD_TTL
    mime = signed_content_type(content_type)
    fields = {"key": object_key, **({"Content-Type": mime} if mime else {}), "expires": str(expires),
              "token": upload_token(object_key, expires, mime)}
    return {"post": {"url": f"{get_settings().base_url}/api/upload/target", "fields": fields,
                     "uploadType": "multipart"}, "signedUrl": read_url(object_key)}


class LocalStorage:
    """Files under ``LITERAL_DATA_DIR/files/<object key>``."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, object_key: str) -> Path:
        """The file of a valid key, inside the files folder (``ValueError`` otherwise)."""
        if not valid_key(object_key):
            raise ValueError("Invalid object key.")
        p = (self.root / object_key).resolve()
        if not str(p).startswith(str(self.root.resolve()) + "/"):
            raise ValueError("Invalid object key.")
        return p

    def save(self, object_key: str, data: bytes, mime: str | None = None) -> None:
        """Store a new object; ``AlreadyUploaded`` if it exists (a hard link is atomic and fails on
        an existing name, so two uploads racing on one key cannot both win)."""
        p = self.path(object_key)
        p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = p.with_name(f"{p.name}.{uuid.uuid4().hex}.part")
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
            f.write(data)
        try:
            os.link(tmp, p)
        except FileExistsError:
            raise AlreadyUploaded(object_key) from None
        finally:
            tmp.unlink(missing_ok=True)
        if mime:
            p.with_name(p.name + ".mime").write_text(mime[:200])

    def read(self, object_key: str) -> tuple[bytes, str | None] | None:
        """The bytes and the content type given at upload, or None."""
        p = self.path(object_key)
        if not p.is_file():
            return None
        mime = p.with_name(p.name + ".mime")
        return p.read_bytes(), (mime.read_text() if mime.is_file() else None)

    def delete(self, object_key: str) -> None:
        """Remove the file and its content-type note, if present."""
        p = self.path(object_key)
        p.unlink(missing_ok=True)
        p.with_name(p.name + ".mime").unlink(missing_ok=True)

    def redirect_url(self, object_key: str) -> str | None:
        return None


class S3Storage:
    """An S3-compatible bucket; uploads go straight to it with a presigned POST."""

    def __init__(self, bucket: str):
        import boto3

        s = get_settings()
        self.bucket = bucket
        self.client = boto3.client("s3", endpoint_url=s.s3_endpoint_url, region_name=s.s3_region,
                                   aws_access_key_id=s.s3_access_key, aws_secret_access_key=s.s3_secret_key)

    def save(self, object_key: str, data: bytes, mime: str | None = None) -> None:
        """Store a new object with a conditional put (``If-None-Match: *``): an existing object
        is never overwritten, so an upload link works once."""
        from botocore.exceptions import ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=object_key, Body=data, IfNoneMatch="*",
                                   ContentType=mime or "application/octet-stream")
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("PreconditionFailed", "412", "ConditionalRequestConflict"):
                raise AlreadyUploaded(object_key) from None
            raise

    def read(self, object_key: str) -> tuple[bytes, str | None] | None:
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=object_key)
        except self.client.exceptions.NoSuchKey:
            return None
        return obj["Body"].read(), obj.get("ContentType")

    def delete(self, object_key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=object_key)

    def redirect_url(self, object_key: str) -> str | None:
        """A short-lived presigned GET that makes the bucket answer with the same safety headers
        as our own file route (attachment disposition for unsafe types)."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=object_key)
        except self.client.exceptions.ClientError:
            return None
        headers = file_headers(head.get("ContentType"), object_key)
        params = {"Bucket": self.bucket, "Key": object_key, "ResponseContentType": headers["content-type"],
                  "ResponseContentDisposition": headers["content-disposition"]}
        return self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=300)


@lru_cache
def get_storage() -> LocalStorage | S3Storage:
    s = get_settings()
    if s.bucket_name and s.s3_access_key and s.s3_secret_key:
        return S3Storage(s.bucket_name)
    return LocalStorage(s.files_dir)
