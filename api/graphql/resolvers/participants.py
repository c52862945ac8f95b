"""Participants (users): get, list, create, update, delete."""

from __future__ import annotations

from ariadne import MutationType, QueryType

from api.graphql.connection import connection, page_request
from api.graphql.context import ctx
from literal_app.services.logs import participants

query = QueryType()
mutation = MutationType()


@query.field("participant")
def resolve_participant(_, info, id=None, identifier=None):
    session, actor = ctx(info)
    return participants.get_participant(session, actor, id=id, identifier=identifier)


@query.field("participants")
def resolve_participants(_, info, **args):
    session, actor = ctx(info)
    return connection(participants.list_participants(session, actor, page_request(**args)))


@mutation.field("createParticipant")
def resolve_create_participant(_, info, identifier, metadata=None):
    session, actor = ctx(info)
    return participants.create_participant(session, actor, identifier=identifier, metadata=metadata)


@mutation.field("updateParticipant")
def resolve_update_participant(_, info, id, identifier=None, metadata=None):
    session, actor = ctx(info)
    return participants.update_participant(session, actor, id, identifier=identifier, metadata=metadata)


@mutation.field("deleteParticipant")
def resolve_delete_participant(_, info, id):
    session, actor = ctx(info)
    return participants.delete_participant(session, actor, id)


bindables = [query, mutation]
