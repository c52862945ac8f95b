"""Threads: threadDetail, threads (lists, with stepTypesToKeep), create/upsert/update/delete."""

from __future__ import annotations

from ariadne import MutationType, ObjectType, QueryType

from api.graphql.connection import connection, page_request
from api.graphql.context import ctx
from literal_app.services.logs import steps, threads

query = QueryType()
mutation = MutationType()
thread_type = ObjectType("Thread")


@query.field("threadDetail")
def resolve_thread_detail(_, info, id):
    session, actor = ctx(info)
    return threads.get_thread(session, actor, id)


@query.field("threads")
def resolve_threads(_, info, step_types_to_keep=None, **args):
    session, actor = ctx(info)
    return connection(threads.list_threads(session, actor, page_request(**args), step_types_to_keep))


@thread_type.field("steps")
def resolve_thread_steps(thread, info):
    if thread.steps is not None:
        return thread.steps
    session, actor = ctx(info)
    return steps.thread_steps(session, actor, thread.id, thread.step_types)


@mutation.field("createThread")
def resolve_create_thread(_, info, name=None, metadata=None, participant_id=None, tags=None):
    session, actor = ctx(info)
    return threads.upsert_thread(session, actor, None, name=name, metadata=metadata,
                                 participant_id=participant_id, tags=tags)


@mutation.field("upsertThread")
def resolve_upsert_thread(_, info, id, name=None, metadata=None, participant_id=None, tags=None):
    session, actor = ctx(info)
    return threads.upsert_thread(session, actor, id, name=name, metadata=metadata,
                                 participant_id=participant_id, tags=tags)


@mutation.field("updateThread")
def resolve_update_thread(_, info, id, name=None, metadata=None, participant_id=None, tags=None):
    session, actor = ctx(info)
    return threads.upsert_thread(session, actor, id, name=name, metadata=metadata,
                                 participant_id=participant_id, tags=tags, must_exist=True)


@mutation.field("deleteThread")
def resolve_delete_thread(_, info, id):
    session, actor = ctx(info)
    return threads.delete_thread(session, actor, id)


bindables = [query, mutation, thread_type]
