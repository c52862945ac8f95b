"""The permission table as a matrix over every service entry point that exists.

Each row: a service call and the scope it needs. Each role either succeeds or gets Forbidden,
exactly as the table in the foundation issue says. New entry points add a row here.
"""

import dataclasses

import pytest

from literal_app.auth.rbac import has_scope
from literal_app.services import dashboard, providers
from literal_app.services.accounts import api_keys, projects, team
from literal_app.services.costs import model_costs, repricing
from literal_app.services.datasets import (comparison, dataset_items, datasets, experiment_runs, experiment_views,
                                           experiments, exports, imports, item_admin)
from literal_app.services.evaluation import builtins, online_rules, rule_runs, score_schemas, scorers, try_it
from literal_app.services.evaluation.scoring import run_scorer
from literal_app.services.ingestion import ingest_steps
from literal_app.services.kernel.errors import Forbidden, Invalid, NotFound
from literal_app.services.logs import (
    annotations,
    attachments,
    log_admin,
    log_lists,
    participants,
    scores,
    step_detail,
    steps,
    tags,
    threads,
    traces,
    waterfall,
)
from literal_app.services.logs.log_filters import LogFilters
from literal_app.services.logs.querying import PageRequest
from literal_app.services.prompts import library, prompt_diff, prompt_results, prompt_rollouts, prompts
from literal_app.services import providers
from literal_app.services.playground import drafts as pg_drafts, runs as pg_runs, saving as pg_saving
from literal_app.services.playground import sources as pg_sources
from literal_app.services.providers import credentials as llm_credentials
from literal_app.services.annotation import claims, filling, items as queue_items, queues, review
from tests.factories import make_actor
from tests.log_factories import make_conversation

ROLES = ["ADMIN", "AI_ENGINEER", "DOMAIN_EXPERT"]

TABLE = {  # resource -> roles with read, roles with write (from the issue)
    "annotations": (ROLES, ROLES),
    "observability": (ROLES, ["ADMIN", "AI_ENGINEER"]),
    "datasets": (ROLES, ["ADMIN", "AI_ENGINEER"]),
    "prompts": (["ADMIN", "AI_ENGINEER"], ["ADMIN", "AI_ENGINEER"]),
    "secrets": (["ADMIN", "AI_ENGINEER"], ["ADMIN", "AI_ENGINEER"]),
    "project": (ROLES, ["ADMIN"]),
}


def test_every_role_may_view_the_prompt_library():
    """The library is read-only for a Domain Expert (issue 14); the Playground stays prompts:read."""
    assert all(has_scope(role, "prompts:view") for role in ROLES)


@pytest.mark.parametrize("resource", TABLE)
@pytest.mark.parametrize("role", ROLES)
def test_scope_table_matches_the_issue(resource, role):
    readers, writers = TABLE[resource]
    assert has_scope(role, f"{resource}:read") == (role in readers)
    assert has_scope(role, f"{resource}:write") == (role in writers)


