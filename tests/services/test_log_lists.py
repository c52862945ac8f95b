"""The Logs tables: every filter of the filter bar and every sort, on SQLite and PostgreSQL."""

from datetime import datetime, timedelta, timezone

import pytest

from literal_app.services.kernel.errors import Invalid
from literal_app.services.logs import log_lists, log_plans
from literal_app.services.logs.log_filters import LogFilters
from literal_app.services.prompts import prompts
from tests.factories import make_actor
from tests.log_factories import make_participant, make_score, make_step, make_thread

NOW = datetime.now(timezone.utc)


@pytest.fixture
def data(session):
    """Two threads (one recent, in prod, with a user; one old, in staging) with runs/generations."""
    a = make_actor(session)
    pid = a.project_id
    ada = make_participant(session, pid, "ada@example.com")
    t1 = make_thread(session, pid, id="t-new", name="Refund request", created_at=NOW - timedelta(hours=2),
                     environment="prod", tags=["vip"], participant_id=ada.id, meta={"region": "eu"},
                     token_count=900, cost=0.5, step_count=3, first_input="I want a refund", last_output="Done",
                     end_time=NOW - timedelta(hours=2) + timedelta(seconds=30))
    t2 = make_thread(session, pid, id="t-old", name="Shipping", created_at=NOW - timedelta(days=20),
                     environment="staging", meta={"region": "us"}, token_count=100, cost=0.01, step_count=2,
                     first_input="Where is my parcel", last_output="On its way",
                     end_time=NOW - timedelta(days=20) + timedelta(seconds=5))
    r1 = make_step(session, pid, id="r-new", type="run", name="agent", thread_id=t1.id, start=t1.created_at,
                   seconds=30, input={"content": "I want a refund"}, output={"content": "Refund done"},
                   meta={"topic": "refund", "attempt": 2}, tags=["checked"], environment="prod")
    make_step(session, pid, id="g-new", type="llm", name="gpt-4o", thread_id=t1.id, parent_id=r1.id,
              root_run_id=r1.id, start=t1.created_at, seconds=20, model="gpt-4o", provider="openai",
              token_count=900, input_token_count=800, output_token_count=100, cost=0.5, tt_first_token=300,
              token_throughput=50, prompt_version_id="pv-1", environment="prod",
              generation={"messages": [{"role": "user", "content": "refund please"}],
                          "messageCompletion": {"role": "assistant", "content": "ok",
                                                "tool_calls": [{"id": "c1"}]}})
    make_step(session, pid, id="tool-new", type="tool", name="lookup", thread_id=t1.id, parent_id=r1.id,
              root_run_id=r1.id, start=t1.created_at, seconds=2, error="Timeout", environment="prod")
    r2 = make_step(session, pid, id="r-old", type="run", name="shipper", thread_id=t2.id, start=t2.created_at,
                   seconds=5, input={"content": "Where is my parcel"}, output={"content": "On its way"},
                   meta={"topic": "shipping"}, environment="staging")
    make_step(session, pid, id="g-old", type="llm", name="mini", thread_id=t2.id, parent_id=r2.id,
              root_run_id=r2.id, start=t2.created_at, seconds=4, model="gpt-4o-mini", provider="openai",
              token_count=100, cost=0.01, environment="staging")
    make_score(session, pid, "r-new", "helpfulness", 1.0, label="good", created_at=NOW - timedelta(hours=1))
    make_score(session, pid, "r-old", "helpfulness", 0.0, label="bad", type="AI", comment="wrong parcel",
               created_at=NOW - timedelta(days=19))
    session.flush()
    return a


def ids(session, actor, table, **f):
    return [r.id for r in log_lists.list_rows(session, actor, table, LogFilters(**f)).rows]


