"""Attachments: upload signing, read-back of stored bytes, and attachment rows (get, create,
update, delete). Files live in ``literal_app.storage`` under keys scoped to the project."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from literal_app.models.tracing import Attachment, Step, Thread
from literal_app.services.ingestion.attachment_files import release_objects
from literal_app.services.ingestion.validate import attachment_input
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from literal_app.services.kernel.limits import check_id
from literal_app.services.kernel.scoping import owned, owned_or_none, refuse_foreign
from literal_app.services.logs.tracing_reads import AttachmentRead
from literal_app.storage import (MAX_UPLOAD_BYTES, AlreadyUploaded, check_key, check_read, check_upload, get_storage,
                                 new_object_key, signed_content_type, upload_descriptor, valid_key)


def sign_upload(actor: Actor, *, file_name: str | None, content_type: str | None,
                thread_id: str | None = None) -> dict:
    """The upload descriptor the SDKs expect: where to POST the file, and its stable read URL."""
    require(actor, "observability:write")
    key = new_object_key(actor.project_id, file_name)
    return upload_descriptor(key, content_type)


def receive_upload(object_key: str, expires: Any, token: str | None, data: bytes, mime: str | None = None,
                   signed_mime: str | None = None) -> None:
    """Store bytes POSTed to our upload target; the token proves the server signed this key (and
    the content type given at signing, which wins over the part's own: see ``signed_content_type``)."""
    if not valid_key(object_key) or not check_upload(object_key, expires, token, signed_mime):
        raise Invalid("The upload link is invalid or has expired: ask for a new one.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid(f"The file is too large (at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB).")
    try:
        get_storage().save(object_key, data, signed_content_type(signed_mime) or signed_content_type(mime))
    except AlreadyUploaded:
        raise Conflict("This upload link was already used: ask for a new one.") from None


def read_file(object_key: str, date: str | None, expires: str | None,
              sig: str | None) -> tuple[tuple[bytes, str | None] | None, str | None]:
    """((bytes, mime), None) for a local file or (None, redirect URL) on S3; Forbidden when the
    link is forged or expired, NotFound when the file is gone."""
    problem = check_read(object_key, date, expires, sig) if valid_key(object_key) else "This file link is invalid."
    if problem:
        raise Forbidden(problem)
    storage = get_storage()
    redirect = storage.redirect_url(object_key)
    if redirect:
        return None, redirect
    data = storage.read(object_key)
    if data is None:
        raise NotFound("File not found.")
    return data, None


def get_attachment(session: Session, actor: Actor, attachment_id: str) -> AttachmentRead | None:
    require(actor, "observability:read")
    row = owned_or_none(session, Attachment, attachment_id, actor)
    return AttachmentRead.of(row) if row else None


def _check_key(actor: Actor, object_key: str | None) -> None:
    try:
        check_key(actor.project_id, object_key)
    except ValueError as e:
        raise Invalid(str(e)) from None


def create_attachment(session: Session, actor: Actor, *, step_id: str, **fields: Any) -> AttachmentRead:
    """An attachment on a step (the step may arrive later); the server chooses the id."""
    require(actor, "observability:write")
    step_id = check_id(step_id, "stepId")
    clean = attachment_input(fields)
    clean.pop("id")
    _check_key(actor, clean["object_key"])
    given = check_id(fields.get("thread_id"), "threadId", required=False)
    step = refuse_foreign(session, Step, step_id, actor, "Step not found.")
    # The step may not have reached the server yet: ingestion gives the attachment its thread then.
    refuse_foreign(session, Thread, given, actor, "Thread not found.")
    thread_id = (step.thread_id if step is not None else None) or given
    row = Attachment(project_id=actor.project_id, step_id=step_id, thread_id=thread_id, **clean)
    session.add(row)
    session.flush()
    return AttachmentRead.of(row)


def update_attachment(session: Session, actor: Actor, attachment_id: str, **fields: Any) -> AttachmentRead:
    """Change the given keys only."""
    require(actor, "observability:write")
    row = owned(session, Attachment, attachment_id, actor, "Attachment not found.")
    clean = attachment_input({k: v for k, v in fields.items() if v is not None})
    _check_key(actor, clean["object_key"])
    if clean["object_key"] and clean["object_key"] != row.object_key:
        release_objects(session, actor.project_id, [row.object_key])  # the old file, if now unused
    for key, value in clean.items():
        if key != "id" and value is not None:
            setattr(row, key, value)
    session.add(row)
    session.flush()
    return AttachmentRead.of(row)


def delete_attachment(session: Session, actor: Actor, attachment_id: str) -> AttachmentRead:
    """Delete the row; its stored file goes too once no other attachment references it."""
    require(actor, "observability:write")
    row = owned(session, Attachment, attachment_id, actor, "Attachment not found.")
    read = AttachmentRead.of(row)
    release_objects(session, actor.project_id, [row.object_key])
    session.delete(row)
    session.flush()
    return read
