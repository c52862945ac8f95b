"""The facet rollup (run-name and single-tag dashboard filters) and the scores' copy of their step's
dimensions stay what scanning the steps gives, through the official SDK over HTTP on both databases:
children sent before their run, a nested run, step and thread tags, a score sent before its step,
then a run renamed, a thread retagged, a step retagged, steps and a thread deleted; before and after
compaction. The dashboard under those filters then equals the raw path (steps looked up)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import asdict
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from literal_app.models.analytics import StepFacetRollup, StepFacetRollupDelta
from literal_app.models.tracing import Score, Step, Thread
from literal_app.services import dashboard as dash
from literal_app.services.dashboard import DashboardFilter
from literal_app.services.kernel.actor import Actor

MEASURES = ("steps", "errors", "input_tokens", "output_tokens", "cost", "duration")


def _expected_facets(step: Step, steps: dict[str, Step], threads: dict[str, Thread]) -> set[str]:
    """What the filters mean (``filters.step_conditions`` without facets), per step."""
    out = set()
    if step.type == "run" and step.name:
        out.add("r:" + step.name)
    root = steps.get(step.root_run_id or "")
    if root is not None and root.type == "run" and root.name:
        out.add("r:" + root.name)
    thread = threads.get(step.thread_id or "")
    for tags in (step.tags, thread.tags if thread else None):
        out.update("t:" + t for t in (tags or []) if isinstance(t, str))
    return out


def _check(engine, project_id: str) -> dict:
    """Assert facets and facet rollups equal a scan of the steps; return the scanned sums."""
    with Session(engine) as s:
        steps = {x.id: x for x in s.exec(select(Step).where(Step.project_id == project_id)).all()}
        threads = {t.id: t for t in s.exec(select(Thread).where(Thread.project_id == project_id)).all()}
        scanned: dict[tuple, list] = defaultdict(lambda: [0] * len(MEASURES))
        for st in steps.values():
            want = _expected_facets(st, steps, threads)
            assert set(st.facets or []) == want, (st.id, st.facets, want)
            for facet in want:
                key = (facet, st.created_at.date(), st.environment or "", st.type, st.name or "", st.model or "",
                       st.prompt_version_id or "")
                acc = scanned[key]
                for i, v in enumerate((1, 1 if st.error is not None else 0, st.input_token_count or 0,
                                       st.output_token_count or 0, st.cost or 0.0, st.duration or 0.0)):
                    acc[i] += v
        for sc in s.exec(select(Score).where(Score.project_id == project_id)).all():
            st = steps.get(sc.step_id or "")
            want = (st.environment, st.type, st.model, set(st.facets or [])) if st else (None, None, None, set())
            assert (sc.step_environment, sc.step_type, sc.step_model, set(sc.step_facets or [])) == want, sc.id
        folded: dict[tuple, list] = defaultdict(lambda: [0] * len(MEASURES))
        for table in (StepFacetRollup, StepFacetRollupDelta):
            for r in s.exec(select(table).where(table.project_id == project_id)).all():
                acc = folded[(r.facet, r.day, r.environment, r.type, r.name, r.model, r.prompt_version_id)]
                for i, m in enumerate(MEASURES):
                    acc[i] += getattr(r, m)
    rounded = lambda d: {k: [round(x, 9) for x in v] for k, v in d.items() if any(v)}  # noqa: E731
    assert rounded(folded) == rounded(scanned)
    return rounded(scanned)


def _rounded(value):
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


def _total(sums: dict, facet: str, type_: str) -> list:
    """Measures of ``facet`` and step type summed over days and the other dimensions."""
    rows = [v for k, v in sums.items() if k[0] == facet and k[3] == type_]
    return [sum(col) for col in zip(*rows)] if rows else [0] * len(MEASURES)


class _Raw(DashboardFilter):
    """A run-name or tag filter read the raw way: conditions on the steps (no facet rollup), each
    score's step looked up (not its copied dimensions)."""

    facet = None


def _boards_agree(engine, project_id: str, filters: list[DashboardFilter]) -> None:
    """Every card under a run-name or tag filter is the same through the facet rollup and raw."""
    actor = Actor(project_id=project_id, role="ADMIN")
    with Session(engine) as s:
        for f in filters:
            raw_f = _Raw(f.start, f.end, f.environment, f.model, run_name=f.run_name, tags=f.tags)
            assert f.uses_rollup and (not raw_f.uses_rollup or not f.facet)
            fast, raw = asdict(dash.load_dashboard(s, actor, f)), asdict(dash.load_dashboard(s, actor, raw_f))
            for board in (fast, raw):
                board.pop("timings_ms"), board.pop("filter")
            assert _rounded(fast) == _rounded(raw), f
            assert fast["volume"]["totals"]["runs"] + len(fast["tool_calls"]) > 0, f  # not trivially equal
        s.rollback()


