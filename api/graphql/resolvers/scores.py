"""Scores: scores list, createScore (also aliased in CreateScores batches), update, delete."""

from __future__ import annotations

from ariadne import MutationType, ObjectType, QueryType

from api.graphql.connection import connection, page_request
from api.graphql.context import ctx
from literal_app.services.logs import scores, steps

query = QueryType()
mutation = MutationType()
score_type = ObjectType("Score")


@query.field("scores")
def resolve_scores(_, info, **args):
    session, actor = ctx(info)
    return connection(scores.list_scores(session, actor, page_request(**args)))


@score_type.field("step")
def resolve_score_step(score, info):
    if not score.step_id:
        return None
    session, actor = ctx(info)
    return steps.get_step(session, actor, score.step_id)


@mutation.field("createScore")
def resolve_create_score(_, info, **fields):
    session, actor = ctx(info)
    return scores.create_score(session, actor, **fields)


@mutation.field("updateScore")
def resolve_update_score(_, info, id, **changes):
    session, actor = ctx(info)
    return scores.update_score(session, actor, id, **changes)


@mutation.field("deleteScore")
def resolve_delete_score(_, info, id):
    session, actor = ctx(info)
    return scores.delete_score(session, actor, id)


bindables = [query, mutation, score_type]
