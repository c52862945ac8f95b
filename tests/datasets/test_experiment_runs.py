"""Server-run experiments in embedded mode (the in-process job runner) on SQLite and PostgreSQL,
against the fake OpenAI server: mapping checked before start, every item answered, scored and
logged as a generation linked to the experiment, 429/5xx retried with backoff, hard errors shown
per item, cancel, re-run, the attempt fence, the paired comparison and the CI gate (CLI + API)."""

import json
from datetime import timedelta
import subprocess
import sys

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from literal_app.models.types import utcnow

from literal_app.models.datasets import ExperimentItem
from literal_app.models.tracing import Step
from literal_app.services.datasets import (comparison, experiment_runs, experiment_views, experiment_work,
                                           experiments)
from literal_app.services.evaluation import scorers
from literal_app.services.kernel.errors import Invalid
from tests.datasets import support
from tests.fake_llm import start_fake_llm
from literal_app import db
from literal_app.jobs import experiments as experiment_jobs


@pytest.fixture(scope="module")
def fake():
    server = start_fake_llm()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def app_db(request, monkeypatch):
    url = request.getfixturevalue("pg_database_url" if request.param == "postgresql" else "sqlite_database_url")
    support.point_app_at(monkeypatch, url)
    monkeypatch.setattr(experiment_jobs, "BACKOFF", (0.05, 0.05, 0.05))
    yield db.get_engine()
    support.reset_app_db()


def test_mapping_is_checked_before_anything_runs(app_db, fake):
    with Session(app_db) as s:
        actor, cred, ds = support.seed(s, fake, ["a"])
        with pytest.raises(Invalid, match="Map the variable"):
            experiment_runs.start_experiment(s, actor, ds, support.spec(cred, mapping={}))
        with pytest.raises(Invalid, match="no input key 'nope'"):
            experiment_runs.start_experiment(s, actor, ds, support.spec(cred, mapping={"question": "nope"}))
        with pytest.raises(Invalid, match="Unknown scorer"):
            experiment_runs.start_experiment(s, actor, ds, support.spec(cred, scorers=("bogus",)))
        with pytest.raises(Invalid, match="no chat messages"):
            experiment_runs.start_experiment(s, actor, ds, support.spec(cred, messages=None))
        with pytest.raises(Invalid, match="Concurrency"):
            experiment_runs.start_experiment(s, actor, ds, support.spec(cred, concurrency=0))
        assert experiments.list_experiments(s, actor) == []


def test_an_experiment_runs_every_item_once_and_logs_generations(app_db, fake):
    questions = [f"question {i}" for i in range(12)]
    with Session(app_db) as s:
        actor, cred, ds = support.seed(s, fake, questions, expected={"question 3": "something else"})
        echo = scorers.create_scorer(s, actor, scorers.ScorerInput(  # a project scorer (issue 16)
            name="Starts with Echo", kind="code", config={"metric": "regex", "params": {"pattern": "^Echo"}}))
        exp = experiment_runs.start_experiment(s, actor, ds, support.spec(
            cred, concurrency=4, scorers=("exact_match", "similarity", echo.id)))
        s.commit()
    progress = support.wait_until_ended(app_db, actor, exp.id)
    assert (progress.status, progress.total, progress.done, progress.failed, progress.remaining) == (
        "completed", 12, 12, 0, 0)
    with Session(app_db) as s:
        detail = experiment_views.get_detail(s, actor, exp.id)
        assert [i.output["content"] for i in detail.items] == [f"Echo: {q}" for q in questions]
        exact = detail.aggregates["Exact match"]
        assert (exact.count, round(exact.mean, 4)) == (12, round(11 / 12, 4))
        assert exact.low < exact.mean < exact.high
        assert detail.items[3].scores[0].reason == "The output differs from the expected text."
        steps = s.exec(select(Step).where(Step.project_id == actor.project_id)).all()
        assert len(steps) == 12 and {st.meta["experimentId"] for st in steps} == {exp.id}
        assert {i.step_id for i in detail.items} == {st.id for st in steps}
        assert all(st.generation["messageCompletion"]["content"].startswith("Echo:") for st in steps)
        assert detail.summary.averages["Exact match"] == pytest.approx(11 / 12)
        assert detail.aggregates["Starts with Echo"].mean == 1.0
        assert detail.items[0].scores[2].reason == "The pattern matches the output."
        summaries = experiment_views.list_summaries(s, actor, dataset_id=ds)
        assert [(x.name, x.items, x.failures, x.source) for x in summaries] == [("run", 12, 0, "server")]


