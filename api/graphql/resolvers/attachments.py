"""Attachments: attachment(id), create/update/delete (read URLs are signed and stable)."""

from __future__ import annotations

from ariadne import MutationType, QueryType

from api.graphql.context import ctx
from literal_app.services.logs import attachments

query = QueryType()
mutation = MutationType()


@query.field("attachment")
def resolve_attachment(_, info, id):
    session, actor = ctx(info)
    return attachments.get_attachment(session, actor, id)


@mutation.field("createAttachment")
def resolve_create_attachment(_, info, step_id, **fields):
    session, actor = ctx(info)
    return attachments.create_attachment(session, actor, step_id=step_id, **fields)


@mutation.field("updateAttachment")
def resolve_update_attachment(_, info, id, project_id=None, **fields):
    session, actor = ctx(info)
    return attachments.update_attachment(session, actor, id, **fields)


@mutation.field("deleteAttachment")
def resolve_delete_attachment(_, info, id):
    session, actor = ctx(info)
    return attachments.delete_attachment(session, actor, id)


bindables = [query, mutation]
