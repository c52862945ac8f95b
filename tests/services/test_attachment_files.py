"""Deleting attachments removes their stored files (once the transaction commits, and only when
no other attachment references the same object key), also when the attachment goes with its
step or thread, through the API services and the Logs bulk delete. Both databases."""

from __future__ import annotations

import uuid

from literal_app.services.logs import attachments, log_admin, steps, threads
from literal_app.storage import get_storage
from tests.factories import make_actor
from tests.log_factories import make_step, make_thread


def stored(actor, data: bytes = b"file bytes") -> str:
    """A file in storage under a fresh key of the actor's project."""
    key = f"{actor.project_id}/{uuid.uuid4().hex}-f.bin"
    get_storage().save(key, data, "application/octet-stream")
    return key


def exists(key: str) -> bool:
    return get_storage().read(key) is not None


def attach(session, actor, step_id: str, key: str, thread_id: str | None = None):
    return attachments.create_attachment(session, actor, step_id=step_id, name="f.bin", object_key=key,
                                         thread_id=thread_id)


def committed_attachment(session):
    """A project's step with one attachment whose file is in storage, committed: (actor, key, attachment)."""
    actor = make_actor(session)
    step = make_step(session, actor.project_id)
    key = stored(actor)
    att = attach(session, actor, step.id, key)
    session.commit()
    return actor, key, att


def test_deleting_an_attachment_removes_its_file_after_commit(session):
    actor, key, att = committed_attachment(session)
    attachments.delete_attachment(session, actor, att.id)
    session.flush()
    assert exists(key)  # nothing is removed before the delete is committed
    session.commit()
    assert not exists(key)


def test_a_rolled_back_delete_keeps_the_file(session):
    actor, key, att = committed_attachment(session)
    attachments.delete_attachment(session, actor, att.id)
    session.rollback()
    session.commit()
    assert exists(key) and attachments.get_attachment(session, actor, att.id) is not None


def test_a_file_shared_by_two_attachments_stays_until_the_last_goes(session):
    actor = make_actor(session)
    step = make_step(session, actor.project_id)
    key = stored(actor)
    first, second = attach(session, actor, step.id, key), attach(session, actor, step.id, key)
    session.commit()
    attachments.delete_attachment(session, actor, first.id)
    session.commit()
    assert exists(key)
    attachments.delete_attachment(session, actor, second.id)
    session.commit()
    assert not exists(key)


def test_replacing_the_object_key_releases_the_old_file(session):
    actor, old, att = committed_attachment(session)
    new = stored(actor)
    attachments.update_attachment(session, actor, att.id, object_key=new)
    session.commit()
    assert not exists(old) and exists(new)


def test_deleting_a_step_or_a_thread_removes_their_files(session):
    actor = make_actor(session)
    thread = make_thread(session, actor.project_id)
    a, b = make_step(session, actor.project_id, thread_id=thread.id), make_step(session, actor.project_id)
    in_thread, on_b, thread_only = stored(actor), stored(actor), stored(actor)
    attach(session, actor, a.id, in_thread, thread.id)
    attach(session, actor, b.id, on_b)
    session.commit()
    steps.delete_step(session, actor, b.id)
    session.commit()
    assert not exists(on_b) and exists(in_thread)
    threads.delete_thread(session, actor, thread.id)
    session.commit()
    assert not exists(in_thread)
    assert exists(thread_only)  # a file no attachment references is not touched


def test_logs_bulk_delete_removes_files(session):
    actor = make_actor(session)
    thread = make_thread(session, actor.project_id)
    run = make_step(session, actor.project_id, thread_id=thread.id)
    child = make_step(session, actor.project_id, thread_id=thread.id, parent_id=run.id)
    other = make_step(session, actor.project_id)
    on_child, on_other = stored(actor), stored(actor)
    attach(session, actor, child.id, on_child, thread.id)
    attach(session, actor, other.id, on_other)
    session.commit()
    assert log_admin.delete_steps(session, actor, [other.id]) == 1
    session.commit()
    assert not exists(on_other) and exists(on_child)
    assert log_admin.delete_threads(session, actor, [thread.id]) == 1
    session.commit()
    assert not exists(on_child)



def test_ingestion_resending_an_attachment_with_another_file_releases_the_old_one(session):
    """The SDKs upsert attachments by id: a step sent again whose attachment points at a new object
    drops the old object (unless still referenced); sending it with the same key, or with no key,
    keeps it."""
    from literal_app.services.ingestion.writer import ingest_steps

    actor = make_actor(session)
    old, new, shared = stored(actor), stored(actor), stored(actor)
    att_id, other_id, step_id = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())

    def send(*files):
        item = {"id": step_id, "type": "tool", "attachments": [
            {"id": aid, "name": "f.bin", "object_key": key} if key else {"id": aid, "name": "f.bin"}
            for aid, key in files]}
        assert all(r.ok for r in ingest_steps(session, actor, [item]))
        session.commit()

    send((att_id, old), (other_id, shared))
    send((att_id, old), (other_id, None))
    assert exists(old) and exists(shared)
    send((att_id, new))
    assert not exists(old) and exists(new)
    assert attachments.get_attachment(session, actor, att_id).object_key == new
    send((att_id, shared))  # shared is other_id's file too: it stays, new goes
    assert not exists(new) and exists(shared)
