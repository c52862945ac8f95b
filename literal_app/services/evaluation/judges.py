"""Running an LLM-as-judge scorer: render its template with the scored log, ask the model for
``{"reason", "category"}`` (categorical schema) or ``{"reason", "value"}`` (continuous) through
structured output (or a forced tool call, ``config["answer_with"] == "tool"``), check the answer
against the score schema, and log the call as a generation in the ``evaluation`` environment.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from literal_app.models.evals import Scorer, ScoreSchema
from literal_app.services import providers
from literal_app.services.costs import model_costs
from literal_app.services.evaluation import judge_log
from literal_app.services.evaluation.code_metrics import text_of
from literal_app.services.evaluation.scoring_types import ScorerResult
from literal_app.services.prompts.prompt_templates import render_messages
from literal_app.models.types import utcnow
from literal_app.services.kernel.errors import DomainError


class _JsonDict(dict):
    """A dict that renders as JSON in a template (``{{metadata}}``) yet keeps dotted lookups."""

    def __str__(self) -> str:
        return json.dumps(self, ensure_ascii=False, default=str)


def _templated(value: Any) -> Any:
    if isinstance(value, dict):
        return _JsonDict({k: _templated(v) for k, v in value.items()})
    return value


def thread_text(thread: list[dict] | str | None) -> str:
    """The conversation as ``role: text`` lines (what ``{{thread}}`` renders)."""
    if isinstance(thread, str) or thread is None:
        return thread or ""
    return "\n".join(f"{m.get('role', 'user')}: {text_of(m.get('content'))}" for m in thread if isinstance(m, dict))


def variables(*, input: Any, output: Any, expected_output: Any, metadata: dict, thread: Any) -> dict[str, Any]:
    """The template's variables from the scored log."""
    meta = dict(metadata or {})
    meta.setdefault("variables", {})
    return {"input": text_of(input), "output": text_of(output),
            "expectedOutput": "" if expected_output is None else text_of(expected_output),
            "metadata": _templated(meta), "thread": thread_text(thread)}


def answer_schema(schema: ScoreSchema) -> tuple[dict[str, Any], str]:
    """The JSON schema of the judge's answer and the name of its score field."""
    if schema.type == "categorical":
        field = ("category", {"type": "string", "enum": [str(c.get("label")) for c in schema.categories or []]})
    else:
        field = ("value", {"type": "number", **({"minimum": schema.min_value} if schema.min_value is not None else {}),
                           **({"maximum": schema.max_value} if schema.max_value is not None else {})})
    return ({"type": "object", "properties": {"reason": {"type": "string"}, field[0]: field[1]},
             "required": ["reason", field[0]], "additionalProperties": False}, field[0])


def _instruction(schema: ScoreSchema, key: str) -> str:
    if key == "category":
        options = "; ".join(f"{c.get('label')}: {c.get('description') or ''}".strip().rstrip(":")
                            for c in schema.categories or [])
        return (f'Answer only with a JSON object {{"reason": "<one or two sentences>", "category": "<label>"}} '
                f"where the label is one of: {options}.")
    return (f'Answer only with a JSON object {{"reason": "<one or two sentences>", "value": <number>}} '
            f"with a value between {schema.min_value:g} and {schema.max_value:g}.")


def build_request(scorer: Scorer, schema: ScoreSchema, values: dict[str, Any]) -> tuple[providers.ChatRequest, str]:
    config = scorer.config or {}
    rendered = render_messages(config.get("messages") or [], values)
    json_schema, key = answer_schema(schema)
    messages = [providers.Message(m["role"], m["content"]) for m in rendered]
    messages.append(providers.Message("system", _instruction(schema, key)))
    request = providers.ChatRequest(model=scorer.model or "", messages=messages,
                                    settings=dict(config.get("settings") or {}), timeout=60)
    if config.get("answer_with") == "tool":
        request.tools = [{"type": "function", "function": {"name": "score", "description": "Give the score.",
                                                           "parameters": json_schema}}]
        request.tool_choice = "score"
    else:
        request.output = providers.OutputType("score_schema", json_schema, "score")
    return request, key


def parse_answer(result: providers.ChatResult, schema: ScoreSchema, key: str) -> tuple[float, str | None, str]:
    """(value, label, reason) from the judge's answer; ``ValueError`` when it does not fit."""
    text = result.tool_calls[0].arguments if result.tool_calls else result.text
    text = text.strip().removeprefix("```json").removeprefix("```").removesuffix("```").strip()
    try:
        answer = json.loads(text)
    except ValueError:
        raise ValueError(f"The judge's answer is not JSON: {text[:200]!r}") from None
    if not isinstance(answer, dict) or key not in answer:
        raise ValueError(f"The judge's answer has no {key!r}: {text[:200]!r}")
    reason = str(answer.get("reason") or "")
    if key == "category":
        for c in schema.categories or []:
            if str(c.get("label")).casefold() == str(answer[key]).strip().casefold():
                return float(c.get("value", 0)), str(c.get("label")), reason
        raise ValueError(f"The judge answered {answer[key]!r}, which is not a category of {schema.name!r}.")
    try:
        value = float(answer[key])
    except (TypeError, ValueError):
        raise ValueError(f"The judge's value {answer[key]!r} is not a number.") from None
    if not schema.min_value <= value <= schema.max_value:
        raise ValueError(f"The judge's value {value:g} is outside {schema.min_value:g}–{schema.max_value:g}.")
    return value, None, reason


def judge(session: Session, scorer: Scorer, *, input: Any, output: Any, expected_output: Any,
          metadata: dict, thread: Any) -> ScorerResult:
    """One judge call; failures come back in ``error`` (``retryable`` for the provider's own)."""
    base = {"name": scorer.name, "type": "AI", "score_schema_id": scorer.score_schema_id}
    schema = session.get(ScoreSchema, scorer.score_schema_id) if scorer.score_schema_id else None
    if schema is None or not scorer.credential_id:
        missing = "score schema" if schema is None else "LLM credential"
        return ScorerResult(None, error=f"The judge's {missing} was deleted: edit the scorer.", **base)
    values = variables(input=input, output=output, expected_output=expected_output, metadata=metadata, thread=thread)
    request, key = build_request(scorer, schema, values)
    started = utcnow()
    try:
        result = providers.complete(session, scorer.project_id, scorer.credential_id, request)
    except providers.ProviderError as exc:
        return ScorerResult(None, error=exc.message, retryable=exc.retryable or exc.status is None, **base)
    except DomainError as exc:
        return ScorerResult(None, error=exc.message, **base)
    rule = model_costs.match_rule(model_costs.rules_for_project(session, scorer.project_id), result.model, started)
    cost = model_costs.price(rule, result.usage.input_tokens, result.usage.output_tokens)
    step_id = judge_log.log_call(session, scorer, request, result, cost, started)
    spent = {"tokens": result.usage.total, "cost": cost, "judge_step_id": step_id}
    try:
        value, label, reason = parse_answer(result, schema, key)
    except ValueError as exc:
        return ScorerResult(None, error=str(exc), retryable=True, **spent, **base)
    return ScorerResult(value, label, reason, **spent, **base)
