"""The LLM-as-judge part of the scorer form: the Playground's template editor
(``TemplateEditorMixin``: messages with roles, reordering) plus what a judge adds — the variables a
judge can use, listed and inserted with a click, unknown ones flagged as they are typed; the
template previewed with its ``{{variables}}`` highlighted; provider settings (those of the
Playground) and the answer mode (structured output or a forced tool call). Saved through
``evaluation.scorers`` like every scorer."""

from __future__ import annotations

import uuid

import reflex as rx

from literal_app.services.evaluation.judge_config import ANSWER_MODES, VARIABLE_ROOTS
from literal_app.services.providers.catalog import ALL_SETTINGS
from literal_app.state.playground.editor import SETTING_FIELDS
from literal_app.state.prompts.views import MessageView, message_views
from literal_app.state.template_editor import EditorMsg, TemplateEditorMixin

JUDGE_VARIABLES = [  # [name, what it holds]
    ["input", "The step's input (text of its messages)"],
    ["output", "The step's output"],
    ["expectedOutput", "The expected output (experiments; Try it's field)"],
    ["metadata", "The step's metadata, as JSON"],
    ["metadata.variables", "The prompt variables a generation was called with (JSON)"],
    ["thread", "The thread's conversation, one 'role: text' line per message"],
]
JUDGE_ROLES = [("system", "System"), ("user", "User"), ("assistant", "Assistant")]
STARTER = [{"role": "system", "content": "You are a careful, impartial evaluator."},
           {"role": "user", "content": "Question:\n{{input}}\n\nAnswer:\n{{output}}\n\nIs the answer correct?"}]


class JudgeEditorMixin(TemplateEditorMixin, mixin=True):
    judge_settings: dict[str, str] = {}
    answer_with: str = "structured"
    judge_variables: list[list[str]] = JUDGE_VARIABLES
    setting_fields: list[list[str]] = [list(f) for f in SETTING_FIELDS]
    answer_modes: list[list[str]] = [[k, v] for k, v in ANSWER_MODES.items()]

    @rx.var
    def judge_unknown(self) -> list[str]:
        """Variables the messages use that a judge does not have (saving would refuse them)."""
        return [v for v in self.te_variables if v.split(".")[0] not in VARIABLE_ROOTS]

    @rx.var
    def judge_preview(self) -> list[MessageView]:
        return message_views([{"role": m.role, "content": m.content} for m in self.te_messages])

    def judge_load(self, config: dict | None) -> None:
        """Open a judge's stored config (or the starter template) in the editor."""
        config = config or {}
        messages = [{"role": m.get("role", "user"), "content": m.get("content", "")}
                    for m in config.get("messages") or STARTER if isinstance(m, dict)]
        self.te_load(messages, {}, [], {})
        self.judge_settings = {k: ", ".join(v) if isinstance(v, list) else str(v)
                               for k, v in (config.get("settings") or {"temperature": 0}).items()}
        self.answer_with = config.get("answer_with") or "structured"

    def judge_config(self) -> dict:
        """What the service checks and stores (settings as typed; the service converts them)."""
        return {"messages": [{"role": m.role, "content": m.content} for m in self.te_messages],
                "settings": {k: v for k, v in self.judge_settings.items() if v.strip()},
                "answer_with": self.answer_with}

    @rx.event
    def set_judge_setting(self, name: str, value: str):
        if name in ALL_SETTINGS:
            self.judge_settings = {**self.judge_settings, name: value.strip()}

    @rx.event
    def set_answer_with(self, value: str):
        if value in ANSWER_MODES:
            self.answer_with = value

    @rx.event
    def insert_variable(self, name: str):
        """Append ``{{name}}`` to the last user message (a new one when there is none)."""
        tag = "{{" + name + "}}"
        rows = list(self.te_messages)
        i = next((n for n in range(len(rows) - 1, -1, -1) if rows[n].role == "user"), None)
        if i is None:
            rows.append(EditorMsg(uuid.uuid4().hex[:12], "user", tag))
        else:
            text = rows[i].content
            rows[i] = EditorMsg(**{**rows[i].__dict__, "content": text + ("" if not text or text.endswith(
                ("\n", " ")) else "\n") + tag})
        self.te_messages = rows
        self.te_version += 1  # the message fields are uncontrolled: remount them with the new text
