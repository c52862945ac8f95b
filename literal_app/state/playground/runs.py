"""The Playground's answers: each tab streams in its own background task (tabs run concurrently),
text is pushed to the browser at once for the first token and then every ``FLUSH_S``; Stop cancels
the task, which closes the provider connection. Kept in a substate so tokens never re-render the
template editor."""

from __future__ import annotations

import asyncio
import json
import time

import reflex as rx

from literal_app.services import providers
from literal_app.services.kernel.errors import DomainError, Invalid
from literal_app.services.playground import editor, runs
from literal_app.services.providers.types import ChatResult
from literal_app.state.playground.editor import PlaygroundState, Tab
from literal_app.state.template_editor import EditorMsg

FLUSH_S = 0.05
_TASKS: dict[str, asyncio.Task] = {}  # (browser tab token, playground tab id) -> its streaming task


def _metrics(r: ChatResult, cost: float | None) -> str:
    parts = [f"{r.usage.input_tokens} in · {r.usage.output_tokens} out tokens",
             f"${cost:.6f}" if cost is not None else "no price rule for " + r.model,
             f"{r.latency_ms / 1000:.2f} s"]
    if r.ttft_ms is not None:
        parts.append(f"TTFT {r.ttft_ms:.0f} ms")
    return " · ".join(parts)


class PlaygroundRunState(PlaygroundState):
    outputs: dict[str, dict[str, str]] = {}  # tab id -> text, tools, status, error, metrics, check, finish

    def _key(self, tab_id: str) -> str:
        return f"{self.router.session.client_token}:{tab_id}"

    def _out(self, tab_id: str, **values: str) -> None:
        self.outputs = {**self.outputs, tab_id: {**self.outputs.get(tab_id, {}), **values}}

    def _start(self, tab: Tab):
        """The stream for ``tab`` (the request is checked and the credential resolved here)."""
        if not tab.credential_id:
            raise Invalid("No LLM credential: add one in Settings → LLM providers, then pick it in this tab.")
        request = self.call(runs.build_request, messages=self.te_messages_plain(), variables=dict(self.te_values),
                            tools_text=self.te_tools_text, output=self.te_output(), provider=tab.provider,
                            model=tab.model, settings=dict(tab.settings))
        return request, self.call(providers.astream, tab.credential_id, request)

    @rx.event
    def run_all(self):
        return [PlaygroundRunState.run_tab(t.id) for t in self.tabs
                if self.outputs.get(t.id, {}).get("status") != "streaming"]

    @rx.event(background=True)
    async def run_tab(self, tab_id: str):
        async with self:
            tab = next((t for t in self.tabs if t.id == tab_id), None)
            if tab is None or self.outputs.get(tab_id, {}).get("status") == "streaming":
                return
            try:
                request, stream = self._start(tab)
            except DomainError as exc:
                self._out(tab_id, status="error", error=exc.message, text="", tools="", metrics="", check="")
                return
            self._out(tab_id, status="streaming", error="", text="", tools="", metrics="", check="", finish="")
            _TASKS[self._key(tab_id)] = asyncio.current_task()
        await self._consume(tab_id, tab, request, stream)

    async def _consume(self, tab_id: str, tab: Tab, request, stream) -> None:
        text, pending, calls, result, status, error = [], [], {}, None, "done", ""
        last = 0.0
        try:
            async for event in stream:
                if isinstance(event, providers.TextDelta):
                    pending.append(event.text)
                elif isinstance(event, providers.ToolCallDelta):
                    slot = calls.setdefault(event.index, {"id": "", "name": "", "arguments": ""})
                    slot["id"] = slot["id"] or event.id
                    slot["name"] = slot["name"] or event.name
                    slot["arguments"] += event.arguments
                elif isinstance(event, providers.Done):
                    result = event.result
                now = time.monotonic()
                if (pending or calls) and (not text or now - last >= FLUSH_S):
                    text += pending
                    pending, last = [], now
                    async with self:
                        self._out(tab_id, text="".join(text), tools=json.dumps(list(calls.values())) if calls else "")
        except asyncio.CancelledError:
            status = "stopped"
        except DomainError as exc:
            status, error = "error", exc.message
        finally:
            _TASKS.pop(self._key(tab_id), None)
            await stream.aclose()
        await self._finish(tab_id, tab, request, "".join(text + pending), calls, result, status, error)

    async def _finish(self, tab_id, tab, request, text, calls, result, status, error) -> None:
        async with self:
            values = {"text": text, "tools": json.dumps(list(calls.values())) if calls else "", "status": status,
                      "error": error}
            if result is not None:
                try:
                    cost = self.call(runs.cost_of, result.model or tab.model, result.usage)
                except DomainError:
                    cost = None
                values.update(metrics=_metrics(result, cost), finish=result.finish_reason,
                              check=editor.check_answer(result.text, request.output) if not result.tool_calls else "")
            elif status == "stopped":
                values["metrics"] = "Stopped"
            self._out(tab_id, **values)

    @rx.event
    def stop_tab(self, tab_id: str):
        task = _TASKS.get(self._key(tab_id))
        if task is not None:
            task.cancel()

    @rx.event
    def stop_all(self):
        for t in self.tabs:
            self.stop_tab(t.id)

    @rx.event
    def append_answer(self, tab_id: str):
        """Add the tab's answer to the messages (and a message to continue with)."""
        out = self.outputs.get(tab_id) or {}
        calls = json.loads(out["tools"]) if out.get("tools") else []
        rows = [EditorMsg(f"a{time.time_ns()}", "assistant", out.get("text", ""), [], "",
                          json.dumps(calls) if calls else "")]
        rows += [EditorMsg(f"t{time.time_ns()}{i}", "tool", "", [], c["id"]) for i, c in enumerate(calls)]
        if not calls:
            rows.append(EditorMsg(f"u{time.time_ns()}", "user", ""))
        self.te_messages = [*self.te_messages, *rows]
        self.outputs = {k: v for k, v in self.outputs.items() if k != tab_id}
        self.te_changed()
