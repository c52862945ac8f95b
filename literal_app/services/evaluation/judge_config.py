"""What an LLM-as-judge scorer stores, checked when it is saved.

A judge is the Playground's template (editor messages) whose Mustache variables come from the
scored log — ``input``, ``output``, ``expectedOutput``, ``metadata`` (and ``metadata.variables.*``:
the prompt variables a generation was called with), ``thread`` (the conversation, for thread-level
scoring) — a score schema it answers in, a credential and a model, provider settings (those the provider
accepts, checked as in the Playground) and the answer mode: the provider's structured output
(default) or a forced tool call (``answer_with: "tool"``, for models without JSON schema output).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.actor import Actor
from literal_app.services.kernel.errors import Invalid
from literal_app.services.prompts.prompt_templates import extract_variables
from literal_app.services.providers import credentials
from literal_app.services.providers.catalog import clean_settings

VARIABLE_ROOTS = ("input", "output", "expectedOutput", "metadata", "thread")
ANSWER_MODES = {"structured": "Structured output (JSON schema)", "tool": "Tool call (forced)"}


def check(session: Session, actor: Actor, config: dict[str, Any], score_schema_id: str | None,
          credential_id: str | None, model: str | None) -> dict[str, Any]:
    """The judge's config cleaned, or ``Invalid`` naming what to fix."""
    messages = [{"role": str(m.get("role") or "user"), "content": str(m.get("content") or "")}
                for m in config.get("messages") or [] if isinstance(m, dict)]
    if any(m["role"] not in ("system", "user", "assistant") for m in messages):
        raise Invalid("A judge's messages are system, user or assistant messages.")
    if not any(m["role"] != "system" and m["content"].strip() for m in messages):
        raise Invalid("The judge's template needs a user message.")
    names = [v["name"] for v in extract_variables(messages)]
    unknown = [v for v in names if v.split(".")[0] not in VARIABLE_ROOTS]
    if unknown:
        raise Invalid(f"Unknown variable(s) {', '.join(unknown)}: a judge can use "
                      "input, output, expectedOutput, metadata, metadata.variables.<name> and thread.")
    if not score_schema_id:
        raise Invalid("Choose the score schema the judge answers in.")
    score_schemas.get_score_schema(session, actor, score_schema_id)
    if not credential_id:
        raise Invalid("Choose the LLM credential the judge calls (Settings → LLM providers).")
    cred = credentials.get_credential(session, actor, credential_id)
    if not (model or "").strip():
        raise Invalid("Choose the judge's model.")
    raw = config.get("settings") if isinstance(config.get("settings"), dict) else {}
    out: dict[str, Any] = {"messages": messages, "settings": clean_settings(cred.provider, raw)}
    answer_with = str(config.get("answer_with") or "structured")
    if answer_with not in ANSWER_MODES:
        raise Invalid("The judge answers through structured output or a tool call.")
    if answer_with == "tool":
        out["answer_with"] = "tool"
    if config.get("builtin"):
        out["builtin"] = str(config["builtin"])
    return out
