"""Factories for logged data written straight to the tables (as ingestion would leave them),
so service tests of the Logs pages do not depend on the ingestion path."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlmodel import Session

from literal_app.models.tracing import Participant, Score, Step, Thread

T0 = datetime(2026, 1, 10, 12, 0, tzinfo=timezone.utc)


def make_participant(session: Session, project_id: str, identifier: str | None = None, **kw) -> Participant:
    p = Participant(project_id=project_id, identifier=identifier or f"user-{uuid.uuid4().hex[:6]}", **kw)
    session.add(p)
    session.flush()
    return p


def make_thread(session: Session, project_id: str, *, id: str | None = None, created_at: datetime = T0,
                **kw: Any) -> Thread:
    t = Thread(id=id or f"th-{uuid.uuid4().hex[:10]}", project_id=project_id, created_at=created_at,
               start_time=kw.pop("start_time", created_at), **kw)
    session.add(t)
    session.flush()
    return t


def make_step(session: Session, project_id: str, *, id: str | None = None, type: str = "run",
              start: datetime = T0, seconds: float = 1.0, **kw: Any) -> Step:
    end = start + timedelta(seconds=seconds)
    if kw.get("generation") is not None:  # as ingestion stores it: a generation always has its type
        kw.setdefault("generation_type", "CHAT")
    s = Step(id=id or f"st-{uuid.uuid4().hex[:10]}", project_id=project_id, type=type, start_time=start,
             end_time=end, created_at=kw.pop("created_at", start), duration=seconds, **kw)
    session.add(s)
    session.flush()
    return s


def make_score(session: Session, project_id: str, step_id: str, name: str = "quality", value: float = 1.0,
               **kw: Any) -> Score:
    s = Score(project_id=project_id, step_id=step_id, name=name, value=value, **kw)
    session.add(s)
    session.flush()
    return s


def make_conversation(session: Session, project_id: str, thread_id: str | None = None, turns: int = 2,
                      start: datetime = T0, **thread_kw: Any) -> Thread:
    """A thread of ``turns`` x (user message, run(llm), assistant message) with its aggregates."""
    t = make_thread(session, project_id, id=thread_id, created_at=start, **thread_kw)
    at, tokens, cost = start, 0, 0.0
    for n in range(turns):
        make_step(session, project_id, id=f"{t.id}-u{n}", type="user_message", thread_id=t.id, start=at,
                  seconds=0, output={"content": f"question {n}"})
        run = make_step(session, project_id, id=f"{t.id}-r{n}", type="run", name="agent", thread_id=t.id,
                        start=at + timedelta(seconds=1), seconds=3, input={"q": n}, output={"answer": f"a{n}"})
        make_step(session, project_id, id=f"{t.id}-g{n}", type="llm", name="gpt-4o", thread_id=t.id,
                  parent_id=run.id, root_run_id=run.id, start=at + timedelta(seconds=1.5), seconds=2,
                  model="gpt-4o", provider="openai", token_count=100, input_token_count=80,
                  output_token_count=20, cost=0.01, input={"messages": [{"role": "user", "content": "hi"}]},
                  generation={"messages": [{"role": "user", "content": "hi"}],
                              "messageCompletion": {"role": "assistant", "content": f"answer {n}"}})
        make_step(session, project_id, id=f"{t.id}-a{n}", type="assistant_message", thread_id=t.id,
                  start=at + timedelta(seconds=4), seconds=0, output={"content": f"answer {n}"})
        at, tokens, cost = at + timedelta(minutes=5), tokens + 100, cost + 0.01
    t.step_count, t.token_count, t.cost = turns * 4, tokens, cost
    t.end_time = at - timedelta(minutes=5) + timedelta(seconds=4)
    t.first_input, t.last_output = "question 0", f"answer {turns - 1}"
    session.add(t)
    session.flush()
    return t
