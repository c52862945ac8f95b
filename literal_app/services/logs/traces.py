"""A thread as the detail page shows it: its header, the conversation, and the tree of runs and
steps loaded one level at a time (threads can hold thousands of steps; only visible nodes load).

Node queries read narrow columns and short previews computed in SQL, never whole inputs/outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlmodel import Session

from literal_app.models.tracing import Step, Thread
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import NotFound
from literal_app.services.kernel.scoping import owned

NODE_PAGE = 200
MESSAGE_PAGE = 100
MESSAGE_CHARS = 4_000
PREVIEW_CHARS = 160
MESSAGE_TYPES = ("user_message", "assistant_message", "system_message")


@dataclass(frozen=True)
class StepNode:
    """One row of the span tree: enough to draw it, nothing heavy."""

    id: str
    parent_id: str | None
    type: str
    name: str | None
    start_time: datetime | None
    end_time: datetime | None
    duration: float | None
    child_count: int
    has_error: bool
    model: str | None
    token_count: int | None
    cost: float | None
    preview: str


@dataclass(frozen=True)
class NodePage:
    nodes: list[StepNode]
    next_offset: int | None


@dataclass(frozen=True)
class ChatMessage:
    id: str
    role: str  # user | assistant | system
    name: str | None
    text: str
    truncated: bool
    at: datetime | None


@dataclass(frozen=True)
class MessagePage:
    messages: list[ChatMessage]
    next_offset: int | None


def _thread(session: Session, actor: Actor, thread_id: str) -> Thread:
    t = owned(session, Thread, thread_id, actor, "Thread not found.")
    return t


def _text_of(col: Any, chars: int) -> Any:
    """SQL: the ``content`` of a message-like JSON value, else the JSON itself, cut to ``chars``."""
    content = col["content"].as_string()
    return func.substr(func.coalesce(content, cast(col, String)), 1, chars)


def _node_columns():
    out_preview = _text_of(Step.output, PREVIEW_CHARS)
    in_preview = _text_of(Step.input, PREVIEW_CHARS)
    return (Step.id, Step.parent_id, Step.type, Step.name, Step.start_time, Step.end_time, Step.duration,
            Step.error.is_not(None).label("has_error"), Step.model, Step.token_count, Step.cost,
            out_preview.label("out_preview"), in_preview.label("in_preview"))


def _nodes(session: Session, project_id: str, where: list, offset: int, limit: int) -> NodePage:
    limit = max(1, min(limit, 1000))
    rows = session.execute(
        select(*_node_columns()).where(Step.project_id == project_id, *where)
        .order_by(Step.start_time.is_(None), Step.start_time, Step.id).offset(offset).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [r.id for r in rows]
    counts = dict(session.execute(
        select(Step.parent_id, func.count()).where(Step.project_id == project_id, Step.parent_id.in_(ids))
        .group_by(Step.parent_id)).all()) if ids else {}
    nodes = [StepNode(r.id, r.parent_id, r.type, r.name, r.start_time, r.end_time, r.duration,
                      counts.get(r.id, 0), bool(r.has_error), r.model, r.token_count, r.cost,
                      _clean(r.out_preview) or _clean(r.in_preview)) for r in rows]
    return NodePage(nodes, offset + limit if more else None)


def _clean(text: str | None) -> str:
    """One-line preview; JSON ``null`` (a missing value stored as JSON) reads as empty."""
    return "" if text in (None, "null") else " ".join(text.split())


def _top_level() -> Any:
    """SQL: a step without a parent, written so SQLite does not pick the parent index for it: its
    statistics make "parent_id IS NULL" look selective, and a thread's first tree page then walked
    every top-level step of the project (~1.5 s at 1M steps); the (thread, start) index is the one."""
    return func.coalesce(Step.parent_id, "") == ""


def thread_tree(session: Session, actor: Actor, thread_id: str, *, offset: int = 0,
                limit: int = NODE_PAGE) -> NodePage:
    """The thread's top-level steps (no parent), in time order, one page at a time."""
    require(actor, "observability:read")
    _thread(session, actor, thread_id)
    return _nodes(session, actor.project_id, [Step.thread_id == thread_id, _top_level()],
                  offset, limit)


def step_children(session: Session, actor: Actor, step_id: str, *, offset: int = 0,
                  limit: int = NODE_PAGE) -> NodePage:
    """The direct children of a step (expanding a tree node)."""
    require(actor, "observability:read")
    return _nodes(session, actor.project_id, [Step.parent_id == step_id], offset, limit)


def step_path(session: Session, actor: Actor, step_id: str) -> list[StepNode]:
    """The ancestors of a step, root first, then the step (breadcrumbs, tree auto-expansion)."""
    require(actor, "observability:read")
    chain: list[StepNode] = []
    current: str | None = step_id
    while current and len(chain) < 100:
        page = _nodes(session, actor.project_id, [Step.id == current], 0, 1)
        if not page.nodes:
            break
        chain.append(page.nodes[0])
        current = page.nodes[0].parent_id
    if not chain:
        raise NotFound("Step not found.")
    return list(reversed(chain))


def thread_messages(session: Session, actor: Actor, thread_id: str, *, offset: int = 0,
                    limit: int = MESSAGE_PAGE) -> MessagePage:
    """The conversation: message steps in time order, each cut to a readable length.

    Threads logged without message steps show their top-level runs as question/answer pairs.
    """
    require(actor, "observability:read")
    _thread(session, actor, thread_id)
    where = [Step.project_id == actor.project_id, Step.thread_id == thread_id, Step.type.in_(MESSAGE_TYPES)]
    has_messages = session.execute(select(Step.id).where(*where).limit(1)).first() is not None
    if not has_messages:
        where = [Step.project_id == actor.project_id, Step.thread_id == thread_id, _top_level()]
    body = func.coalesce(_text_of(Step.output, MESSAGE_CHARS + 1), _text_of(Step.input, MESSAGE_CHARS + 1))
    limit = max(1, min(limit, 500))
    rows = session.execute(
        select(Step.id, Step.type, Step.name, Step.start_time, body.label("body"),
               _text_of(Step.input, MESSAGE_CHARS + 1).label("inp"))
        .where(*where).order_by(Step.start_time.is_(None), Step.start_time, Step.id)
        .offset(offset).limit(limit + 1)).all()
    more = len(rows) > limit
    out: list[ChatMessage] = []
    for r in rows[:limit]:
        if has_messages:
            role = r.type.split("_")[0]
            out.append(_message(r.id, role, r.name, r.body, r.start_time))
        else:  # a run: its input as the user's turn, its output as the answer
            out.append(_message(f"{r.id}:in", "user", None, r.inp, r.start_time))
            out.append(_message(r.id, "assistant", r.name, r.body, r.start_time))
    return MessagePage(out, offset + limit if more else None)


def _message(id: str, role: str, name: str | None, body: str | None, at) -> ChatMessage:
    body = "" if body in (None, "null") else body
    truncated = len(body) > MESSAGE_CHARS
    return ChatMessage(id, role, name, body[:MESSAGE_CHARS] + ("…" if truncated else ""), truncated, at)


__all__ = ["ThreadDetail", "StepNode", "NodePage", "ChatMessage", "MessagePage", "get_thread", "thread_tree",
           "step_children", "step_path", "thread_messages"]
