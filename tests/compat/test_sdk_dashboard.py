"""What the official SDK sends shows on the dashboard: runs, generations, tokens, cost priced by
the default table at ingestion, run durations; then a cost rule edit re-prices it (both dialects)."""

from __future__ import annotations

import time

import pytest
from literalai.observability.generation import ChatGeneration
from sqlmodel import Session, select

from literal_app.models.tracing import Step
from literal_app.services import dashboard as dash
from literal_app.services.costs import model_costs, repricing
from literal_app.services.dashboard import DashboardFilter
from literal_app.services.kernel.actor import Actor


def _gens(engine, project_id):
    with Session(engine) as s:
        return s.exec(select(Step).where(Step.project_id == project_id, Step.type == "llm")).all()


def test_sdk_runs_and_generations_reach_the_dashboard(live, project, client, monkeypatch):
    @client.run(name="answer")
    def answer(q: str) -> str:
        with client.step(type="llm", name="chat") as step:
            step.generation = ChatGeneration(
                provider="openai", model="gpt-4o-mini", messages=[{"role": "user", "content": q}],
                message_completion={"role": "assistant", "content": "ok"},
                input_token_count=len(q), output_token_count=2, token_count=len(q) + 2)
        return "ok"

    with client.thread(name="dashboard"):
        answer("2 plus 2")
        answer("what is the capital of France")
    client.flush()
    project_id = project[0]
    actor, f = Actor(project_id=project_id, role="ADMIN"), DashboardFilter.last_days(2)
    gens = _gens(live.engine, project_id)
    tin, tout = sum(g.input_token_count for g in gens), sum(g.output_token_count for g in gens)
    with Session(live.engine) as s:
        v = dash.volume(s, actor, f)
        assert (v.totals["threads"], v.totals["runs"], v.totals["generations"]) == (1, 2, 2)
        assert (v.totals["input_tokens"], v.totals["output_tokens"]) == (tin, tout)
        cost = dash.cost(s, actor, f)  # gpt-4o-mini in the default table: 0.15 / 0.60 USD per 1M
        assert cost.total == pytest.approx((tin * 0.15 + tout * 0.6) / 1e6)
        assert [(m.name, m.count) for m in cost.per_model] == [("gpt-4o-mini", 2)]
        slow = dash.slowest_runs(s, actor, f)
        assert [r.name for r in slow] == ["answer", "answer"] and all(r.duration >= 0 for r in slow)
        assert dash.latency(s, actor, f).generations == 2
        mini = next(r for r in model_costs.list_cost_rules(s, actor) if r.pattern.startswith("gpt-4o-mini"))
    import literal_app.db as db

    monkeypatch.setattr(db, "get_engine", lambda: live.engine)  # the job, as a worker runs it, on this database
    with Session(live.engine) as s:
        # The cost service starts the re-pricing itself once the edit commits (any caller, not a page).
        change = model_costs.update_cost_rule(s, actor, mini.id, pattern=mini.pattern, input_per_million=100,
                                              output_per_million=0)
        s.commit()
    deadline = time.monotonic() + 30
    while True:
        with Session(live.engine) as s:
            status = repricing.get_repricing(s, actor, change.repricing_id).status
        if status == "done" or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert status == "done"
    with Session(live.engine) as s:
        assert dash.cost(s, actor, f).total == pytest.approx(tin * 100 / 1e6)
