"""Stored files follow their attachment rows.

When attachment rows go (deleted one by one, or with the step or thread that held them), their
objects are removed from storage (the data dir, or the S3 bucket) unless another attachment still
references the same object key: clients may send a key again (the TS client re-sends a fetched
step with its attachments; ``createAttachment`` takes any key of the project).

The reference check runs inside the transaction just before it commits, and the files are removed
only after the commit succeeded, so a rolled-back delete never loses a file. A file whose removal
fails is logged and left behind: the rows are already gone, and a stray file harms nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import event, or_, select, update
from sqlmodel import Session

from literal_app.models.tracing import Attachment, Step
from literal_app.storage import get_storage, key_project, valid_key

log = logging.getLogger(__name__)

_HOOKED = "literal_attachment_files_hooked"
_PENDING = "literal_attachment_files_pending"  # {(project id, object key)} whose rows are going
_READY = "literal_attachment_files_ready"  # object keys to remove once the commit is done
_CHUNK = 500


def release_objects(session: Session, project_id: str, object_keys: Iterable[str | None]) -> None:
    """Remove these objects from storage after the session commits, if no attachment row of the
    project references them any more by then. Only the project's own files ever go: a row naming
    another project's key (stored before keys were checked) never removes that file."""
    keys = {k for k in object_keys if k and valid_key(k) and key_project(k) == project_id}
    if not keys:
        return
    if not session.info.get(_HOOKED):
        session.info[_HOOKED] = True
        event.listen(session, "before_commit", _check_references)
        event.listen(session, "after_commit", _remove_files)
        event.listen(session, "after_rollback", _forget)
    session.info.setdefault(_PENDING, set()).update((project_id, k) for k in keys)


def release_replaced_objects(session: Session, project_id: str, new_keys: dict[str, str]) -> None:
    """Call before upserting attachments by id (``{attachment id: new object key}``): where a stored
    attachment of the project gets a different key, its old object goes, as with ``updateAttachment``."""
    ids = list(new_keys)
    for i in range(0, len(ids), _CHUNK):
        rows = session.execute(select(Attachment.id, Attachment.object_key).where(
            Attachment.project_id == project_id, Attachment.id.in_(ids[i:i + _CHUNK]),
            Attachment.object_key.is_not(None))).all()
        release_objects(session, project_id, [key for aid, key in rows if key != new_keys[aid]])


def release_step_files(session: Session, project_id: str, step_ids: list[str]) -> None:
    """Call before deleting these steps' attachment rows: their objects go with them."""
    for i in range(0, len(step_ids), _CHUNK):
        keys = session.execute(select(Attachment.object_key).where(
            Attachment.project_id == project_id, Attachment.step_id.in_(step_ids[i:i + _CHUNK]),
            Attachment.object_key.is_not(None))).scalars()
        release_objects(session, project_id, keys)


def adopt_step_threads(session: Session, project_id: str, step_ids: list[str]) -> None:
    """Give attachments created before their step reached the server (the SDKs upload first and
    flush the step later) the thread of that step, once it is known; a thread id an attachment
    already has is kept."""
    thread_of = select(Step.thread_id).where(Step.id == Attachment.step_id, Step.project_id == project_id)
    for i in range(0, len(step_ids), _CHUNK):
        session.execute(update(Attachment).where(
            Attachment.project_id == project_id, Attachment.step_id.in_(step_ids[i:i + _CHUNK]),
            Attachment.thread_id.is_(None)).values(thread_id=thread_of.scalar_subquery())
            .execution_options(synchronize_session=False))


def release_thread_files(session: Session, project_id: str, thread_id: str) -> None:
    """Call before deleting a thread with its steps: the objects of attachments on the thread or
    on any of its steps go with them."""
    steps = select(Step.id).where(Step.project_id == project_id, Step.thread_id == thread_id)
    keys = session.execute(select(Attachment.object_key).where(
        Attachment.project_id == project_id, Attachment.object_key.is_not(None),
        or_(Attachment.thread_id == thread_id, Attachment.step_id.in_(steps)))).scalars()
    release_objects(session, project_id, keys)


def _check_references(session: Session) -> None:
    """Before commit: keep for removal only the keys no remaining attachment row references."""
    pending: set[tuple[str, str]] = session.info.pop(_PENDING, set())
    if not pending:
        return
    session.flush()
    by_project: dict[str, list[str]] = {}
    for project_id, key in pending:
        by_project.setdefault(project_id, []).append(key)
    ready: set[str] = session.info.setdefault(_READY, set())
    for project_id, keys in by_project.items():
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i:i + _CHUNK]
            used = set(session.execute(select(Attachment.object_key).where(
                Attachment.project_id == project_id, Attachment.object_key.in_(chunk))).scalars())
            ready.update(k for k in chunk if k not in used)


def _remove_files(session: Session) -> None:
    """After commit: remove the objects; a failure is logged, never raised (the rows are gone)."""
    ready: set[str] = session.info.pop(_READY, set())
    if not ready:
        return
    storage = get_storage()
    for key in sorted(ready):
        try:
            storage.delete(key)
        except Exception:  # noqa: BLE001 - storage errors must not turn a committed delete into a failure
            log.warning("Could not remove the stored file %s of a deleted attachment", key, exc_info=True)


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_READY, None)
