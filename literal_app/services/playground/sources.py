"""Where a playground draft starts: example templates, a prompt version, or a logged generation
(its full messages, tools, provider, model and settings, so a production call can be replayed)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from literal_app.models.tracing import Step
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import NotFound
from literal_app.services.kernel.scoping import owned
from literal_app.services.playground.editor import editor_message, from_template
from literal_app.services.prompts import prompts

SETTING_KEYS = ("temperature", "max_tokens", "top_p", "frequency_penalty", "presence_penalty", "stop")


@dataclass
class Template:
    """A draft's template: editor messages, variable values, tools, output, provider/model/settings."""

    messages: list[dict]
    variables: dict[str, str] = field(default_factory=dict)
    tools: list = field(default_factory=list)
    output: dict = field(default_factory=lambda: {"kind": "text"})
    provider: str = ""
    model: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, Any] = field(default_factory=dict)  # {kind, label, version_id, lineage_id, name, version}


EXAMPLES: dict[str, Template] = {
    "Support answer": Template(
        [editor_message("system", "You are a helpful support agent for {{product}}. Answer in {{language}}."),
         editor_message("user", "{{question}}")],
        {"product": "Acme Cloud", "language": "English", "question": "How do I reset my password?"}),
    "Summarize with a list": Template(
        [editor_message("system", "Summarize the user's text in at most {{max_points}} bullet points."),
         editor_message("user", "{{#documents}}Document: {{title}}\n{{body}}\n\n{{/documents}}")],
        {"max_points": "3", "documents": '[{"title": "Release notes", "body": "Faster search; dark mode."}]'}),
    "Extract JSON": Template(
        [editor_message("system", "Extract the person's name and age from the text."),
         editor_message("user", "{{text}}")],
        {"text": "Ada Lovelace was 36 when she died."},
        output={"kind": "json_schema", "schema": {"type": "object", "properties": {
            "name": {"type": "string"}, "age": {"type": "integer"}}, "required": ["name", "age"]}}),
    "Tool calling": Template(
        [editor_message("system", "Use the tools to answer."), editor_message("user", "What's the weather in {{city}}?")],
        {"city": "Paris"},
        tools=[{"type": "function", "function": {"name": "get_weather", "description": "Current weather of a city",
                                                 "parameters": {"type": "object", "properties": {
                                                     "city": {"type": "string"}}, "required": ["city"]}}}]),
}


def _output_of(settings: dict) -> dict:
    fmt = settings.get("response_format") or {}
    if fmt.get("type") == "json_object":
        return {"kind": "json_object"}
    if fmt.get("type") == "json_schema":
        return {"kind": "json_schema", "schema": (fmt.get("json_schema") or {}).get("schema") or {}}
    if fmt.get("type") == "score_schema":
        return {"kind": "score_schema", "score_schema_id": fmt.get("score_schema_id") or ""}
    return {"kind": "text"}


def _values(variables: Any, defaults: Any = None) -> dict[str, str]:
    out = {}
    for source in (defaults, variables):
        if isinstance(source, dict):
            out.update({str(k): v if isinstance(v, str) else _json(v) for k, v in source.items()})
    return out


def _json(value: Any) -> str:
    return json.dumps(value)


def from_prompt_version(session: Session, actor: Actor, version_id: str) -> Template:
    """The template of a saved prompt version (its default variable values filled in)."""
    v = prompts.get_version(session, actor, id=version_id)
    if v is None:
        raise NotFound("This prompt version does not exist in the project.")
    settings = dict(v.settings or {})
    return Template(from_template(v.template_messages), _values(None, v.variables_default_values), list(v.tools or []),
                    _output_of(settings), str(settings.get("provider") or ""), str(settings.get("model") or ""),
                    {k: settings[k] for k in SETTING_KEYS if k in settings},
                    {"kind": "prompt", "label": f"{v.name} v{v.version}", "version_id": v.id,
                     "lineage_id": v.lineage_id, "name": v.name, "version": v.version})


def prompt_version_id(session: Session, actor: Actor, name: str, version: int | None) -> str:
    """The id of a version named as the SDKs link it (``?name=...&version=N``)."""
    v = prompts.get_version(session, actor, name=name, version=version)
    if v is None:
        raise NotFound(f"No prompt named {name!r}" + (f" with version {version}." if version is not None else "."))
    return v.id


def from_generation(session: Session, actor: Actor, step_id: str) -> Template:
    """A logged chat generation as a template: its messages, tools, provider, model and settings."""
    require(actor, "prompts:read")
    step = owned(session, Step, step_id, actor, "This generation does not exist in the project.")
    g = step.generation or {}
    if not g or (g.get("type") or step.generation_type or "CHAT") != "CHAT":
        raise NotFound("Only chat generations open in the playground.")
    settings = dict(g.get("settings") or {})
    origin = {"kind": "generation", "label": f"generation {step.name or step.id}", "step_id": step.id}
    messages = from_template(g.get("messages"))
    v = prompts.get_version(session, actor, id=step.prompt_version_id) if step.prompt_version_id else None
    if v is not None:
        origin.update(version_id=v.id, lineage_id=v.lineage_id, name=v.name, version=v.version)
        if g.get("variables") and v.template_messages:
            # Made from a prompt: show its template with the logged variable values, then the
            # messages the application added after it (chat history), so variables can be edited.
            template = from_template(v.template_messages)
            messages = template + messages[len(template):]
    return Template(messages, _values(g.get("variables")), list(g.get("tools") or []),
                    _output_of(settings), str(step.provider or g.get("provider") or ""),
                    str(step.model or g.get("model") or settings.get("model") or ""),
                    {k: settings[k] for k in SETTING_KEYS if k in settings}, origin)
