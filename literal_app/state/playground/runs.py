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

FLUSH_S = 0.1
_TASKS: dict[str, asyncio.Task] = {}  # (browser tab token, playground tab id) -> its streaming task
_BUFFERS: dict[str, dict[str, str]] = {}  # browser tab -> playground tab -> text not yet sent
_STOPPED = object()
_FLUSHED_AT: dict[str, float] = {}  # browser tab -> when its answers were last sent


def _metrics(r: ChatResult, cost: float | None) -> str:
    parts = [f"{r.usage.input_tokens} in · {r.usage.output_tokens} out tokens",
             f"${cost:.6f}" if cost is not None else "no price rule for " + r.model,
             f"{r.latency_ms / 1000:.2f} s"]
    if r.ttft_ms is not None:
        parts.append(f"TTFT {r.ttft_ms:.0f} ms")
    return " · ".join(parts)


async def _read(stream, queue: asyncio.Queue) -> None:
    """Move the provider's events into ``queue``; ends with None, an error, or ``_STOPPED``."""
    try:
        async for event in stream:
            queue.put_nowait(event)
        queue.put_nowait(None)
    except asyncio.CancelledError:
        queue.put_nowait(_STOPPED)
    except DomainError as exc:
        queue.put_nowait(exc)
    finally:
        await stream.aclose()


def _add_call(calls: dict, event) -> None:
    slot = calls.setdefault(event.index, {"id": "", "name": "", "arguments": ""})
    slot["id"] = slot["id"] or event.id
    slot["name"] = slot["name"] or event.name
    slot["arguments"] += event.arguments


class PlaygroundStreamState(PlaygroundState):
    """Only the streamed text and tool calls per tab: the one state that changes per flush, read
    only by the answer panes (so a flush re-renders them and nothing else)."""

    live: dict[str, str] = {}
    live_tools: dict[str, str] = {}


class PlaygroundRunState(PlaygroundState):
    outputs: dict[str, dict[str, str]] = {}  # tab id -> status, error, metrics, check, finish

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
                            model=tab.model, settings=dict(tab.settings), tool_choice=self.te_tool_choice)
        return request, self.call(providers.astream, tab.credential_id, request)

    async def _show(self, tab_id: str, text: str, tools: str) -> None:
        live = await self.get_state(PlaygroundStreamState)
        live.live = {**live.live, tab_id: text}
        live.live_tools = {**live.live_tools, tab_id: tools}

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
            await self._show(tab_id, "", "")
            try:
                request, stream = self._start(tab)
            except DomainError as exc:
                self._out(tab_id, status="error", error=exc.message, metrics="", check="")
                return
            self._out(tab_id, status="streaming", error="", metrics="", check="", finish="")
        yield rx.call_script(f"window.pgLive && window.pgLive({json.dumps({tab_id: ''})}, true)")
        async for script in self._consume(tab_id, tab, request, stream):
            yield script

    async def _consume(self, tab_id: str, tab: Tab, request, stream):
        """Stream into the page: text goes as appended pieces by a small script into the pane's live
        element (no state delta, no re-render per flush); the whole answer lands in state at the end.
        The provider is read by a task of its own, so Stop (cancelling it) works even while the
        provider is silent and while this generator waits for the page."""
        text, calls, result, status, error = "", {}, None, "done", ""
        client, sent = self.router.session.client_token, 0
        queue: asyncio.Queue = asyncio.Queue()
        _TASKS[self._key(tab_id)] = asyncio.create_task(_read(stream, queue))
        try:
            while (event := await queue.get()) is not None:
                if event is _STOPPED:
                    status = "stopped"
                    break
                if isinstance(event, DomainError):
                    status, error = "error", event.message
                    break
                if isinstance(event, providers.TextDelta):
                    text += event.text
                elif isinstance(event, providers.ToolCallDelta):
                    _add_call(calls, event)
                    async with self:
                        await self._show(tab_id, "", json.dumps(list(calls.values())))
                elif isinstance(event, providers.Done):
                    result = event.result
                if len(text) > sent:
                    buffers = _BUFFERS.setdefault(client, {})
                    buffers[tab_id] = buffers.get(tab_id, "") + text[sent:]
                    script = self._publish(client, force=sent == 0)
                    sent = len(text)
                    if script is not None:
                        yield script
        finally:
            reader = _TASKS.pop(self._key(tab_id), None)
            if reader is not None and not reader.done():  # the page went away mid-answer
                reader.cancel()
            (_BUFFERS.get(client) or {}).pop(tab_id, None)
        await self._finish(tab_id, tab, request, text, calls, result, status, error)

    def _publish(self, client: str, force: bool = False):
        """The pieces of text every streaming tab of this browser tab received since the last
        send, as one script call, at most every ``FLUSH_S`` (the first token at once)."""
        now = time.monotonic()
        if not force and now - _FLUSHED_AT.get(client, 0.0) < FLUSH_S:
            return None
        _FLUSHED_AT[client] = now
        pieces = {k: v for k, v in (_BUFFERS.get(client) or {}).items() if v}
        if not pieces:
            return None
        _BUFFERS[client] = {k: "" for k in pieces}
        return rx.call_script(f"window.pgLive && window.pgLive({json.dumps(pieces)}, false)")

    async def _finish(self, tab_id, tab, request, text, calls, result, status, error) -> None:
        async with self:
            await self._show(tab_id, text, json.dumps(list(calls.values())) if calls else "")
            values = {"status": status, "error": error}
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
    async def append_answer(self, tab_id: str):
        """Add the tab's answer to the messages (and a message to continue with)."""
        live = await self.get_state(PlaygroundStreamState)
        text, tools = live.live.get(tab_id, ""), live.live_tools.get(tab_id, "")
        calls = json.loads(tools) if tools else []
        await self._show(tab_id, "", "")
        rows = [EditorMsg(f"a{time.time_ns()}", "assistant", text, [], "",
                          json.dumps(calls) if calls else "")]
        rows += [EditorMsg(f"t{time.time_ns()}{i}", "tool", "", [], c["id"]) for i, c in enumerate(calls)]
        if not calls:
            rows.append(EditorMsg(f"u{time.time_ns()}", "user", ""))
        self.te_messages = [*self.te_messages, *rows]
        self.outputs = {k: v for k, v in self.outputs.items() if k != tab_id}
        self.te_changed()
