"""Factories for the evaluation side: the ``Default`` prompt the official SDK tests expect, and
logged steps/generations to build dataset items from."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

from literal_app.models.tracing import Step
from literal_app.services.kernel.actor import Actor
from literal_app.services.prompts import prompts

DEFAULT_TEMPLATE = ("Hello, this is a {{test_var}} and this\n\n{{#test_list}}\n* {{.}}\n{{/test_list}}\n\n"
                    "is a templated list.")
DEFAULT_VALUES = {"test_var": "test value", "test_list": ["item 0", "item 1", "item 2"]}


def make_default_prompt(session: Session, actor: Actor) -> prompts.PromptVersionRead:
    """The ``Default`` prompt v0 (provider openai) that the official SDK suites read."""
    lineage = prompts.get_or_create_lineage(session, actor, name="Default")
    return prompts.create_version(
        session, actor, lineage_id=lineage.id,
        template_messages=[{"role": "user", "content": DEFAULT_TEMPLATE}],
        settings={"provider": "openai", "model": "gpt-4o-mini", "temperature": 0.7},
        variables_default_values=DEFAULT_VALUES)


def make_step(session: Session, project_id: str, *, parent_id: str | None = None, type: str = "run",
              name: str = "step", input: Any = None, output: Any = None,
              generation: dict | None = None) -> Step:
    """A logged step written straight to the table (ingestion is tested elsewhere)."""
    step = Step(id=str(uuid.uuid4()), project_id=project_id, parent_id=parent_id, type=type, name=name,
                input=input, output=output, generation=generation,
                generation_type=(generation or {}).get("type"))
    session.add(step)
    session.flush()
    return step