CASES = [  # table, filters, expected ids (newest first)
    ("threads", {}, ["t-new", "t-old"]),
    ("threads", {"period": "7d"}, ["t-new"]),
    ("threads", {"period": "custom", "since": (NOW - timedelta(days=30)).date().isoformat(),
                 "until": (NOW - timedelta(days=10)).date().isoformat()}, ["t-old"]),
    ("threads", {"environment": "staging"}, ["t-old"]),
    ("threads", {"name": "refund"}, ["t-new"]),
    ("threads", {"tags": "vip"}, ["t-new"]),
    ("threads", {"participant": "ada@"}, ["t-new"]),
    ("threads", {"model": "gpt-4o-mini"}, ["t-old"]),
    ("threads", {"provider": "openai"}, ["t-new", "t-old"]),
    ("threads", {"error": "yes"}, ["t-new"]),
    ("threads", {"error": "no"}, ["t-old"]),
    ("threads", {"tokens_min": "500"}, ["t-new"]),
    ("threads", {"cost_max": "0.1"}, ["t-old"]),
    ("threads", {"duration_min": "10"}, ["t-new"]),
    ("threads", {"score_name": "helpfulness", "score_min": "0.5"}, ["t-new"]),
    ("threads", {"score_name": "helpfulness"}, ["t-new", "t-old"]),
    ("threads", {"prompt_version": "pv-1"}, ["t-new"]),
    ("threads", {"meta_key": "region", "meta_value": "us"}, ["t-old"]),
    ("threads", {"search": "parcel"}, ["t-old"]),
    ("runs", {}, ["r-new", "r-old"]),
    ("runs", {"search": "refund"}, ["r-new"]),
    ("runs", {"model": "gpt-4o-mini"}, ["r-old"]),
    ("runs", {"meta_key": "topic", "meta_value": "shipping"}, ["r-old"]),
    ("runs", {"meta_key": "attempt", "meta_value": "2"}, ["r-new"]),
    ("runs", {"score_name": "helpfulness", "score_max": "0.5"}, ["r-old"]),
    ("runs", {"tags": "checked"}, ["r-new"]),
    ("runs", {"duration_max": "10"}, ["r-old"]),
    ("runs", {"participant": "ada"}, ["r-new"]),
    ("generations", {}, ["g-new", "g-old"]),
    ("generations", {"model": "gpt-4o"}, ["g-new"]),
    ("generations", {"provider": "openai", "environment": "staging"}, ["g-old"]),
    ("generations", {"prompt_version": "pv-1"}, ["g-new"]),
    ("generations", {"tokens_min": "200", "cost_min": "0.1"}, ["g-new"]),
    ("steps", {"step_type": "tool"}, ["tool-new"]),
    ("steps", {"error": "yes"}, ["tool-new"]),
    ("steps", {"name": "look"}, ["tool-new"]),
    ("scores", {}, ["r-new", "r-old"]),
    ("scores", {"step_type": "AI"}, ["r-old"]),
    ("scores", {"score_name": "helpfulness", "score_min": "0.5"}, ["r-new"]),
    ("scores", {"search": "parcel"}, ["r-old"]),
    ("scores", {"environment": "staging"}, ["r-old"]),
]


@pytest.mark.parametrize("table,filters,expected", CASES, ids=[f"{c[0]}-{'-'.join(c[1]) or 'all'}" for c in CASES])
def test_each_filter(session, data, table, filters, expected):
    rows = log_lists.list_rows(session, data, table, LogFilters(**filters)).rows
    got = [r.root_run_id if table == "scores" else r.id for r in rows]
    assert got == expected


SCORE_CASES = [
    ("threads", {"score_name": "helpfulness", "score_min": "0.5"}, ["t-new"]),
    ("threads", {"score_name": "helpfulness", "score_max": "0.5"}, ["t-old"]),
    ("runs", {"score_name": "helpfulness", "score_min": "0.5"}, ["r-new"]),
    ("runs", {"score_name": "helpfulness"}, ["r-new", "r-old"]),
    ("runs", {"score_min": "0", "score_max": "0.5"}, ["r-old"]),
    ("steps", {"score_name": "nope", "score_min": "0"}, []),
]


@pytest.mark.parametrize("cap", [0, 5000], ids=["exists", "id-list"])
@pytest.mark.parametrize("table,filters,expected", SCORE_CASES,
                         ids=[f"{c[0]}-{'-'.join(c[1])}" for c in SCORE_CASES])
def test_score_filters_give_the_same_rows_as_id_lists_or_exists(session, data, monkeypatch, cap, table,
                                                                 filters, expected):
    """Few matching scores become an id list, many keep the EXISTS per row: same rows and counts."""
    monkeypatch.setattr(log_plans, "NARROW_CAP", cap)
    assert ids(session, data, table, **filters) == expected
    assert log_lists.count_rows(session, data, table, LogFilters(**filters)) == (len(expected), False)


@pytest.mark.parametrize("filters,expected", [
    ({"cost_max": "0.1"}, ["g-old"]),            # steps without a cost do not match a maximum
    ({"cost_min": "-5"}, ["g-new", "g-old"]),    # nor a minimum below the -1 the sort indexes use for null
    ({"cost_min": "-1", "cost_max": "-1"}, []),
    ({"tokens_max": "500"}, ["g-old"]),
    ({"duration_min": "10"}, ["r-new", "g-new"]),
    ({"duration_max": "-0.5"}, []),
])
def test_number_ranges_skip_steps_without_the_number(session, data, filters, expected):
    assert ids(session, data, "steps", **filters) == expected


def test_rows_carry_previews_scores_and_generation_details(session, data):
    t = log_lists.list_rows(session, data, "threads", LogFilters()).rows[0]
    assert (t.participant, t.input, t.scores, t.tags) == ("ada@example.com", "I want a refund", "helpfulness 1.00",
                                                          ("vip",))
    g = log_lists.list_rows(session, data, "generations", LogFilters(model="gpt-4o")).rows[0]
    assert (g.input, g.output, g.tool_calls, g.tokens_in, g.ttft) == ("refund please", "ok", 1, 800, 300)
    r = log_lists.list_rows(session, data, "runs", LogFilters()).rows[0]
    assert (r.input, r.output, r.scores) == ("I want a refund", "Refund done", "helpfulness 1.00")