def test_facet_rollup_equals_a_scan_of_the_steps(live, client, project):
    api, project_id = client.api, project[0]
    now = datetime.now(timezone.utc)
    iso = lambda dt: dt.isoformat().replace("+00:00", "Z")  # noqa: E731
    vip = api.create_thread(name="vip thread", tags=["vip"])
    plain_id = "thread-" + uuid.uuid4().hex
    run, nested, gen, tool, lone = (str(uuid.uuid4()) for _ in range(5))
    t0 = now - timedelta(minutes=5)
    children = [
        {"id": gen, "type": "llm", "threadId": vip.id, "parentId": nested, "rootRunId": run, "name": "gpt",
         "startTime": iso(t0), "endTime": iso(t0 + timedelta(seconds=2)),
         "generation": {"type": "CHAT", "model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}],
                        "messageCompletion": {"role": "assistant", "content": "hello"},
                        "inputTokenCount": 10, "outputTokenCount": 3}},
        {"id": tool, "type": "tool", "threadId": vip.id, "parentId": run, "rootRunId": run, "name": "search",
         "tags": ["urgent"], "startTime": iso(t0), "endTime": iso(t0 + timedelta(seconds=1))},
        {"id": nested, "type": "run", "threadId": vip.id, "parentId": run, "rootRunId": run, "name": "inner",
         "startTime": iso(t0), "endTime": iso(t0 + timedelta(seconds=3))},
    ]
    api.create_score(name="early", value=1, type="HUMAN", step_id=run)  # before its step exists
    assert all(r["ok"] for r in api.send_steps(children)["data"].values())  # before their run exists
    api.create_score(name="helpful", value=0.5, type="AI", step_id=gen)
    api.create_score(name="helpful", value=1, type="AI", step_id=tool)
    _check(live.engine, project_id)
    assert all(r["ok"] for r in api.send_steps([
        {"id": str(uuid.uuid4()), "type": "tool", "threadId": plain_id, "parentId": lone, "rootRunId": lone,
         "name": "calc", "startTime": iso(t0), "endTime": iso(t0)},  # before its run, in the same request
        {"id": run, "type": "run", "threadId": vip.id, "name": "answer", "startTime": iso(t0),
         "endTime": iso(t0 + timedelta(seconds=4)), "error": "boom"},
        {"id": lone, "type": "run", "threadId": plain_id, "name": "answer", "tags": ["vip", "vip"],
         "startTime": iso(t0), "endTime": iso(t0 + timedelta(seconds=1))},
    ])["data"].values())
    sums = _check(live.engine, project_id)
    assert _total(sums, "r:answer", "llm")[:4] == [1, 0, 10, 3] and _total(sums, "r:answer", "tool")[0] == 2
    assert _total(sums, "r:inner", "run")[0] == 1 and _total(sums, "r:inner", "llm")[0] == 0
    assert _total(sums, "t:vip", "run")[:2] == [3, 1]  # answer, inner (thread tag), lone (own tag, once)
    day = now.date()
    with Session(live.engine) as s:
        env = s.get(Step, gen).environment
    start, end = day - timedelta(days=1), day + timedelta(days=1)
    f = [DashboardFilter(start, end, run_name="answer"), DashboardFilter(start, end, run_name="inner"),
         DashboardFilter(start, end, tags=("vip",)), DashboardFilter(start, end, tags=("urgent",)),
         DashboardFilter(start, end, model="gpt-4o"), DashboardFilter(start, end, environment=env)]
    _boards_agree(live.engine, project_id, f)

    api.update_step(id=run, name="answer v2")  # a renamed run moves the steps under it
    api.update_thread(id=vip.id, tags=["billing"])  # a retagged thread moves its steps
    api.update_step(id=tool, tags=["urgent", "later"])
    _check(live.engine, project_id)
    actor = Actor(project_id=project_id, role="ADMIN")
    with Session(live.engine) as s:
        dash.compact_rollups(s, actor)
        s.commit()
    sums = _check(live.engine, project_id)
    assert _total(sums, "r:answer v2", "llm")[0] == 1 and _total(sums, "r:answer", "llm")[0] == 0
    assert _total(sums, "t:vip", "llm")[0] == 0 and _total(sums, "t:billing", "llm")[0] == 1
    _boards_agree(live.engine, project_id, f + [DashboardFilter(start, end, tags=("billing",))])

    assert api.delete_step(id=run)  # the root run gone: its children lose its name
    assert api.delete_step(id=gen)
    _check(live.engine, project_id)
    assert api.delete_thread(id=vip.id)
    sums = _check(live.engine, project_id)
    assert not any(k[0] in ("t:billing", "r:answer v2") for k in sums)
    with Session(live.engine) as s:
        dash.compact_rollups(s, actor)
        s.commit()
    _check(live.engine, project_id)
    _boards_agree(live.engine, project_id, [DashboardFilter(start, end, tags=("vip",)),
                                            DashboardFilter(start, end, run_name="answer")])


@pytest.mark.parametrize("flt", [dict(run_name="x" * 250), dict(tags=("t" * 300,))])
def test_names_longer_than_a_facet_use_the_raw_path(flt):
    f = DashboardFilter.last_days(3, **flt)
    assert f.facet is None and not f.uses_rollup
