"""Columns of each Logs table and the formatting of service rows into the strings the browser
holds (state keeps only what is on screen: one page of short, formatted cells)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from literal_app.services.logs.log_rows import LogRow
from literal_app.state.fmt import when


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    sort: str = ""  # engine order name when the column sorts
    wide: bool = False


@dataclass(frozen=True)
class RowView:
    id: str
    href: str
    cells: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    has_error: bool = False


COLUMNS: dict[str, list[Column]] = {
    "threads": [Column("name", "Name"), Column("participant", "User"), Column("input", "First input", wide=True),
                Column("output", "Last output", wide=True), Column("tags", "Tags"), Column("scores", "Scores"),
                Column("steps", "Steps", "stepCount"), Column("tokens", "Tokens", "tokenCount"),
                Column("cost", "Cost", "cost"), Column("duration", "Duration"), Column("environment", "Env"),
                Column("created", "Created", "createdAt")],
    "runs": [Column("name", "Name"), Column("input", "Input", wide=True), Column("output", "Output", wide=True),
             Column("duration", "Duration", "duration"), Column("tokens", "Tokens", "tokenCount"),
             Column("cost", "Cost", "cost"), Column("scores", "Scores"), Column("tags", "Tags"),
             Column("created", "Created", "createdAt")],
    "generations": [Column("model", "Model"), Column("provider", "Provider"), Column("prompt", "Prompt"),
                    Column("input", "Input (last message)", wide=True), Column("output", "Output", wide=True),
                    Column("tool_calls", "Tool calls"), Column("tokens_io", "Tokens in/out", "tokenCount"),
                    Column("ttft", "TTFT", "ttft"), Column("throughput", "Tok/s", "throughput"),
                    Column("cost", "Cost", "cost"), Column("duration", "Duration", "duration"),
                    Column("scores", "Scores"), Column("created", "Created", "createdAt")],
    "steps": [Column("type", "Type"), Column("name", "Name"), Column("input", "Input", wide=True),
              Column("output", "Output", wide=True), Column("duration", "Duration", "duration"),
              Column("tokens", "Tokens", "tokenCount"), Column("cost", "Cost", "cost"), Column("tags", "Tags"),
              Column("created", "Created", "createdAt")],
    "scores": [Column("name", "Name"), Column("score_type", "Type"), Column("value", "Value", "value"),
               Column("label", "Label"), Column("comment", "Comment", wide=True), Column("target", "Target log"),
               Column("created_by", "Created by"), Column("created", "Created", "createdAt")],
    "users": [Column("participant", "Identifier"), Column("metadata", "Metadata", wide=True),
              Column("steps", "Threads", "threadCount"), Column("tokens", "Tokens", "tokenCount"),
              Column("cost", "Cost", "cost"), Column("created", "First seen", "createdAt"),
              Column("last_engaged", "Last engaged", "lastEngaged")],
}


def seconds(v: float | None) -> str:
    if v is None:
        return ""
    if v < 1:
        return f"{v * 1000:.0f} ms"
    if v < 120:
        return f"{v:.2f} s"
    return f"{v / 60:.1f} min" if v < 7200 else f"{v / 3600:.1f} h"


def money(v: float | None) -> str:
    if v is None:
        return ""
    return f"${v:.4f}" if v < 1 else f"${v:,.2f}"


def count(v: int | None) -> str:
    return "" if v is None else f"{v:,}"


def _cell(r: LogRow, key: str) -> str:
    simple = {
        "name": r.name, "participant": r.participant, "input": r.input, "output": r.output, "scores": r.scores,
        "environment": r.environment, "model": r.model, "provider": r.provider, "prompt": r.prompt,
        "type": r.step_type, "label": r.label, "comment": r.comment, "created_by": r.created_by,
        "score_type": r.score_type, "metadata": r.metadata, "tags": ", ".join(r.tags),
    }
    if key in simple:
        return simple[key] or ""
    return {
        "steps": count(r.steps), "tokens": count(r.tokens), "cost": money(r.cost), "duration": seconds(r.duration),
        "created": when(r.created_at, ""), "last_engaged": when(r.last_engaged, "never"),
        "tool_calls": str(r.tool_calls) if r.tool_calls else "",
        "tokens_io": f"{count(r.tokens_in)} / {count(r.tokens_out)}" if r.tokens_in is not None else count(r.tokens),
        "ttft": f"{r.ttft:.0f} ms" if r.ttft is not None else "",
        "throughput": f"{r.throughput:.1f}" if r.throughput is not None else "",
        "value": f"{r.value:g}" if r.value is not None else "",
        "target": f"{r.step_type} {r.input}".strip(),
    }.get(key, "")


def href_of(table: str, r: LogRow) -> str:
    if table == "threads":
        return f"/logs/threads/{r.id}"
    if table == "scores":
        return f"/logs/steps/{r.root_run_id}" if r.root_run_id else ""
    if table == "users":
        return f"/logs/threads/?{urlencode({'user': r.participant})}"
    return f"/logs/steps/{r.id}"


def to_view(table: str, r: LogRow) -> RowView:
    return RowView(r.id, href_of(table, r), [_cell(r, c.key) for c in COLUMNS[table]], list(r.tags), r.has_error)
