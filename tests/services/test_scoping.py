"""Every entity's reads and writes refuse another project's id (through ``kernel.scoping.owned``):
the other project gets the answer an unknown id gets, and the row is left as it was."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import pytest
from sqlmodel import Session

from literal_app.models.tracing import Attachment
from literal_app.services.accounts import team
from literal_app.services.costs import model_costs, repricing
from literal_app.services.datasets import dataset_items, datasets, experiments
from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.actor import Actor
from literal_app.services.kernel.errors import NotFound
from literal_app.services.logs import attachments, participants, scores, step_detail, steps, tags, threads
from literal_app.services.prompts import prompt_rollouts, prompts
from tests.factories import make_actor
from tests.log_factories import make_conversation, make_participant, make_score


@dataclass
class World:
    """One project's rows of every kind, made by its admin."""

    thread: str
    step: str
    score: str
    attachment: str
    participant: str
    tag: str
    schema: str
    cost_rule: str
    repricing: str
    dataset: str
    item: str
    experiment: str
    lineage: str
    variant: str
    membership: str


def _world(session: Session, owner: Actor) -> World:
    pid = owner.project_id
    t = make_conversation(session, pid, turns=1)
    score = make_score(session, pid, f"{t.id}-g0", "quality", 1.0, type="HUMAN", created_by_id=owner.member_id)
    att = Attachment(project_id=pid, step_id=f"{t.id}-g0", thread_id=t.id, name="a.txt", mime="text/plain")
    session.add(att)
    session.flush()
    change = model_costs.create_cost_rule(session, owner, pattern="scoped-model", input_per_million=1)
    ds = datasets.create_dataset(session, owner, name="scoped")
    item = dataset_items.create_item(session, owner, dataset_id=ds.id, input={"q": 1})
    exp = experiments.create_experiment(session, owner, name="exp", dataset_id=ds.id)
    version = prompts.create_version(session, owner, lineage_id=prompts.get_or_create_lineage(
        session, owner, name="scoped").id, template_messages=[{"role": "user", "content": "hi"}])
    variant = prompt_rollouts.create_variant(session, owner, template_messages=[{"role": "user", "content": "x"}])
    team.add_member(session, owner, email="scoped-member@example.com", role="Domain Expert")
    membership = next(m.membership_id for m in team.list_team(session, owner) if m.email == "scoped-member@example.com")
    return World(t.id, f"{t.id}-g0", score.id, att.id, make_participant(session, pid, "scoped-user").id,
                 tags.add_tag(session, owner, "scoped-tag").id,
                 score_schemas.create_score_schema(session, owner, name="scoped", type="continuous",
                                                   min_value=0, max_value=1).id,
                 change.rule.id, change.repricing_id, ds.id, item.id, exp.id, version.lineage_id, variant.id,
                 membership)


Call = Callable[[Session, Actor, World], Any]
REFUSED: dict[str, Call] = {  # each must raise NotFound for another project's actor
    "step detail": lambda s, a, w: step_detail.get_step_detail(s, a, w.step),
    "step payload": lambda s, a, w: step_detail.load_payload(s, a, w.step, "input"),
    "update step": lambda s, a, w: steps.update_step(s, a, w.step, name="taken"),
    "delete step": lambda s, a, w: steps.delete_step(s, a, w.step),
    "delete thread": lambda s, a, w: threads.delete_thread(s, a, w.thread),
    "update score": lambda s, a, w: scores.update_score(s, a, w.score, value=0.0),
    "delete score": lambda s, a, w: scores.delete_score(s, a, w.score),
    "score on their step": lambda s, a, w: scores.add_human_score(s, a, w.step, name="x", value=1),
    "update attachment": lambda s, a, w: attachments.update_attachment(s, a, w.attachment, name="taken"),
    "delete attachment": lambda s, a, w: attachments.delete_attachment(s, a, w.attachment),
    "update participant": lambda s, a, w: participants.update_participant(s, a, w.participant, identifier="x"),
    "delete participant": lambda s, a, w: participants.delete_participant(s, a, w.participant),
    "delete tag": lambda s, a, w: tags.delete_tag(s, a, w.tag),
    "read score schema": lambda s, a, w: score_schemas.get_score_schema(s, a, w.schema),
    "delete score schema": lambda s, a, w: score_schemas.delete_score_schema(s, a, w.schema),
    "delete cost rule": lambda s, a, w: model_costs.delete_cost_rule(s, a, w.cost_rule),
    "read repricing": lambda s, a, w: repricing.get_repricing(s, a, w.repricing),
    "update dataset": lambda s, a, w: datasets.update_dataset(s, a, w.dataset, name="taken"),
    "delete dataset": lambda s, a, w: datasets.delete_dataset(s, a, w.dataset),
    "item into their dataset": lambda s, a, w: dataset_items.create_item(s, a, dataset_id=w.dataset, input={}),
    "delete dataset item": lambda s, a, w: dataset_items.delete_item(s, a, w.item),
    "read experiment": lambda s, a, w: experiments.get_experiment(s, a, w.experiment),
    "delete experiment": lambda s, a, w: experiments.delete_experiment(s, a, w.experiment),
    "version of their prompt": lambda s, a, w: prompts.create_version(
        s, a, lineage_id=w.lineage, template_messages=[{"role": "user", "content": "x"}]),
    "delete prompt": lambda s, a, w: prompts.delete_lineage(s, a, w.lineage),
    "read variant": lambda s, a, w: prompt_rollouts.get_variant(s, a, w.variant),
    "change member role": lambda s, a, w: team.change_role(s, a, w.membership, "Admin"),
    "remove member": lambda s, a, w: team.remove_member(s, a, w.membership),
}
ABSENT: dict[str, Call] = {  # lookups that answer None for an id they may not see
    "thread": lambda s, a, w: threads.get_thread(s, a, w.thread),
    "step": lambda s, a, w: steps.get_step(s, a, w.step),
    "score": lambda s, a, w: scores.get_score(s, a, w.score),
    "attachment": lambda s, a, w: attachments.get_attachment(s, a, w.attachment),
    "participant": lambda s, a, w: participants.get_participant(s, a, id=w.participant),
    "dataset item": lambda s, a, w: dataset_items.get_item(s, a, w.item),
    "prompt version": lambda s, a, w: prompts.get_version(s, a, name="scoped"),
}


@pytest.fixture
def worlds(session):
    owner, stranger = make_actor(session), make_actor(session)
    return owner, stranger, _world(session, owner)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_another_projects_ids_are_not_found(session, worlds, name):
    owner, stranger, world = worlds
    with pytest.raises(NotFound):
        REFUSED[name](session, stranger, world)
    session.expire_all()
    assert steps.get_step(session, owner, world.step) is not None  # the owner's rows are untouched
    assert scores.get_score(session, owner, world.score).value == 1.0
    assert attachments.get_attachment(session, owner, world.attachment).name == "a.txt"


@pytest.mark.parametrize("name", sorted(ABSENT))
def test_another_projects_rows_read_as_absent(session, worlds, name):
    owner, stranger, world = worlds
    assert ABSENT[name](session, owner, world) is not None
    assert ABSENT[name](session, stranger, world) is None


def test_an_id_with_nul_is_simply_not_found(session):
    """PostgreSQL refuses NUL in text: such an id answers NotFound, never a database error."""
    actor = make_actor(session)
    with pytest.raises(NotFound):
        experiments.get_experiment(session, actor, "exp\x00")
    assert steps.get_step(session, actor, "\x00") is None
