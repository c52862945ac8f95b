"""The thread and step pages: header, conversation, span tree and waterfall, loaded a screen
at a time, with the step panel of ``panel.py``."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import reflex as rx

from literal_app.services.kernel.errors import DomainError, NotFound
from literal_app.services.logs import threads, traces
from literal_app.services.logs import waterfall as wf
from literal_app.state.fmt import when
from literal_app.state.logs.columns import money, seconds
from literal_app.state.logs.panel import StepPanelState, StepView
from literal_app.state.session import error_toast

# What the thread page loads at a time (the buttons under each list load the next batch): about
# a screen's worth and then some, so the first delta (and the first render) stays small on long
# threads; the services' own defaults are larger.
MESSAGES_SHOWN = 30


NODES_SHOWN = 100


@dataclass(frozen=True)
class TreeRow:
    id: str
    parent_id: str
    depth: int
    type: str
    name: str
    duration: str
    has_children: bool
    expanded: bool
    has_error: bool


@dataclass(frozen=True)
class MessageView:
    id: str
    role: str
    text: str
    at: str


@dataclass(frozen=True)
class SpanView:
    id: str
    name: str
    type: str
    depth: int
    left: float
    width: float
    duration: str
    has_error: bool


def _row(n: traces.StepNode, depth: int) -> TreeRow:
    return TreeRow(n.id, n.parent_id or "", depth, n.type, n.name or n.type, seconds(n.duration), n.child_count > 0,
                   False, n.has_error)


class TraceState(StepPanelState):
    """Shared by the thread page and the step page: header, tree, waterfall."""

    thread_id: str = ""
    title: str = ""
    facts: list[list[str]] = []
    tags: list[str] = []
    messages: list[MessageView] = []
    messages_next: int = -1
    nodes: list[TreeRow] = []
    tree_next: int = -1
    selected_id: str = ""
    spans: list[SpanView] = []
    gaps: list[float] = []
    waterfall_total: str = ""
    crumbs: list[list[str]] = []  # [label, href]
    not_found: str = ""

    def _route_id(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    @rx.event
    def open_thread(self):
        """on_load of /logs/threads/[thread_id]: the sign-in check, header, conversation and the tree's
        first level in one event (one delta); the first run's panel and waterfall follow."""
        if (stop := self.check_session()) is not None:
            return stop
        self.not_found, self.selected_id, self.spans, self.crumbs = "", "", [], []
        self.step = StepView()
        if not self.project_id:
            return None
        self.thread_id = self._route_id()
        try:
            self._header()
            page = self.call(traces.thread_messages, self.thread_id, limit=MESSAGES_SHOWN)
            self.messages = [MessageView(m.id, m.role, m.text, when(m.at, "")) for m in page.messages]
            self.messages_next = page.next_offset if page.next_offset is not None else -1
            tree = self.call(traces.thread_tree, self.thread_id, limit=NODES_SHOWN)
        except DomainError as exc:
            self.not_found = exc.message
            return None
        self.nodes = [_row(n, 0) for n in tree.nodes]
        self.tree_next = tree.next_offset if tree.next_offset is not None else -1
        first_run = next((n for n in self.nodes if n.type == "run"), self.nodes[0] if self.nodes else None)
        return TraceState.select(first_run.id) if first_run else None

    def _header(self) -> None:
        t = self.call(threads.get_thread, self.thread_id, with_steps=False)
        if t is None:
            raise NotFound("Thread not found.")
        self.title = t.name or t.id
        self.tags = list(t.tags or [])
        self.facts = [[k, v] for k, v in (("User", t.participant.identifier if t.participant else ""), ("Steps", f"{t.step_count:,}"),
                                          ("Tokens", f"{t.token_count:,}"), ("Cost", money(t.cost)),
                                          ("Duration", seconds(t.duration)), ("Environment", t.environment or ""),
                                          ("Started", when(t.start_time, ""))) if v]

    @rx.event
    def more_messages(self):
        page = self.call(traces.thread_messages, self.thread_id, offset=max(self.messages_next, 0),
                         limit=MESSAGES_SHOWN)
        self.messages.extend(MessageView(m.id, m.role, m.text, when(m.at, "")) for m in page.messages)
        self.messages_next = page.next_offset if page.next_offset is not None else -1

    @rx.event
    def more_nodes(self):
        tree = self.call(traces.thread_tree, self.thread_id, offset=max(self.tree_next, 0), limit=NODES_SHOWN)
        self.nodes = self._plain_nodes() + [_row(n, 0) for n in tree.nodes]
        self.tree_next = tree.next_offset if tree.next_offset is not None else -1

    def _plain_nodes(self) -> list[TreeRow]:
        """The tree rows as plain dataclasses (state hands out proxies)."""
        return [TreeRow(**{f.name: getattr(n, f.name) for f in fields(TreeRow)}) for n in self.nodes]

    def _index(self, node_id: str) -> int:
        return next((i for i, n in enumerate(self.nodes) if n.id == node_id), -1)

    @rx.event
    def toggle(self, node_id: str):
        i, nodes = self._index(node_id), self._plain_nodes()
        if i < 0 or not nodes[i].has_children:
            return None
        node = nodes[i]
        if node.expanded:  # drop the descendants that follow it
            end = i + 1
            while end < len(nodes) and nodes[end].depth > node.depth:
                end += 1
            self.nodes = nodes[:i] + [replace(node, expanded=False)] + nodes[end:]
            return None
        try:
            kids = self.call(traces.step_children, node_id)
        except DomainError as exc:
            return error_toast(exc)
        self.nodes = (nodes[:i] + [replace(node, expanded=True)]
                      + [_row(k, node.depth + 1) for k in kids.nodes] + nodes[i + 1:])
        return None

    @rx.event
    def select(self, node_id: str):
        try:
            self._select(node_id)
        except DomainError as exc:
            return error_toast(exc)
        return None

    def _select(self, node_id: str) -> None:
        self.selected_id = node_id
        self._show_step(node_id)
        self._waterfall(self.step.root_run_id or (node_id if self.step.type == "run" else ""))

    def _waterfall(self, run_id: str) -> None:
        if not run_id:
            self.spans, self.gaps, self.waterfall_total = [], [], ""
            return
        w = self.call(wf.run_waterfall, run_id)
        self.spans = [SpanView(s.id, s.name or s.type, s.type, s.depth, s.left, s.width, seconds(s.duration),
                               s.has_error) for s in w.spans]
        self.gaps, self.waterfall_total = w.gaps, seconds(w.total_seconds)

    @rx.event
    def key(self, key: str):
        """Arrow keys move through the visible nodes; right/left expand/collapse; enter opens."""
        i = self._index(self.selected_id)
        if not self.nodes:
            return None
        if key == "ArrowDown":
            return TraceState.select(self.nodes[min(i + 1, len(self.nodes) - 1)].id)
        if key == "ArrowUp":
            return TraceState.select(self.nodes[max(i - 1, 0)].id)
        if i < 0:
            return None
        node = self.nodes[i]
        if key == "ArrowRight" and node.has_children and not node.expanded:
            return TraceState.toggle(node.id)
        if key == "ArrowLeft":
            if node.expanded:
                return TraceState.toggle(node.id)
            if node.parent_id and self._index(node.parent_id) >= 0:
                return TraceState.select(node.parent_id)
        if key == "Enter":
            return rx.redirect(f"/logs/steps/{node.id}")
        return None

    @rx.event
    def open_step_page(self):
        """on_load of /logs/steps/[step_id]: the sign-in check, breadcrumbs, the panel and the run's
        waterfall, in one event (one delta)."""
        if (stop := self.check_session()) is not None:
            return stop
        self.not_found, self.nodes, self.messages = "", [], []
        if not self.project_id:
            return None
        step_id = self._route_id()
        try:
            path = self.call(traces.step_path, step_id)
            self._select(step_id)
        except DomainError as exc:
            self.not_found = exc.message
            return None
        self.thread_id = self.step.thread_id
        self.title = self.step.name
        self.crumbs = ([["Thread", f"/logs/threads/{self.thread_id}"]] if self.thread_id else []) + [
            [n.name or n.type, f"/logs/steps/{n.id}"] for n in path]
        return None
