"""Attachments over REST: upload signing (``/api/upload/file``), our upload target, and signed
expiring read URLs (``/api/files/<object key>?X-Amz-Date=…``) a browser can load without headers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import CurrentActor
from literal_app.services.kernel.errors import Invalid
from literal_app.services.logs import attachments
from literal_app.storage.serving import file_headers

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
def read_file(object_key: str, request: Request) -> Response:
    """A stored file behind an expiring signed link, served so it can never run as a page of this
    origin (``storage.serving``): risky types download, the rest is sandboxed."""
    q = request.query_params
    found, redirect = attachments.read_file(object_key, q.get("X-Amz-Date"), q.get("X-Amz-Expires"),
                                            q.get("X-Literal-Signature"))
    if redirect:
        return RedirectResponse(redirect, status_code=307, headers={"Cache-Control": "no-store"})
    data, mime = found
    headers = file_headers(mime, object_key)
    return Response(data, media_type=headers.pop("content-type"),
                    headers={**headers, "Cache-Control": "private, max-age=3600"})
