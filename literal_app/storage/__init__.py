"""Attachment storage: a local directory (``LITERAL_DATA_DIR/files``) or an S3-compatible bucket
(``BUCKET_NAME`` plus ``APP_AWS_*`` credentials).

Either way clients see our own URLs:

- an *upload target* ``POST /api/upload/target`` taking multipart ``fields`` (object key, expiry,
  HMAC token) and a ``file`` part, since the SDKs upload without their API key (S3: a presigned
  POST straight to the bucket);
- a *read URL* ``/api/files/<object key>?sig=<hmac>`` that is deterministic for a key (the TS
  test compares upload-time and read-time URLs) and loads in a browser without headers; on S3 it
  redirects to a fresh presigned GET.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
import uuid
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from literal_app.config import get_settings

UPLOAD_TTL = 3600
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
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


def read_url(object_key: str) -> str:
    """The stable, browser-loadable URL of a stored object."""
    return f"{get_settings().base_url}/api/files/{quote(object_key)}?sig={_sign('read:' + object_key)}"


def check_read(object_key: str, sig: str | None) -> bool:
    return bool(sig) and hmac.compare_digest(sig, _sign("read:" + object_key))


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
    return (content_type or "").strip()[:200] or None


class LocalStorage:
    """Files under ``LITERAL_DATA_DIR/files/<object key>``."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, object_key: str) -> Path:
        p = (self.root / object_key).resolve()
        if not str(p).startswith(str(self.root.resolve()) + "/"):
            raise ValueError("Invalid object key.")
        return p

    def upload_descriptor(self, object_key: str, content_type: str | None) -> dict:
        expires = int(time.time()) + UPLOAD_TTL
        mime = signed_content_type(content_type)
        fields = {"key": object_key, **({"Content-Type": mime} if mime else {}), "expires": str(expires),
                  "token": upload_token(object_key, expires, mime)}
        return {"post": {"url": f"{get_settings().base_url}/api/upload/target", "fields": fields,
                         "uploadType": "multipart"}, "signedUrl": read_url(object_key)}

    def save(self, object_key: str, data: bytes, mime: str | None = None) -> None:
        p = self.path(object_key)
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(p.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(p)
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

    def upload_descriptor(self, object_key: str, content_type: str | None) -> dict:
        """A presigned POST; the content type asked for is a signed field, so S3 stores it
        whatever the uploaded part says."""
        mime = signed_content_type(content_type)
        fields, conditions = ({"Content-Type": mime}, [{"Content-Type": mime}]) if mime else (None, None)
        post = self.client.generate_presigned_post(self.bucket, object_key, Fields=fields, Conditions=conditions,
                                                   ExpiresIn=UPLOAD_TTL)
        return {"post": {"url": post["url"], "fields": post["fields"], "uploadType": "multipart"},
                "signedUrl": read_url(object_key)}

    def save(self, object_key: str, data: bytes, mime: str | None = None) -> None:
        self.client.put_object(Bucket=self.bucket, Key=object_key, Body=data,
                               ContentType=mime or "application/octet-stream")

    def read(self, object_key: str) -> tuple[bytes, str | None] | None:
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=object_key)
        except self.client.exceptions.NoSuchKey:
            return None
        return obj["Body"].read(), obj.get("ContentType")

    def delete(self, object_key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=object_key)

    def redirect_url(self, object_key: str) -> str | None:
        return self.client.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": object_key},
                                                  ExpiresIn=UPLOAD_TTL)


@lru_cache
def get_storage() -> LocalStorage | S3Storage:
    s = get_settings()
    if s.bucket_name and s.s3_access_key and s.s3_secret_key:
        return S3Storage(s.bucket_name)
    return LocalStorage(s.files_dir)
