"""A small fixed data set for the dashboard and cost tests, with hand-computable figures.

Days (UTC): D_PREV (before the range), D0, D1, D2 (empty). Threads t1 (D0, alice, prod, tag vip),
t2 (D1, bob, prod), t3 (D1, alice, staging). Runs r1 "answer" (t1), r2 "answer" (t2),
r3 "summarize" (t3, staging); generations g1..g4 under them, tools k1..k3; scores s1..s4.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlmodel import Session

from literal_app.models.prompts import PromptLineage, PromptVersion
from literal_app.models.tracing import Participant, Score, Step, Thread

D_PREV, D0, D1, D2 = date(2026, 1, 9), date(2026, 1, 10), date(2026, 1, 11), date(2026, 1, 12)


def at(d: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=timezone.utc)


def gen(pid, sid, thread, run, day, model, tin, tout, dur, ttft, thr, cost, env="prod", pv=None, error=None,
        minute=1):
    t = at(day, 12, minute)
    return Step(id=sid, project_id=pid, thread_id=thread, parent_id=run, root_run_id=run, type="llm",
                name="chat", start_time=t, end_time=t + timedelta(seconds=dur), created_at=t,
                environment=env, model=model, provider="openai", input_token_count=tin, output_token_count=tout,
                token_count=tin + tout, duration=dur, tt_first_token=ttft, token_throughput=thr, cost=cost,
                prompt_version_id=pv, error=error)


def other(pid, sid, type_, name, thread, run, day, dur=None, env="prod", minute=0):
    t = at(day, 12, minute)
    return Step(id=sid, project_id=pid, thread_id=thread, parent_id=run, root_run_id=run if type_ != "run" else sid,
                type=type_, name=name, start_time=t, end_time=t + timedelta(seconds=dur or 0), created_at=t,
                environment=env, duration=dur)


def seed_small(session: Session, pid: str) -> dict:
    """Insert the data set into project ``pid``; returns ids the tests refer to."""
    alice = Participant(project_id=pid, identifier="alice")
    bob = Participant(project_id=pid, identifier="bob")
    session.add_all([alice, bob])
    session.flush()
    lineage = PromptLineage(project_id=pid, name="support")
    session.add(lineage)
    session.flush()
    v0 = PromptVersion(project_id=pid, lineage_id=lineage.id, version=0, template_messages=[])
    session.add(v0)
    session.flush()
    p = f"{pid[:8]}-"
    session.add_all([
        Thread(id=p + "t0", project_id=pid, participant_id=bob.id, environment="prod", created_at=at(D_PREV),
               cost=0.002),
        Thread(id=p + "t1", project_id=pid, participant_id=alice.id, environment="prod", tags=["vip"],
               created_at=at(D0), cost=0.0035),
        Thread(id=p + "t2", project_id=pid, participant_id=bob.id, environment="prod", created_at=at(D1),
               cost=0.0006 + 0.00175),
        Thread(id=p + "t3", project_id=pid, participant_id=alice.id, environment="staging", created_at=at(D1),
               cost=0.000021),
    ])
    session.add_all([
        other(pid, p + "r0", "run", "answer", p + "t0", None, D_PREV, dur=1.0),
        gen(pid, p + "g0", p + "t0", p + "r0", D_PREV, "gpt-4o", 400, 100, 1.0, 100, 50, 0.002),
        other(pid, p + "r1", "run", "answer", p + "t1", None, D0, dur=2.0),
        gen(pid, p + "g1", p + "t1", p + "r1", D0, "gpt-4o", 1000, 100, 1.0, 100, 50, 0.0035, pv=v0.id),
        other(pid, p + "k1", "tool", "search", p + "t1", p + "r1", D0, minute=2),
        other(pid, p + "r2", "run", "answer", p + "t2", None, D1, dur=4.0),
        gen(pid, p + "g2", p + "t2", p + "r2", D1, "gpt-4o-mini", 2000, 500, 3.0, 300, 30, 0.0006, pv=v0.id),
        gen(pid, p + "g3", p + "t2", p + "r2", D1, "gpt-4o", 500, 50, 2.0, 200, 40, 0.00175, error="boom",
            minute=2),
        other(pid, p + "k2", "tool", "search", p + "t2", p + "r2", D1, minute=3),
        other(pid, p + "k3", "tool", "calc", p + "t2", p + "r2", D1, minute=4),
        other(pid, p + "r3", "run", "summarize", p + "t3", None, D1, dur=1.0, env="staging", minute=10),
        gen(pid, p + "g4", p + "t3", p + "r3", D1, "gpt-4o-mini", 100, 10, 5.0, 500, 10, 0.000021,
            env="staging", minute=11),
    ])
    session.flush()
    session.add_all([
        Score(project_id=pid, step_id=p + "g1", name="feedback", type="HUMAN", value=1, label="good",
              created_at=at(D0, 13)),
        Score(project_id=pid, step_id=p + "r2", name="feedback", type="HUMAN", value=0, label="bad",
              created_at=at(D1, 13)),
        Score(project_id=pid, step_id=p + "r2", name="relevance", type="AI", value=0.8, created_at=at(D1, 14)),
        Score(project_id=pid, step_id=p + "r3", name="relevance", type="AI", value=0.4, created_at=at(D1, 15)),
    ])
    session.flush()
    return {"prefix": p, "alice": alice.id, "bob": bob.id, "v0": v0.id}