def test_retries_on_429_and_hard_failures_are_shown(app_db, fake):
    with Session(app_db) as s:
        actor, cred, ds = support.seed(s, fake, ["one", "two"])
        flaky = experiment_runs.start_experiment(s, actor, ds, support.spec(cred, model="fakeflaky-fail429x4",
                                                                            name="flaky", concurrency=1))
        broken = experiment_runs.start_experiment(s, actor, ds, support.spec(cred, model="fake-error400",
                                                                             name="broken"))
        s.commit()
    p = support.wait_until_ended(app_db, actor, flaky.id)
    assert (p.done, p.failed) == (2, 0)  # 4 failures: 3 inside the first call, 1 more on the item's retry
    p = support.wait_until_ended(app_db, actor, broken.id)
    assert (p.status, p.done, p.failed) == ("completed", 0, 2)
    with Session(app_db) as s:
        items = experiment_views.item_results(s, actor, broken.id)
        assert "answered 400" in items[0].error
        assert all(i.status == "done" for i in experiment_views.item_results(s, actor, flaky.id))


def test_cancel_stops_pending_items_and_rerun_repeats_the_parameters(app_db, fake):
    with Session(app_db) as s:
        actor, cred, ds = support.seed(s, fake, [f"q{i}" for i in range(20)])
        slow = experiment_runs.start_experiment(s, actor, ds, support.spec(cred, model="fake-ttft300", concurrency=1))
        s.commit()
        assert experiment_runs.cancel_experiment(s, actor, slow.id) >= 18
        s.commit()
    p = support.wait_until_ended(app_db, actor, slow.id)
    assert p.status == "cancelled" and p.done <= 2 and p.cancelled >= 18
    with Session(app_db) as s:
        again = experiment_runs.rerun_experiment(s, actor, slow.id)
        s.commit()
        assert again.name.endswith("(re-run)") and again.params == experiments.get_experiment(s, actor, slow.id).params
        with pytest.raises(Invalid, match="queued or running"):
            experiment_runs.cancel_experiment(s, actor, slow.id)
        experiment_runs.cancel_experiment(s, actor, again.id)  # leave nothing running for the next test
        s.commit()
    support.wait_until_ended(app_db, actor, again.id)


def test_a_stale_worker_cannot_finish_an_item_twice(app_db, fake):
    """The watchdog hands an item whose lease ran out to another worker; the first worker's late
    answer is then refused, so the item ends exactly once."""
    with Session(app_db) as s:
        actor, cred, ds = support.seed(s, fake, ["only"])
        exp = experiment_runs.start_experiment(s, actor, ds, support.spec(cred, lease_seconds=60))
        s.info.clear()  # drop the scheduled jobs: this test drives the item by hand
        s.commit()
        item_id = s.exec(select(ExperimentItem.id).where(ExperimentItem.experiment_id == exp.id)).one()
    with Session(app_db) as s:
        first = experiment_work.claim(s, item_id)
        s.commit()
        assert experiment_work.claim(s, item_id) is None  # a duplicate job does nothing
    with Session(app_db) as s:  # the first worker dies: its lease runs out
        s.exec(update(ExperimentItem).where(ExperimentItem.id == item_id).values(lease_until=utcnow() - timedelta(seconds=1)))
        s.commit()
        experiment_work.recover(s, exp.id)  # lease expired: back to queued under a new lease
        s.info.clear()
        s.commit()
        second = experiment_work.claim(s, item_id)
        s.commit()
    assert second.attempt == first.attempt + 1
    with Session(app_db) as s:
        assert not experiment_work.finish(s, first, output={"content": "late"}, step_id=None, latency_ms=1,
                                          cost=None, scores=[{"name": "x", "value": 1}])
        assert experiment_work.finish(s, second, output={"content": "ok"}, step_id=None, latency_ms=1, cost=None,
                                      scores=[{"name": "x", "value": 1}])
        s.commit()
        items = experiment_views.item_results(s, actor, exp.id)
        assert [(i.status, i.output, len(i.scores)) for i in items] == [("done", {"content": "ok"}, 1)]
        assert experiment_runs.get_progress(s, actor, exp.id).status == "completed"


def _statuses(s, experiment_id: str) -> list[str]:
    return list(s.exec(select(ExperimentItem.status).where(ExperimentItem.experiment_id == experiment_id)
                       .order_by(ExperimentItem.position)).all())


