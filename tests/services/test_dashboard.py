"""Dashboard cards against hand-computed figures on the small data set of ``dash_data``, on both
databases, through the rollup path and the raw path, before and after compaction and edits."""

import pytest
from sqlmodel import select

from literal_app.models.tracing import Step
from literal_app.services import dashboard as dash
from literal_app.services.dashboard import DashboardFilter
from tests.factories import make_actor
from tests.services.dash_data import D0, D2, seed_small

F = DashboardFilter(D0, D2)
COST_D0, COST_D1 = 0.0035, 0.0006 + 0.00175 + 0.000021


@pytest.fixture
def data(session):
    actor = make_actor(session, "ADMIN")
    ids = seed_small(session, actor.project_id)
    return actor, ids


def test_volume_counts_per_day(session, data):
    actor, _ = data
    v = dash.volume(session, actor, F)
    assert v.days == ["2026-01-10", "2026-01-11", "2026-01-12"]
    assert v.threads == [1, 2, 0]
    assert v.runs == [1, 2, 0]
    assert v.generations == [1, 3, 0]
    assert v.input_tokens == [1000, 2600, 0]
    assert v.output_tokens == [100, 560, 0]
    assert v.feedback == [1, 1, 0]
    assert v.totals["runs"] == 3 and v.totals["generations"] == 4


def test_distributions_and_users(session, data):
    actor, ids = data
    assert [(t.name, t.count) for t in dash.tool_calls(session, actor, F)] == [("search", 2), ("calc", 1)]
    pv = dash.prompt_versions(session, actor, F)
    assert [(p.name, p.count, p.ref) for p in pv] == [("support v0", 2, ids["v0"])]
    assert pv[0].cost == pytest.approx(0.0041)
    runs = dash.runs_by_name(session, actor, F)
    assert runs.series == {"answer": [1, 1, 0], "summarize": [0, 1, 0]}
    users = dash.active_users(session, actor, F)
    assert [(u.name, u.count) for u in users] == [("alice", 2), ("bob", 1)]
    by_cost = dash.costly_users(session, actor, F)
    assert [u.name for u in by_cost] == ["alice", "bob"]
    assert by_cost[0].cost == pytest.approx(0.003521) and by_cost[1].cost == pytest.approx(0.00235)


def test_latency_percentiles(session, data):
    actor, _ = data
    lat = dash.latency(session, actor, F)
    assert lat.generations == 4
    # D1 durations [2, 3, 5]: p50 = 3, p95 = 3 + 0.9 * (5 - 3); D0 has a single value.
    assert lat.p50["duration"] == [pytest.approx(1.0), pytest.approx(3.0), None]
    assert lat.p95["duration"] == [pytest.approx(1.0), pytest.approx(4.8), None]
    assert lat.p50["ttft"][1] == pytest.approx(300) and lat.p95["ttft"][1] == pytest.approx(480)
    assert lat.p50["throughput"][1] == pytest.approx(30) and lat.p95["throughput"][1] == pytest.approx(39)
    again = dash.latency(session, actor, F)  # served from the cache: same figures
    assert again == lat
    slow = dash.slowest_runs(session, actor, F)
    assert [(r.name, r.duration) for r in slow] == [("answer", 4.0), ("answer", 2.0), ("summarize", 1.0)]


def test_cost_totals_models_and_change_badge(session, data):
    actor, ids = data
    c = dash.cost(session, actor, F)
    assert c.per_day == [pytest.approx(COST_D0), pytest.approx(COST_D1), 0.0]
    assert c.total == pytest.approx(COST_D0 + COST_D1)
    # previous period of the same length (3 days before D0) holds g0: 0.002 USD
    assert c.previous_total == pytest.approx(0.002)
    assert c.change_pct == pytest.approx((0.005871 - 0.002) / 0.002 * 100)
    assert [(m.name, m.count) for m in c.per_model] == [("gpt-4o", 2), ("gpt-4o-mini", 2)]
    assert c.per_model[0].cost == pytest.approx(0.00525)
    threads = dash.costly_threads(session, actor, F)
    assert [t.id for t in threads] == [ids["prefix"] + "t1", ids["prefix"] + "t2", ids["prefix"] + "t3"]
    assert dash.change_pct(5, 0) is None and dash.change_pct(5, 10) == -50


def test_scores_card(session, data):
    actor, _ = data
    s = dash.scores(session, actor, F)
    by = {(x.name, x.type): x for x in s.series}
    fb, rel = by[("feedback", "HUMAN")], by[("relevance", "AI")]
    assert fb.count == 2 and fb.average == pytest.approx(0.5)
    assert fb.daily_average == [1.0, 0.0, None] and fb.daily_count == [1, 1, 0]
    assert fb.buckets == ["bad", "good"] and fb.bucket_counts == [1, 1]
    assert rel.average == pytest.approx(0.6) and rel.daily_average[1] == pytest.approx(0.6)
    assert [r.name for r in dash.recent_runs(session, actor, F)] == ["summarize", "answer", "answer"]
    assert [r.name for r in dash.recent_scores(session, actor, F)][:2] == ["relevance", "relevance"]


def test_the_default_environment_filter_keeps_every_other_score(session, data):
    """The page's default, every environment but ``evaluation``, counts the same scores as no filter
    when no scored step is a judge call (the score cards read each score's copy of its step's
    environment: ``!name`` must mean "not name" there too, not "equal to '!name'")."""
    actor, _ = data
    def counts(f):
        return sorted((x.name, x.type, x.count) for x in dash.scores(session, actor, f).series)
    everything = counts(F)
    assert everything and counts(DashboardFilter(D0, D2, environment="!evaluation")) == everything
    board = dash.load_dashboard(session, actor, DashboardFilter(D0, D2, environment="!evaluation"))
    assert sorted((x.name, x.type, x.count) for x in board.scores.series) == everything
    assert len(dash.recent_scores(session, actor, DashboardFilter(D0, D2, environment="!evaluation"))) == \
        len(dash.recent_scores(session, actor, F))


