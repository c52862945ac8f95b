"""Plain views of the review page: the score-schema controls and the item in its context."""

from __future__ import annotations

from dataclasses import dataclass

from literal_app.services.annotation.review import ItemContext
from literal_app.services.evaluation.score_schemas import ScoreSchemaRead
from literal_app.state.fmt import when
from literal_app.state.logs.columns import seconds


@dataclass(frozen=True)
class SchemaControl:
    """One score schema as a control: categorical (buttons, number keys) or continuous."""

    id: str
    name: str
    kind: str  # categorical | continuous
    description: str
    options: list[list[str]]  # [label, number key, value]
    low: float
    high: float
    step: float


@dataclass(frozen=True)
class MessageView:
    id: str
    role: str
    text: str
    at: str


@dataclass(frozen=True)
class NodeView:
    id: str
    name: str
    type: str
    duration: str
    children: str


@dataclass(frozen=True)
class DatasetOption:
    id: str
    name: str


def control(s: ScoreSchemaRead) -> SchemaControl:
    options = [[c.label, str(i + 1) if i < 9 else "", f"{c.value:g}"] for i, c in enumerate(s.categories)]
    low = s.min_value if s.min_value is not None else 0.0
    high = s.max_value if s.max_value is not None else 1.0
    step = 1.0 if high - low >= 10 and float(low).is_integer() and float(high).is_integer() else (high - low) / 100 or 0.01
    return SchemaControl(s.id, s.name, s.type, s.description, options, low, high, step)


def messages(ctx: ItemContext) -> list[MessageView]:
    return [MessageView(m.id, m.role, m.text, when(m.at, "")) for m in ctx.messages]


def nodes(ctx: ItemContext) -> list[NodeView]:
    return [NodeView(n.id, n.name or n.type, n.type, seconds(n.duration),
                     f"{n.child_count} sub-step{'s' if n.child_count != 1 else ''}" if n.child_count else "")
            for n in ctx.tree]


def given_values(ctx: ItemContext, member_id: str) -> tuple[dict[str, str], str]:
    """The reviewer's earlier answers on this item (a re-review): schema id -> label or value, comment."""
    values, comment = {}, ""
    for s in ctx.given:
        if s.created_by_id == member_id and s.score_schema_id:
            values[s.score_schema_id] = s.label or f"{s.value:g}"
            comment = comment or (s.comment or "")
    return values, comment
