"""Prompt lineages, versions, variants (``PromptExperiment``) and A/B rollouts."""

from __future__ import annotations

from ariadne import MutationType, QueryType

from api.graphql.context import ctx
from literal_app.services.kernel.errors import DomainError
from literal_app.services.prompts import prompt_rollouts, prompts

query = QueryType()
mutation = MutationType()


@query.field("promptLineage")
def resolve_prompt_lineage(_, info, name):
    session, actor = ctx(info)
    return prompts.get_lineage_by_name(session, actor, name)


@query.field("promptVersion")
def resolve_prompt_version(_, info, id=None, name=None, version=None):
    session, actor = ctx(info)
    return prompts.get_version(session, actor, id=id, name=name, version=version)


@query.field("promptLineageRollout")
def resolve_prompt_lineage_rollout(_, info, lineage_name, project_id=None):
    session, actor = ctx(info)
    rollouts = prompt_rollouts.get_rollouts(session, actor, lineage_name)
    return {"page_info": {"start_cursor": None, "end_cursor": None, "has_next_page": False, "has_previous_page": False},
            "edges": [{"node": r} for r in rollouts]}


@mutation.field("createPromptLineage")
def resolve_create_prompt_lineage(_, info, name, description=None):
    session, actor = ctx(info)
    return prompts.get_or_create_lineage(session, actor, name=name, description=description)


@mutation.field("createPromptVersion")
def resolve_create_prompt_version(_, info, lineage_id, version_desc=None, template_messages=None, tools=None,
                                  settings=None, variables=None, variables_default_values=None):
    session, actor = ctx(info)
    return prompts.create_version(session, actor, lineage_id=lineage_id, template_messages=template_messages,
                                  settings=settings, tools=tools, changelog=version_desc,
                                  variables_default_values=variables_default_values)


@mutation.field("createPromptExperiment")
def resolve_create_prompt_experiment(_, info, from_lineage_id=None, from_version=None, score_template_id=None,
                                     template_messages=None, settings=None, tools=None, variables=None):
    session, actor = ctx(info)
    return prompt_rollouts.create_variant(
        session, actor, template_messages=template_messages, from_lineage_id=from_lineage_id,
        from_version=from_version, settings=settings, tools=tools, variables=variables,
        score_template_id=score_template_id)


@mutation.field("updatePromptLineageRollout")
def resolve_update_rollout(_, info, name, rollouts, project_id=None):
    """``{ok: false, message}`` on refusal: the Python client raises on it, TS ignores it."""
    session, actor = ctx(info)
    try:
        prompt_rollouts.update_rollouts(session, actor, name, rollouts)
    except DomainError as e:
        return {"ok": False, "message": e.message, "error_code": type(e).__name__.upper()}
    return {"ok": True, "message": None, "error_code": None}


bindables = [query, mutation]