@pytest.mark.parametrize("flt,runs,gens,cost", [
    (dict(environment="staging"), 1, 1, 0.000021),
    (dict(environment="!staging"), 2, 3, COST_D0 + COST_D1 - 0.000021),  # all but one (the default: !evaluation)
    (dict(environment="!staging", tags=("vip",)), 1, 1, 0.0035),  # the same on the raw path
    (dict(model="gpt-4o"), 3, 2, 0.00525),
    (dict(run_name="summarize"), 1, 1, 0.000021),  # raw path: run and the steps inside it
    (dict(tags=("vip",)), 1, 1, 0.0035),  # raw path: steps of tagged threads
])
def test_filters(session, data, flt, runs, gens, cost):
    actor, _ = data
    f = DashboardFilter(D0, D2, **flt)
    v = dash.volume(session, actor, f)
    assert (v.totals["runs"], v.totals["generations"]) == (runs, gens)
    assert dash.cost(session, actor, f).total == pytest.approx(cost)
    board = dash.load_dashboard(session, actor, f)  # every card accepts every filter
    assert board.cost.total == pytest.approx(cost) and len(board.recent_runs) == runs


def test_raw_path_equals_rollup_path(session, data):
    """The raw projection and the rollups give the same figures (a tag nobody has = no figures)."""
    actor, _ = data
    fast = dash.load_dashboard(session, actor, F)
    assert fast.volume.totals["threads"] == 3 and set(fast.timings_ms) >= {"volume", "latency", "cost"}
    assert dash.volume(session, actor, DashboardFilter(D0, D2, tags=("nobody",))).totals["runs"] == 0


def test_rollups_stay_exact_through_edits_and_compaction(session, data):
    actor, ids = data
    p = ids["prefix"]
    before = dash.latency(session, actor, F)
    dash.compact_rollups(session, actor)
    assert dash.volume(session, actor, F).generations == [1, 3, 0]
    g2 = session.get(Step, p + "g2")
    g2.duration, g2.cost = 10.0, 0.01
    session.add(g2)
    session.delete(session.get(Step, p + "g4"))
    session.flush()
    v = dash.volume(session, actor, F)
    assert v.generations == [1, 2, 0] and v.input_tokens == [1000, 2500, 0]
    assert dash.cost(session, actor, F).per_day[1] == pytest.approx(0.01 + 0.00175)
    after = dash.latency(session, actor, F)  # cache invalidated by the edit: D1 is [2, 10]
    assert after.p50["duration"][1] == pytest.approx(6.0) and after != before
    dash.compact_rollups(session, actor)
    assert dash.volume(session, actor, F) == v


def test_filter_options_and_empty_state(session, data):
    actor, _ = data
    opts = dash.filter_options(session, actor)
    assert opts.environments == ["prod", "staging"]
    assert opts.models == ["gpt-4o", "gpt-4o-mini"]
    assert opts.run_names == ["answer", "summarize"]
    assert dash.has_data(session, actor)
    assert not dash.has_data(session, make_actor(session, "ADMIN"))


def test_bad_ranges_are_rejected(session, data):
    actor, _ = data
    from literal_app.services.kernel.errors import Invalid
    with pytest.raises(Invalid):
        dash.load_dashboard(session, actor, DashboardFilter(D2, D0))
    assert session.exec(select(Step.id)).first()


def _rounded(value):
    """Dataclasses as nested dicts with floats rounded (sums may differ in the last bits)."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items() if k != "timings_ms"}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


@pytest.mark.parametrize("flt", [
    dict(), dict(environment="prod"), dict(model="gpt-4o"), dict(run_name="answer"), dict(tags=("vip",)),
    dict(tags=("urgent",)), dict(tags=("vip", "urgent")), dict(start=D0, end=D0),
])
def test_whole_dashboard_equals_cards_computed_one_by_one(session, data, flt):
    """``load_dashboard`` shares the steps and scores a filter matches between its cards
    (temporary tables); every card must give what it gives on its own, on both databases."""
    from dataclasses import asdict

    actor, ids = data
    step = session.get(Step, ids["prefix"] + "r2")  # a run of an untagged thread, in the range
    step.tags = ["urgent"]  # a step-level tag, on a step of an untagged thread
    session.add(step)
    session.flush()
    f = DashboardFilter(**{"start": D0, "end": D2, **flt})
    board = dash.load_dashboard(session, actor, f)
    one_by_one = dict(
        volume=dash.volume(session, actor, f), runs_by_name=dash.runs_by_name(session, actor, f),
        tool_calls=dash.tool_calls(session, actor, f), prompt_versions=dash.prompt_versions(session, actor, f),
        active_users=dash.active_users(session, actor, f), latency=dash.latency(session, actor, f),
        slowest_runs=dash.slowest_runs(session, actor, f), cost=dash.cost(session, actor, f),
        costly_threads=dash.costly_threads(session, actor, f), costly_users=dash.costly_users(session, actor, f),
        scores=dash.scores(session, actor, f), recent_runs=dash.recent_runs(session, actor, f),
        recent_scores=dash.recent_scores(session, actor, f))
    for name, card in one_by_one.items():
        assert _rounded(asdict(board)[name]) == _rounded(asdict(card) if not isinstance(card, list)
                                                         else [asdict(c) for c in card]), name
    if flt.get("tags") == ("urgent",):
        assert [r.id for r in board.recent_runs] == [step.id]  # the step's own tag counts
