"""Steps and generations: step, steps, generations, create/update/delete, createGeneration."""

from __future__ import annotations

from ariadne import MutationType, ObjectType, QueryType

from api.graphql.connection import connection, page_request
from api.graphql.context import ctx
from literal_app.services.logs import steps, threads

query = QueryType()
mutation = MutationType()
step_type = ObjectType("Step")
generation_type = ObjectType("Generation")


@query.field("step")
def resolve_step(_, info, id):
    session, actor = ctx(info)
    return steps.get_step(session, actor, id)


@query.field("steps")
def resolve_steps(_, info, **args):
    session, actor = ctx(info)
    return connection(steps.list_steps(session, actor, page_request(**args)))


@query.field("generations")
def resolve_generations(_, info, **args):
    session, actor = ctx(info)
    return connection(steps.list_generations(session, actor, page_request(**args)))


@step_type.field("thread")
def resolve_step_thread(step, info):
    if not step.thread_id:
        return None
    session, actor = ctx(info)
    return threads.get_thread(session, actor, step.thread_id, with_steps=False)


@generation_type.field("step")
def resolve_generation_step(generation, info):
    session, actor = ctx(info)
    return steps.get_step(session, actor, generation.step_id)


@mutation.field("createStep")
def resolve_create_step(_, info, **fields):
    session, actor = ctx(info)
    return steps.create_step(session, actor, **fields)


@mutation.field("updateStep")
def resolve_update_step(_, info, id, **fields):
    session, actor = ctx(info)
    return steps.update_step(session, actor, id, **fields)


@mutation.field("deleteStep")
def resolve_delete_step(_, info, id):
    session, actor = ctx(info)
    return steps.delete_step(session, actor, id)


@mutation.field("createGeneration")
def resolve_create_generation(_, info, generation):
    session, actor = ctx(info)
    return steps.create_generation(session, actor, generation)


bindables = [query, mutation, step_type, generation_type]