ENTRY_POINTS = [
    ("project:read", lambda s, a: projects.get_project(s, a)),
    ("project:write", lambda s, a: projects.rename_project(s, a, name="Renamed")),
    ("secrets:read", lambda s, a: api_keys.list_api_keys(s, a)),
    ("secrets:write", lambda s, a: api_keys.create_api_key(s, a, project_id=a.project_id)),
    ("annotations:read", lambda s, a: tags.list_tags(s, a)),
    ("project:write", lambda s, a: tags.add_tag(s, a, "t")),
    ("project:read", lambda s, a: team.list_team(s, a)),
    ("project:write", lambda s, a: team.add_member(s, a, email="new@example.com", role="Admin")),
    ("secrets:read", lambda s, a: model_costs.list_cost_rules(s, a)),
    ("secrets:write", lambda s, a: model_costs.create_cost_rule(s, a, pattern="acme-.*", input_per_million=1)),
    ("secrets:write", lambda s, a: model_costs.update_cost_rule(s, a, model_costs.list_cost_rules(
        s, _admin(a))[0].id, pattern="x")),
    ("secrets:write", lambda s, a: model_costs.delete_cost_rule(s, a, model_costs.list_cost_rules(s, _admin(a))[0].id)),
    ("secrets:write", lambda s, a: model_costs.restore_default_rules(s, a)),
    ("secrets:read", lambda s, a: repricing.recent_repricings(s, a)),
    ("observability:read", lambda s, a: dashboard.load_dashboard(s, a, _last_week())),
    ("observability:read", lambda s, a: dashboard.filter_options(s, a)),
    ("observability:read", lambda s, a: dashboard.has_data(s, a)),
    ("observability:read", lambda s, a: dashboard.compact_rollups(s, a)),
    ("observability:read", lambda s, a: participants.get_participant(s, a, identifier="x")),
    ("observability:read", lambda s, a: participants.list_participants(s, a, PageRequest())),
    ("observability:write", lambda s, a: participants.create_participant(s, a, identifier="x")),
    ("observability:read", lambda s, a: threads.list_threads(s, a, PageRequest())),
    ("observability:read", lambda s, a: threads.get_thread(s, a, "t")),
    ("observability:write", lambda s, a: threads.upsert_thread(s, a, "t", name="n")),
    ("observability:read", lambda s, a: steps.get_step(s, a, "s")),
    ("observability:read", lambda s, a: steps.list_steps(s, a, PageRequest())),
    ("observability:read", lambda s, a: steps.list_generations(s, a, PageRequest())),
    ("observability:write", lambda s, a: steps.create_step(s, a, name="s")),
    ("observability:write", lambda s, a: ingest_steps(s, a, [{"id": "s1"}])),
    ("observability:read", lambda s, a: scores.list_scores(s, a, PageRequest())),
    ("observability:write", lambda s, a: scores.create_score(s, a, name="n", type="HUMAN", value=1)),
    ("observability:read", lambda s, a: attachments.get_attachment(s, a, "a")),
    ("observability:write", lambda s, a: attachments.sign_upload(a, file_name="f", content_type=None)),
    # evaluation: prompts, datasets, experiments
    ("prompts:write", lambda s, a: prompts.get_or_create_lineage(s, a, name="p")),
    ("prompts:read", lambda s, a: prompts.list_lineages(s, a)),
    ("prompts:read", lambda s, a: prompts.get_lineage_by_name(s, a, "p")),
    ("prompts:read", lambda s, a: prompts.get_version(s, a, name="p")),
    ("prompts:write", lambda s, a: prompts.create_version(s, a, lineage_id="x", template_messages=[])),
    ("prompts:read", lambda s, a: prompts.list_versions(s, a, "x")),
    ("prompts:write", lambda s, a: prompts.delete_lineage(s, a, "x")),
    ("prompts:read", lambda s, a: prompt_rollouts.get_rollouts(s, a, "p")),
    ("prompts:write", lambda s, a: prompt_rollouts.update_rollouts(s, a, "p", [])),
    ("prompts:write", lambda s, a: prompt_rollouts.create_variant(s, a, template_messages=[])),
    ("prompts:read", lambda s, a: prompt_rollouts.get_variant(s, a, "x")),
    ("prompts:write", lambda s, a: prompt_rollouts.set_rollout(s, a, "x", {})),
    ("prompts:view", lambda s, a: library.list_prompts(s, a)),
    ("prompts:view", lambda s, a: library.project_tags(s, a)),
    ("prompts:write", lambda s, a: library.set_tags(s, a, "x", add=["t"])),
    ("prompts:write", lambda s, a: library.set_deprecated(s, a, "x", True)),
    ("prompts:write", lambda s, a: library.delete_prompt(s, a, "x")),
    ("prompts:view", lambda s, a: prompt_results.get_prompt_detail(s, a, "x")),
    ("prompts:view", lambda s, a: prompt_results.get_prompt_results(s, a, "x")),
    ("prompts:view", lambda s, a: prompt_diff.diff_versions(s, a, "x", "y")),
    ("datasets:write", lambda s, a: datasets.create_dataset(s, a, name="d")),
    ("datasets:write", lambda s, a: datasets.update_dataset(s, a, "x", name="d")),
    ("datasets:write", lambda s, a: datasets.delete_dataset(s, a, "x")),
    ("datasets:read", lambda s, a: datasets.find_dataset(s, a, name="d")),
    ("datasets:read", lambda s, a: datasets.list_datasets(s, a)),
    ("datasets:write", lambda s, a: dataset_items.create_item(s, a, dataset_id="x", input={})),
    ("datasets:read", lambda s, a: dataset_items.get_item(s, a, "x")),
    ("datasets:write", lambda s, a: dataset_items.delete_item(s, a, "x")),
    ("datasets:read", lambda s, a: dataset_items.list_items(s, a, "x")),
    ("datasets:read", lambda s, a: dataset_items.export_dataset(s, a, name="d")),
    ("datasets:write", lambda s, a: dataset_items.add_step_to_dataset(s, a, dataset_id="x", step_id="s")),
    ("datasets:write", lambda s, a: dataset_items.add_generation_to_dataset(s, a, dataset_id="x",
                                                                            generation_id="s")),
    ("datasets:write", lambda s, a: experiments.create_experiment(s, a, name="e")),
    ("datasets:write", lambda s, a: experiments.create_item(s, a, experiment_id="x")),
    ("datasets:read", lambda s, a: experiments.list_experiments(s, a)),
    ("datasets:read", lambda s, a: experiments.get_experiment(s, a, "x")),
    ("datasets:read", lambda s, a: experiments.list_items(s, a, "x")),
    ("datasets:read", lambda s, a: experiments.score_averages(s, a, "x")),
    ("datasets:write", lambda s, a: experiments.delete_experiment(s, a, "x")),
    # dataset and experiment pages (issue 15)
    ("datasets:read", lambda s, a: datasets.get_dataset(s, a, "x")),
    ("datasets:read", lambda s, a: item_admin.list_items_page(s, a, "x")),
    ("datasets:write", lambda s, a: item_admin.update_item(s, a, "x", input={})),
    ("datasets:write", lambda s, a: item_admin.delete_items(s, a, "x", ["y"])),
    ("datasets:write", lambda s, a: item_admin.add_steps(s, a, dataset_id="x", step_ids=["s"])),
    ("datasets:write", lambda s, a: imports.import_rows(s, a, "x", [{"input": {}}])),
    ("datasets:write", lambda s, a: imports.finish_import(s, a, "x")),
    ("datasets:read", lambda s, a: exports.check_export(s, a, "x", "jsonl")),
    ("datasets:write", lambda s, a: experiment_runs.start_experiment(s, a, "x", experiment_runs.RunSpec(
        name="e", credential_id="c", model="m"))),
    ("datasets:write", lambda s, a: experiment_runs.cancel_experiment(s, a, "x")),
    ("datasets:write", lambda s, a: experiment_runs.rerun_experiment(s, a, "x")),
    ("datasets:read", lambda s, a: experiment_runs.get_progress(s, a, "x")),
    ("datasets:read", lambda s, a: experiment_views.list_summaries(s, a)),
    ("datasets:read", lambda s, a: experiment_views.get_detail(s, a, "x")),
    ("datasets:read", lambda s, a: comparison.compare(s, a, "x", "y")),
    # Logs pages (issue 5)
    ("observability:read", lambda s, a: threads.get_thread(s, a, make_conversation(s, a.project_id).id)),
    ("observability:read", lambda s, a: traces.thread_tree(s, a, make_conversation(s, a.project_id).id)),
    ("observability:read", lambda s, a: traces.thread_messages(s, a, make_conversation(s, a.project_id).id)),
    ("observability:read", lambda s, a: traces.step_children(s, a, "any")),
    ("observability:read", lambda s, a: traces.step_path(s, a, f"{make_conversation(s, a.project_id).id}-g0")),
    ("observability:read", lambda s, a: step_detail.get_step_detail(s, a, f"{make_conversation(s, a.project_id).id}-g0")),
    ("observability:read", lambda s, a: step_detail.load_payload(
        s, a, f"{make_conversation(s, a.project_id).id}-g0", "input")),
    ("observability:read", lambda s, a: waterfall.run_waterfall(s, a, f"{make_conversation(s, a.project_id).id}-r0")),
    ("annotations:read", lambda s, a: score_schemas.list_score_schemas(s, a)),
    ("observability:write", lambda s, a: score_schemas.create_score_schema(
        s, a, name="q", type="continuous", min_value=0, max_value=1)),
    ("annotations:write", lambda s, a: annotations.change_tags(
        s, a, "thread", [make_conversation(s, a.project_id).id], add=["x"])),
    ("annotations:write", lambda s, a: scores.add_human_score(
        s, a, f"{make_conversation(s, a.project_id).id}-r0", name="q", value=1)),
    ("observability:write", lambda s, a: log_admin.delete_threads(s, a, [make_conversation(s, a.project_id).id])),
    ("observability:write", lambda s, a: log_admin.delete_steps(
        s, a, [f"{make_conversation(s, a.project_id).id}-r0"])),
    ("observability:read", lambda s, a: log_lists.list_rows(s, a, "threads", LogFilters(search="x"))),
    ("observability:read", lambda s, a: log_lists.count_rows(s, a, "generations", LogFilters())),
    ("observability:read", lambda s, a: log_lists.distinct_values(s, a, "model")),
    # LLM providers (issue 13): Admin and AI Engineer use and edit credentials, Domain Experts see none
    ("secrets:read", lambda s, a: llm_credentials.list_credentials(s, a)),
    ("secrets:read", lambda s, a: llm_credentials.get_credential(s, a, "x")),
    ("secrets:write", lambda s, a: llm_credentials.create_credential(
        s, a, llm_credentials.CredentialInput("openai", "k", api_key="sk-123456789"))),
    ("secrets:write", lambda s, a: llm_credentials.update_credential(
        s, a, "x", llm_credentials.CredentialInput("openai", "k"))),
    ("secrets:write", lambda s, a: llm_credentials.delete_credential(s, a, "x")),
    ("secrets:read", lambda s, a: llm_credentials.resolve(s, a, "x")),
    ("secrets:read", lambda s, a: providers.complete(s, a, "x", providers.ChatRequest(
        model="m", messages=[providers.Message("user", "hi")]))),
    ("secrets:read", lambda s, a: providers.stream(s, a, "x", providers.ChatRequest(
        model="m", messages=[providers.Message("user", "hi")]))),
    ("secrets:read", lambda s, a: providers.test_credential(s, a, "x")),
    # Scorers (issue 16): everyone reads them; Admin and AI Engineer edit and run them
    ("observability:read", lambda s, a: scorers.list_scorers(s, a)),
    ("observability:read", lambda s, a: scorers.get_scorer(s, a, "x")),
    ("observability:write", lambda s, a: scorers.create_scorer(s, a, scorers.ScorerInput(
        "Exact", "code", {"metric": "exact_match"}))),
    ("observability:write", lambda s, a: scorers.update_scorer(s, a, "x", scorers.ScorerInput("E", "code"))),
    ("observability:write", lambda s, a: scorers.delete_scorer(s, a, "x")),
    ("observability:write", lambda s, a: run_scorer(s, a, "x", input="q", output="a")),
    ("observability:write", lambda s, a: try_it.try_on_step(s, a, "x", "step")),
    ("observability:read", lambda s, a: try_it.recent_steps(s, a, "runs", "refund")),
    ("observability:write", lambda s, a: builtins.copy_builtin(s, a, "toxicity", credential_id=None, model=None)),
    # Online evaluation rules (issue 16)
    ("observability:read", lambda s, a: online_rules.list_rules(s, a)),
    ("observability:read", lambda s, a: online_rules.get_rule(s, a, "x")),
    ("observability:write", lambda s, a: online_rules.create_rule(s, a, online_rules.RuleInput("r", "x"))),
    ("observability:write", lambda s, a: online_rules.update_rule(s, a, "x", online_rules.RuleInput("r", "x"))),
    ("observability:write", lambda s, a: online_rules.set_active(s, a, "x", False)),
    ("observability:write", lambda s, a: online_rules.delete_rule(s, a, "x")),
    ("observability:read", lambda s, a: rule_runs.list_runs(s, a, "x")),
    ("observability:read", lambda s, a: rule_runs.score_series(s, a, "x")),
    ("observability:read", lambda s, a: rule_runs.online_scores_over_time(s, a)),
    ("observability:write", lambda s, a: rule_runs.retry_failed(s, a, "x")),
    # Playground (issue 13): Admin and AI Engineer
    ("prompts:read", lambda s, a: pg_drafts.load_draft(s, a)),
    ("prompts:read", lambda s, a: pg_drafts.save_draft(s, a, {"messages": []})),
    ("prompts:read", lambda s, a: pg_sources.from_prompt_version(s, a, "x")),
    ("prompts:read", lambda s, a: pg_sources.from_generation(s, a, "x")),
    ("prompts:read", lambda s, a: pg_runs.build_request(
        s, a, messages=[{"role": "user", "content": "hi"}], variables={}, tools_text="", output={"kind": "text"},
        provider="openai", model="m", settings={})),
    ("prompts:read", lambda s, a: pg_runs.cost_of(s, a, "m", providers.Usage(1, 1))),
    ("prompts:read", lambda s, a: pg_saving.diff(s, a, None, [], {}, [])),
    ("prompts:write", lambda s, a: pg_saving.save_version(
        s, a, messages=[{"role": "user", "content": "hi"}], settings={}, tools=[], variables={}, changelog="c",
        new_name="pg")),
]

