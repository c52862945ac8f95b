"""The waterfall of a run: every step under it placed on one time axis, with idle gaps (time when
no step was active, such as a user thinking between turns) compressed so the work stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlmodel import Session

from literal_app.models.tracing import Step
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import NotFound

MAX_SPANS = 2_000
GAP_SHARE = 0.04  # a compressed gap takes this share of the axis


@dataclass(frozen=True)
class Span:
    id: str
    parent_id: str | None
    depth: int
    type: str
    name: str | None
    duration: float  # seconds
    left: float  # percent of the axis
    width: float  # percent of the axis
    has_error: bool


@dataclass(frozen=True)
class Waterfall:
    run_id: str
    spans: list[Span]
    gaps: list[float]  # axis positions (percent) where an idle gap was compressed
    total_seconds: float
    truncated: bool


def compress_axis(intervals: list[tuple[float, float]], min_gap: float) -> tuple:
    """Map absolute seconds to a compressed axis.

    Returns ``(to_axis, length, gap_positions)``: ``to_axis(t)`` gives the compressed position,
    gaps longer than ``min_gap`` between busy periods shrink to ``min_gap``.
    """
    merged: list[list[float]] = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1] + min_gap:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    shifts: list[tuple[float, float]] = []  # (busy period start, removed seconds before it)
    removed, gaps = 0.0, []
    for i, (s, e) in enumerate(merged):
        if i:
            gap = s - merged[i - 1][1]
            removed += gap - min_gap
            gaps.append(merged[i - 1][1] - (removed - (gap - min_gap)) + min_gap / 2)
        shifts.append((s, removed))

    def to_axis(t: float) -> float:
        shift = 0.0
        for start, rem in shifts:
            if t >= start:
                shift = rem
            else:
                break
        return t - shift

    length = (merged[-1][1] - removed) if merged else 0.0
    return to_axis, length, gaps


def _seconds(t: datetime | None, origin: datetime) -> float:
    return (t - origin).total_seconds() if t else 0.0


def _preorder(rows: list, run_id: str) -> list[tuple]:
    """Rows in tree order (parent before children, siblings by start) with their depth."""
    ids = {r.id for r in rows}
    children: dict[str | None, list] = {}
    for r in rows:
        parent = r.parent_id if r.parent_id in ids and r.id != run_id else None
        children.setdefault(parent, []).append(r)
    out, stack = [], [(r, 0) for r in reversed(children.get(None, []))]
    while stack:
        r, depth = stack.pop()
        out.append((r, depth))
        stack += [(c, depth + 1) for c in reversed(children.get(r.id, []))]
    return out


def run_waterfall(session: Session, actor: Actor, run_id: str) -> Waterfall:
    """Spans of the run and its descendants (up to ``MAX_SPANS``) on a compressed time axis."""
    require(actor, "observability:read")
    cols = (Step.id, Step.parent_id, Step.type, Step.name, Step.start_time, Step.end_time, Step.error)
    rows = session.execute(
        select(*cols).where(Step.project_id == actor.project_id,
                            or_(Step.id == run_id, Step.root_run_id == run_id))
        .order_by(Step.start_time.is_(None), Step.start_time, Step.id).limit(MAX_SPANS + 1)).all()
    if not any(r.id == run_id for r in rows):
        raise NotFound("Run not found.")
    truncated = len(rows) > MAX_SPANS
    rows = [r for r in rows[:MAX_SPANS] if r.start_time]
    origin = min(r.start_time for r in rows) if rows else None
    if origin is None:
        return Waterfall(run_id, [], [], 0.0, truncated)
    rows = _preorder(rows, run_id)
    raw = [(_seconds(r.start_time, origin), _seconds(r.end_time or r.start_time, origin)) for r, _ in rows]
    total = max(e for _, e in raw)
    busy = [iv for (r, _), iv in zip(rows, raw) if r.id != run_id] or raw  # the run itself is not "work"
    to_axis, _, gaps = compress_axis(busy, max(total * GAP_SHARE, 0.001))
    length = max(to_axis(total), to_axis(max(e for _, e in busy))) or 1.0
    spans = []
    for (r, depth), (s, e) in zip(rows, raw):
        left = min(to_axis(s) / length * 100, 99.7)
        width = min(max((to_axis(e) - to_axis(s)) / length * 100, 0.3), 100 - left)
        spans.append(Span(r.id, r.parent_id, depth, r.type, r.name, round(e - s, 3), round(left, 2),
                          round(width, 2), r.error is not None))
    return Waterfall(run_id, spans, [round(g / length * 100, 2) for g in gaps], round(total, 3), truncated)
