"""Running a playground tab: the provider request from the template and the tab's settings
(only the settings its provider accepts, range-checked), and the cost of an answer under the
project's model cost rules."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from literal_app.services.costs import model_costs
from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid
from literal_app.models.types import utcnow
from literal_app.services.playground.editor import parse_schema, parse_tools, rendered, score_output
from literal_app.services.providers.catalog import clean_settings
from literal_app.services.providers.types import ChatRequest, OutputType, Usage

def output_type(session: Session, actor: Actor, output: dict[str, Any]) -> OutputType:
    """The OutputType the editor's choice stands for (a score schema read from the project)."""
    kind = output.get("kind") or "text"
    if kind == "json_object":
        return OutputType("json_object")
    if kind == "json_schema":
        schema = output.get("schema")
        return OutputType("json_schema", schema if isinstance(schema, dict) else parse_schema(output.get("schema_text", "")))
    if kind == "score_schema":
        if not output.get("score_schema_id"):
            raise Invalid("Pick the score schema the answer must follow.")
        return score_output(score_schemas.get_score_schema(session, actor, output["score_schema_id"]))
    return OutputType("text")


def build_request(session: Session, actor: Actor, *, messages: list[dict], variables: dict[str, str],
                  tools_text: str, output: dict[str, Any], provider: str, model: str,
                  settings: dict[str, Any], tool_choice: str | None = None, timeout: float = 120) -> ChatRequest:
    """The provider request for one tab, or ``Invalid`` naming what to fix in the editor."""
    require(actor, "prompts:read")
    return ChatRequest(model=(model or "").strip(), messages=rendered(messages, variables),
                       tools=parse_tools(tools_text), tool_choice=tool_choice or None,
                       settings=clean_settings(provider, settings), output=output_type(session, actor, output),
                       timeout=timeout)


def cost_of(session: Session, actor: Actor, model: str, usage: Usage) -> float | None:
    """USD cost of an answer under the project's cost rules; None when no rule prices the model."""
    require(actor, "prompts:read")
    rule = model_costs.match_rule(model_costs.rules_for_project(session, actor.project_id), model, utcnow())
    return model_costs.price(rule, usage.input_tokens, usage.output_tokens)