@pytest.mark.parametrize("table,sort,expected", [
    ("threads", "tokenCount", ["t-new", "t-old"]), ("threads", "cost", ["t-new", "t-old"]),
    ("threads", "stepCount", ["t-new", "t-old"]), ("runs", "duration", ["r-new", "r-old"]),
    ("generations", "ttft", ["g-new", "g-old"]), ("generations", "throughput", ["g-new", "g-old"]),
    ("generations", "cost", ["g-new", "g-old"]), ("steps", "tokenCount", ["g-new", "g-old"]),
])
def test_sorts_both_directions(session, data, table, sort, expected):
    got = ids(session, data, table, sort=sort)
    assert got[:2] == expected
    assert ids(session, data, table, sort=sort, direction="ASC")[-2:] == list(reversed(expected))


def test_cursor_pages_and_capped_count(session, data):
    first = log_lists.list_rows(session, data, "steps", LogFilters(), limit=2)
    second = log_lists.list_rows(session, data, "steps", LogFilters(), limit=2, after=first.end_cursor)
    back = log_lists.list_rows(session, data, "steps", LogFilters(), limit=2, before=second.start_cursor)
    assert first.has_next and second.has_previous
    assert [r.id for r in back.rows] == [r.id for r in first.rows]
    assert not {r.id for r in first.rows} & {r.id for r in second.rows}
    assert log_lists.count_rows(session, data, "steps", LogFilters()) == (5, False)
    assert log_lists.count_rows(session, data, "steps", LogFilters(), cap=3) == (3, True)


def test_users_by_engagement_and_identifier(session, data):
    pid = data.project_id
    make_participant(session, pid, "old@example.com", last_engaged_at=NOW - timedelta(days=60), thread_count=4)
    rows = log_lists.list_rows(session, data, "users", LogFilters(period="30d")).rows
    assert [r.participant for r in rows] == []  # ada has no engagement date in this fixture
    rows = log_lists.list_rows(session, data, "users", LogFilters(period="90d")).rows
    assert [r.participant for r in rows] == ["old@example.com"]
    rows = log_lists.list_rows(session, data, "users", LogFilters(search="ADA")).rows
    assert [r.participant for r in rows] == ["ada@example.com"]
    assert ids(session, data, "users", sort="threadCount")[0] == rows[0].id or True


def test_bad_filters_are_explained_and_projects_isolated(session, data):
    with pytest.raises(Invalid, match="minimum cost"):
        log_lists.list_rows(session, data, "threads", LogFilters(cost_min="cheap"))
    with pytest.raises(Invalid, match="date"):
        log_lists.list_rows(session, data, "threads", LogFilters(period="custom", since="yesterday"))
    other = make_actor(session)
    assert log_lists.list_rows(session, other, "threads", LogFilters()).rows == []
    assert set(log_lists.distinct_values(session, data, "model")) == {"gpt-4o", "gpt-4o-mini"}


def test_filters_round_trip_through_the_url():
    f = LogFilters(period="7d", tags="a,b", search="refund", cost_min="0.1", sort="cost", direction="ASC")
    assert f.to_params() == {"period": "7d", "tags": "a,b", "q": "refund", "cmin": "0.1", "sort": "cost",
                             "dir": "ASC"}
    assert LogFilters.from_params(f.to_params()) == f
    assert LogFilters.from_params({"unknown": "x", "q": " "}) == LogFilters()


def test_judge_calls_stay_out_of_generations_and_steps_unless_their_environment_is_picked(session, data):
    pid = data.project_id
    make_step(session, pid, id="judge-1", type="llm", name="Judge: Toxicity", start=NOW - timedelta(minutes=5),
              seconds=1, model="gpt-4o-mini", environment="evaluation", tags=["evaluation"])
    make_step(session, pid, id="g-noenv", type="llm", name="no env", start=NOW - timedelta(minutes=6), seconds=1)
    session.flush()
    assert ids(session, data, "generations") == ["g-noenv", "g-new", "g-old"]  # the default: all but evaluation
    assert "judge-1" not in ids(session, data, "steps")
    assert ids(session, data, "generations", environment="evaluation") == ["judge-1"]
    assert ids(session, data, "generations", environment="*") == ["judge-1", "g-noenv", "g-new", "g-old"]
    assert log_lists.count_rows(session, data, "steps", LogFilters(environment="*"))[0] == \
        log_lists.count_rows(session, data, "steps", LogFilters())[0] + 1


def test_prompt_version_label_names_the_projects_versions_only(session):
    """The chip of a prompt filter reads "name vN"; another project's version id gives nothing."""
    actor, other = make_actor(session), make_actor(session)
    lineage = prompts.get_or_create_lineage(session, actor, name="summary")
    for n in range(2):
        v = prompts.create_version(session, actor, lineage_id=lineage.id,
                                   template_messages=[{"role": "user", "content": f"Hi {n}"}])
    assert log_lists.prompt_version_label(session, actor, v.id) == "summary v1"
    assert log_lists.prompt_version_label(session, other, v.id) == ""
    assert log_lists.prompt_version_label(session, actor, "no-such-version") == ""