# Annotation queues (issue 12): everyone reviews; Admins and AI Engineers manage queues and fill them
ENTRY_POINTS += [
    ("annotations:read", lambda s, a: queues.list_queues(s, a)),
    ("annotations:read", lambda s, a: queues.get_queue(s, a, _queue(s, a))),
    ("queues:write", lambda s, a: queues.create_queue(s, a, name="Refunds")),
    ("queues:write", lambda s, a: queues.update_queue(s, a, _queue(s, a), description="d")),
    ("queues:write", lambda s, a: queues.delete_queue(s, a, "x")),
    ("queues:write", lambda s, a: filling.add_items(
        s, a, _queue(s, a), "step", [f"{make_conversation(s, a.project_id).id}-r0"])),
    ("queues:write", lambda s, a: filling.add_matching(s, a, _queue(s, a), "runs", LogFilters())),
    ("queues:write", lambda s, a: queue_items.assign_items(s, a, _queue(s, a), ["x"], None)),
    ("queues:write", lambda s, a: queue_items.assign_evenly(s, a, _queue(s, a), [a.member_id], 1)),
    ("annotations:read", lambda s, a: queue_items.list_items(s, a, _queue(s, a))),
    ("annotations:read", lambda s, a: queue_items.progress(s, a, _queue(s, a))),
    ("annotations:read", lambda s, a: queue_items.reviewers(s, a)),
    ("annotations:write", lambda s, a: queue_items.remove_items(s, a, _queue(s, a), ["x"])),
    ("annotations:write", lambda s, a: claims.claim_next(s, a, _queue(s, a))),
    ("annotations:write", lambda s, a: claims.release(s, a, "x")),
    ("annotations:read", lambda s, a: review.open_item(s, a, "x")),
    ("annotations:write", lambda s, a: review.next_item(s, a, _queue(s, a))),
    ("annotations:write", lambda s, a: review.review_item(s, a, "x", [])),
    ("annotations:write", lambda s, a: review.tag_item(s, a, "x", add=["t"])),
    ("datasets:add_from_review", lambda s, a: review.add_to_dataset(s, a, "x", input_text="{}")),
    ("datasets:add_from_review", lambda s, a: dataset_items.add_from_review(s, a, step_id="s", input={})),
]


def _queue(session, actor) -> str:
    """The project's Default queue."""
    return next(q.id for q in queues.list_queues(session, _admin(actor)) if q.is_default)


def _admin(actor):
    """The same project as an Admin (to look up ids the tested role may not list)."""
    return dataclasses.replace(actor, role="ADMIN")


def _last_week():
    return dashboard.DashboardFilter.last_days(7)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope,call", ENTRY_POINTS, ids=[f"{i}-{s}" for i, (s, _) in enumerate(ENTRY_POINTS)])
def test_service_entry_points_enforce_roles(session, role, scope, call):
    owner = make_actor(session, "ADMIN")
    actor = owner if role == "ADMIN" else make_actor(session, role, project_id=owner.project_id)
    if has_scope(role, scope):
        try:
            call(session, actor)
        except (NotFound, Invalid):  # allowed: the call only fails on its (placeholder) arguments
            pass
    else:
        with pytest.raises(Forbidden):
            call(session, actor)
