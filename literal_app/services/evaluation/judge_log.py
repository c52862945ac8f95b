"""Judge calls logged as generations, so what evaluation costs shows on the dashboard and in Logs.

Each call is an ``llm`` step tagged ``evaluation`` in the ``evaluation`` environment (never the
production one: Logs and the dashboard show it only when that environment is chosen), named after
the scorer, with the messages, the answer, tokens, latency and cost.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlmodel import Session

from literal_app.models.evals import Scorer
from literal_app.models.tracing import Step
from literal_app.services import providers

ENVIRONMENT = "evaluation"
TAG = "evaluation"


def _message(m: providers.Message) -> dict:
    return {"role": m.role, "content": m.content}


def log_call(session: Session, scorer: Scorer, request: providers.ChatRequest, result: providers.ChatResult,
             cost: float | None, started: datetime) -> str:
    """Store the judge call; returns the generation step's id."""
    completion = result.tool_calls[0].arguments if result.tool_calls else result.text
    usage = result.usage
    generation = {"type": "CHAT", "provider": result.provider, "model": result.model,
                  "settings": dict(request.settings), "messages": [_message(m) for m in request.messages],
                  "messageCompletion": {"role": "assistant", "content": completion},
                  "inputTokenCount": usage.input_tokens, "outputTokenCount": usage.output_tokens,
                  "tokenCount": usage.total, "duration": result.latency_ms / 1000}
    seconds = result.latency_ms / 1000
    step = Step(id=str(uuid.uuid4()), project_id=scorer.project_id, type="llm", name=f"Judge: {scorer.name}",
                start_time=started, end_time=started + timedelta(seconds=seconds), created_at=started,
                input={"messages": generation["messages"]}, output={"content": completion},
                meta={"scorer_id": scorer.id, "scorer": scorer.name}, tags=[TAG], environment=ENVIRONMENT,
                generation=generation, generation_type="CHAT", provider=result.provider, model=result.model,
                input_token_count=usage.input_tokens, output_token_count=usage.output_tokens,
                token_count=usage.total, duration=seconds, cost=cost,
                token_throughput=(usage.output_tokens / seconds) if seconds > 0 else None)
    session.add(step)
    session.flush()
    return step.id