def test_an_answered_item_hands_its_slot_on_and_a_dead_recorder_is_rerun_once(app_db, fake):
    """Concurrency 2 over 4 items: an item whose model answered moves to ``recording`` and the next
    pending item takes its slot (never more than 2 model calls at once); a worker that dies while
    recording leaves the item to the watchdog, which puts it back first in line for the next free
    slot (not beyond 2), and the late recorder writes nothing."""
    with Session(app_db) as s:
        actor, cred, ds = support.seed(s, fake, ["a", "b", "c", "d"])
        exp = experiment_runs.start_experiment(s, actor, ds, support.spec(cred, concurrency=2, lease_seconds=60))
        s.info.clear()  # drop the scheduled jobs: this test drives the items by hand
        s.commit()
        ids = list(s.exec(select(ExperimentItem.id).where(ExperimentItem.experiment_id == exp.id)
                          .order_by(ExperimentItem.position)).all())
    with Session(app_db) as s:
        first = experiment_work.claim(s, ids[0])
        s.commit()
        assert _statuses(s, exp.id) == ["running", "queued", "pending", "pending"]
        assert experiment_work.hand_over(s, first)
        s.info.clear()
        s.commit()
        assert _statuses(s, exp.id) == ["recording", "queued", "queued", "pending"]
        assert not experiment_work.hand_over(s, first)  # once per claim
        s.rollback()
    with Session(app_db) as s:  # the recorder dies: its lease runs out, the watchdog takes it back
        s.exec(update(ExperimentItem).where(ExperimentItem.id == ids[0]).values(lease_until=utcnow() - timedelta(seconds=1)))
        s.commit()
        experiment_work.recover(s, exp.id)
        s.info.clear()
        s.commit()
        assert _statuses(s, exp.id) == ["pending", "queued", "queued", "pending"]  # it waits for a slot
        second = experiment_work.claim(s, ids[1])
        s.commit()
        assert experiment_work.hand_over(s, second)
        s.info.clear()
        s.commit()
        assert _statuses(s, exp.id) == ["queued", "recording", "queued", "pending"]  # first in line again
        again = experiment_work.claim(s, ids[0])
        s.commit()
        assert again.attempt == first.attempt + 1
        assert not experiment_work.finish(s, first, output={"content": "late"}, step_id=None, latency_ms=1,
                                          cost=None, scores=[])
        assert experiment_work.finish(s, again, output={"content": "ok"}, step_id=None, latency_ms=1, cost=None,
                                      scores=[{"name": "x", "value": 1}])
        s.info.clear()
        s.commit()
        assert _statuses(s, exp.id) == ["done", "recording", "queued", "queued"]  # 2 in the window
        assert experiment_runs.get_progress(s, actor, exp.id).running == 1


def test_comparison_gate_cli_and_api(app_db, fake, request):
    questions = [f"q{i}" for i in range(10)]
    with Session(app_db) as s:
        actor, cred, ds = support.seed(s, fake, questions)
        good = experiment_runs.start_experiment(s, actor, ds, support.spec(cred, name="good"))
        bad = experiment_runs.start_experiment(s, actor, ds, support.spec(
            cred, name="bad", messages=[{"role": "user", "content": "Say {{question}} differently"}]))
        s.commit()
    for e in (good, bad):
        support.wait_until_ended(app_db, actor, e.id)
    with Session(app_db) as s:
        result = comparison.compare(s, actor, good.id, bad.id)
        r = result.scores["Exact match"]
        assert (r.count, r.difference, r.verdict, result.worse["Exact match"]) == (10, -1.0, "worse", 10)
        assert not comparison.gate(result, "Exact match").passed
        assert comparison.gate(comparison.compare(s, actor, bad.id, good.id), "Exact match").passed
        assert comparison.gate(result, "Exact match", max_regression=1.5).passed
        with pytest.raises(Invalid, match="No score 'nope'"):
            comparison.gate(result, "nope")
    url = str(app_db.url.render_as_string(hide_password=False))
    env = {"DATABASE_URL": url, "LITERAL_SKIP_MIGRATIONS": "1", "PATH": "/usr/bin:/bin"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "literal_app.cli", "compare-experiments", *a],  # noqa: E731
                                    capture_output=True, text=True, env=env, timeout=120)
    worse = run(good.id, bad.id, "--score", "Exact match")
    assert worse.returncode == 1 and "FAIL" in worse.stderr and "worse" in worse.stdout, worse.stderr
    fine = run(bad.id, good.id, "--score", "Exact match", "--json")
    assert fine.returncode == 0 and json.loads(fine.stdout.split("\nPASS")[0])["gate"]["passed"]
    assert run(good.id, bad.id, "--score", "missing").returncode == 2
