"""Running one claimed experiment item: render the prompt with the item's mapped input, call the
model through the providers layer, score the answer, and record it as a logged generation (a step
linked to the experiment) together with the item's result and scores, in one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from literal_app.models.types import utcnow
from literal_app.services.costs import model_costs
from literal_app.services.datasets import experiment_scorers, experiment_work
from literal_app.services.datasets.experiment_runs import lookup
from literal_app.services.datasets.experiment_work import Claim
from literal_app.services.ingestion.writer import ingest_steps
from literal_app.services.kernel.actor import Actor
from literal_app.services.kernel.errors import Invalid
from literal_app.services.playground.editor import from_template, rendered
from literal_app.services.providers import calls
from literal_app.services.providers.types import ChatRequest, ChatResult, Message

ITEM_TIMEOUT = 120.0


@dataclass(frozen=True)
class Answer:
    messages: list[Message]
    result: ChatResult
    scores: list[experiment_scorers.ItemScore]


def job_actor(claim: Claim) -> Actor:
    """Who the item job acts as: the experiment's creator, with the rights the run needs."""
    return Actor(project_id=claim.project_id, role="ADMIN", member_id=claim.created_by_id)


def _value(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else json.dumps(value)


def messages_for(claim: Claim) -> list[Message]:
    """The provider messages of an item: the template rendered with its mapped input keys, or the
    item's own chat (generation datasets run without a prompt)."""
    c = claim.config
    if c.get("messages") is None:
        chat = (claim.input or {}).get("messages") if isinstance(claim.input, dict) else None
        if not isinstance(chat, list):
            raise Invalid("This item has no chat messages (input.messages) to send.")
        return rendered(from_template(chat), {})
    values = {var: _value(lookup(claim.input, key)[1]) for var, key in (c.get("mapping") or {}).items()}
    return rendered(from_template(c["messages"]), values)


def answer(session: Session, claim: Claim) -> Answer:
    """Call the model and score its answer (read-only: nothing is written here)."""
    c = claim.config
    messages = messages_for(claim)
    request = ChatRequest(model=c["model"], messages=messages, tools=list(c.get("tools") or []),
                          settings=dict(c.get("settings") or {}), timeout=ITEM_TIMEOUT)
    result = calls.complete(session, claim.project_id, c["credential_id"], request)
    scores = experiment_scorers.score_item(session, job_actor(claim), list(c.get("scorers") or []),
                                           input=claim.input, output=result.text,
                                           expected_output=claim.expected_output)
    return Answer(messages, result, scores)


def _chat(messages: list[Message]) -> list[dict]:
    return [{"role": m.role, "content": m.content} for m in messages]


def _step(claim: Claim, ans: Answer, cost: float | None) -> dict:
    r, end = ans.result, utcnow()
    start = end - timedelta(milliseconds=r.latency_ms)
    meta = {"experimentId": claim.experiment_id, "experimentItemId": claim.item_id,
            "datasetItemId": claim.dataset_item_id}
    generation = {"type": "CHAT", "provider": r.provider, "model": r.model or claim.config["model"],
                  "settings": claim.config.get("settings") or {}, "messages": _chat(ans.messages),
                  "messageCompletion": {"role": "assistant", "content": r.text},
                  "inputTokenCount": r.usage.input_tokens, "outputTokenCount": r.usage.output_tokens,
                  "tokenCount": r.usage.total, "duration": r.latency_ms / 1000,
                  "promptId": claim.config.get("prompt_version_id")}
    if cost is not None:
        generation["cost"] = cost  # ingestion prices it again from the cost rules when it can
    return {"id": claim.item_id, "type": "llm", "name": f"Experiment: {claim.experiment_name}"[:200],
            "startTime": start.isoformat(), "endTime": end.isoformat(), "metadata": meta,
            "tags": ["experiment"], "input": {"messages": _chat(ans.messages)}, "output": {"content": r.text},
            "generation": {k: v for k, v in generation.items() if v is not None}}


def record(session: Session, claim: Claim, ans: Answer) -> bool:
    """Store the answer (item, scores, logged generation) if this claim still holds the item."""
    r = ans.result
    rule = model_costs.match_rule(model_costs.rules_for_project(session, claim.project_id), r.model or
                                  claim.config["model"], utcnow())
    cost = model_costs.price(rule, r.usage.input_tokens, r.usage.output_tokens)
    scores = [{"name": s.name, "value": s.value, "reason": s.reason, "type": s.type, "scorer": s.name}
              for s in ans.scores if s.value is not None]
    unscored = "; ".join(f"{s.name}: {s.reason}" for s in ans.scores if s.value is None) or None
    if not experiment_work.finish(session, claim, output={"content": r.text}, step_id=claim.item_id,
                                  latency_ms=r.latency_ms, cost=cost, scores=scores, note=unscored):
        return False
    results = ingest_steps(session, job_actor(claim), [_step(claim, ans, cost)])
    if not results[0].ok:
        raise Invalid(f"Could not log the item's generation: {results[0].message}")
    return True
