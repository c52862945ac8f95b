"""Attachments over REST: upload signing (``/api/upload/file``), our upload target, and signed
read URLs (``/api/files/<object key>?sig=``) a browser can load without headers."""

from __future__ import annotations

import mimetypes
from typing import Annotated

from fastapi import APIRouter, Body, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import CurrentActor
from literal_app.services.kernel.errors import Invalid
from literal_app.services.logs import attachments

router = APIRouter()


@router.post("/api/upload/file")
def sign_upload(actor: CurrentActor, body: Annotated[dict, Body()]) -> dict:
    """The upload descriptor: ``post.url`` + ``fields`` (with ``key``) and the ``signedUrl``."""
    return attachments.sign_upload(actor, file_name=body.get("fileName"), content_type=body.get("contentType"),
                                   thread_id=body.get("threadId"))


@router.post("/api/upload/target")
@router.put("/api/upload/target")
async def upload_target(request: Request) -> Response:
    """Receive a multipart upload (fields then ``file``) signed by ``sign_upload``."""
    if not request.headers.get("content-type", "").startswith("multipart/"):
        raise Invalid("Send the file as multipart/form-data with the fields of the upload descriptor.")
    form = await request.form(max_part_size=attachments.MAX_UPLOAD_BYTES)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise Invalid("The upload has no 'file' part.")
    data = await upload.read()
    signed_mime = form.get("Content-Type")
    attachments.receive_upload(str(form.get("key") or ""), form.get("expires"), form.get("token"), data,
                               upload.content_type, signed_mime if isinstance(signed_mime, str) else None)
    return Response(status_code=204)


@router.get("/api/files/{object_key:path}")
def read_file(object_key: str, sig: str | None = None) -> Response:
    found, redirect = attachments.read_file(object_key, sig)
    if redirect:
        return RedirectResponse(redirect, status_code=307)
    data, mime = found
    mime = mime or mimetypes.guess_type(object_key)[0] or "application/octet-stream"
    return Response(data, media_type=mime, headers={"Cache-Control": "private, max-age=31536000, immutable"})
