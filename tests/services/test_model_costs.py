"""Cost rules: validation, the default table, and re-pricing with overlapping rules and periods,
keeping thread/participant aggregates and the dashboard's cost figures equal to their steps."""

from datetime import datetime, timezone

import pytest
from sqlmodel import select

from literal_app.models.settings import ModelCost
from literal_app.models.tracing import Participant, Step, Thread
from literal_app.services import dashboard as dash
from literal_app.services.costs import model_costs as mc
from literal_app.services.costs import repricing
from literal_app.services.costs.default_costs import DEFAULT_COSTS
from literal_app.services.dashboard import DashboardFilter
from literal_app.services.kernel.errors import Invalid, NotFound
from tests.factories import make_actor
from tests.services.dash_data import D0, D1, D2, at


def _run(session, actor, change, batch_size=2):
    """Run a re-pricing to the end in small batches, as the job does."""
    while not repricing.run_repricing_batch(session, change.repricing_id, batch_size):
        pass
    return repricing.get_repricing(session, actor, change.repricing_id)


def test_new_projects_get_the_default_table_once(session):
    actor = make_actor(session, "ADMIN")
    rules = mc.list_cost_rules(session, actor)
    assert len(rules) == len(DEFAULT_COSTS)
    assert mc.install_default_rules(session, actor.project_id) == 0
    table = mc.rules_for_project(session, actor.project_id)
    for model, cost in [("gpt-4o", 2.5), ("gpt-4o-2024-08-06", 2.5), ("gpt-4o-mini", 0.15),
                        ("claude-3-5-sonnet-20241022", 3.0), ("mistral-large-latest", 2.0),
                        ("gemini-2.0-flash", 0.1), ("llama-3.3-70b-versatile", 0.59)]:
        assert mc.match_rule(table, model, None).input_per_million == cost, model
    patterns = [p for _, p, _, _ in DEFAULT_COSTS]
    assert len(set(patterns)) == len(patterns)


@pytest.mark.parametrize("kwargs,message", [
    (dict(pattern=""), "pattern is required"),
    (dict(pattern="gpt-(4"), "not a valid regular expression"),
    (dict(pattern="x", input_per_million=-1), "zero or more"),
    (dict(pattern="x", output_per_million="abc"), "must be a number"),
    (dict(pattern="x", valid_from=datetime(2026, 2, 1), valid_to=datetime(2026, 1, 1)), "must come after"),
])
def test_invalid_rules_are_rejected_with_a_clear_message(session, kwargs, message):
    actor = make_actor(session, "ADMIN")
    with pytest.raises(Invalid, match=message):
        mc.create_cost_rule(session, actor, **kwargs)


def test_rules_of_another_project_are_not_found(session):
    a, b = make_actor(session, "ADMIN"), make_actor(session, "ADMIN")
    rule = mc.create_cost_rule(session, a, pattern="acme-.*", input_per_million=1).rule
    with pytest.raises(NotFound):
        mc.update_cost_rule(session, b, rule.id, pattern="x")
    with pytest.raises(NotFound):
        mc.delete_cost_rule(session, b, rule.id)


def _acme(session, pid):
    """Three acme generations with no price yet: 1000 input + 1000 output tokens each."""
    alice = Participant(project_id=pid, identifier="alice")
    session.add(alice)
    session.flush()
    session.add(Thread(id=f"{pid}-t", project_id=pid, participant_id=alice.id, created_at=at(D0)))
    for sid, model, day in (("s1", "acme-1", D0), ("s2", "acme-1", D1), ("s3", "acme-2", D1)):
        session.add(Step(id=f"{pid}-{sid}", project_id=pid, thread_id=f"{pid}-t", type="llm", model=model,
                         start_time=at(day), created_at=at(day), input_token_count=1000, output_token_count=1000))
    session.flush()
    return alice.id


def _costs(session, pid):
    return {s.id.rsplit("-", 1)[1]: s.cost for s in session.exec(select(Step).where(Step.project_id == pid))}


def test_repricing_with_overlapping_rules_and_periods(session):
    actor = make_actor(session, "ADMIN")
    pid = actor.project_id
    alice = _acme(session, pid)
    base = mc.create_cost_rule(session, actor, pattern="acme-.*", input_per_million=1, output_per_million=2)
    status = _run(session, actor, base)
    assert (status.status, status.total, status.done, status.changed, status.percent) == ("done", 3, 3, 3, 100)
    assert _costs(session, pid) == {"s1": pytest.approx(0.003), "s2": pytest.approx(0.003), "s3": pytest.approx(0.003)}
    # A price valid on D1 only, for acme-1: more specific than the open-ended rule.
    dated = mc.create_cost_rule(session, actor, pattern="acme-1", input_per_million=10, output_per_million=20,
                                valid_from=datetime(2026, 1, 11, tzinfo=timezone.utc),
                                valid_to=datetime(2026, 1, 12))
    assert _run(session, actor, dated).changed == 1
    assert _costs(session, pid) == {"s1": pytest.approx(0.003), "s2": pytest.approx(0.03), "s3": pytest.approx(0.003)}
    thread = session.get(Thread, f"{pid}-t")
    session.refresh(thread)
    assert thread.cost == pytest.approx(0.036)
    assert session.get(Participant, alice).cost == pytest.approx(0.036)
    f = DashboardFilter(D0, D2)
    assert dash.cost(session, actor, f).per_day == [pytest.approx(0.003), pytest.approx(0.033), 0]
    # Editing the dated rule's price re-prices s2; deleting the base rule unprices s1 and s3.
    _run(session, actor, mc.update_cost_rule(session, actor, dated.rule.id, pattern="acme-1", input_per_million=0,
                                      output_per_million=5, valid_from=dated.rule.valid_from,
                                      valid_to=dated.rule.valid_to))
    _run(session, actor, mc.delete_cost_rule(session, actor, base.rule.id))
    assert _costs(session, pid) == {"s1": None, "s2": pytest.approx(0.005), "s3": None}
    session.refresh(thread)
    assert thread.cost == pytest.approx(0.005)
    assert dash.cost(session, actor, f).total == pytest.approx(0.005)
    assert [r.status for r in repricing.recent_repricings(session, actor)] == ["done"] * 4


def test_restore_defaults_brings_back_deleted_rules(session):
    actor = make_actor(session, "ADMIN")
    first = mc.list_cost_rules(session, actor)[0]
    mc.delete_cost_rule(session, actor, first.id)
    assert len(mc.list_cost_rules(session, actor)) == len(DEFAULT_COSTS) - 1
    change = mc.restore_default_rules(session, actor)
    assert len(mc.list_cost_rules(session, actor)) == len(DEFAULT_COSTS)
    assert session.exec(select(ModelCost).where(ModelCost.project_id == actor.project_id,
                                                ModelCost.pattern == first.pattern)).first()
    assert change.repricing_id
