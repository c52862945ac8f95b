"""One experiment: live progress while it runs (done / failed / remaining, ETA; cancel), then per
item the input, expected and actual output with a word diff, each score with its reason, latency,
cost and trace link; sort by any score; each score's aggregate (mean, 95% CI, count) and its
distribution chart; re-run."""

from __future__ import annotations

import asyncio
import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import reflex as rx

from literal_app.services.datasets import experiment_runs, experiment_views
from literal_app.services.kernel.errors import DomainError
from literal_app.state.dashboard.charts import plain
from literal_app.state.datasets.dataset import short
from literal_app.state.session import SessionState, error_toast

PAGE = 50
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Segment:
    kind: str  # same | added | removed
    text: str


@dataclass(frozen=True)
class ScoreCell:
    name: str
    value: str
    reason: str


@dataclass(frozen=True)
class ResultRow:
    id: str
    number: int
    input: str
    expected: str
    actual: str
    diff: list[Segment]
    scores: list[ScoreCell]
    status: str
    error: str
    latency: str
    cost: str
    step_id: str


@dataclass(frozen=True)
class AggregateRow:
    name: str
    mean: str
    ci: str
    count: int


def text_of(value: Any) -> str:
    if isinstance(value, dict) and isinstance(value.get("content"), str):
        return value["content"]
    if isinstance(value, dict) and len(value) == 1 and isinstance(next(iter(value.values())), str):
        return next(iter(value.values()))
    return value if isinstance(value, str) else ("" if value is None else json.dumps(value, ensure_ascii=False))


def word_diff(expected: str, actual: str) -> list[Segment]:
    """Expected -> actual, word by word (removed words, then added ones)."""
    a, b = re.findall(r"\S+\s*", expected), re.findall(r"\S+\s*", actual)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Segment("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Segment("removed", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(Segment("added", "".join(b[j1:j2])))
    return out


def result_row(i: experiment_views.ItemResult) -> ResultRow:
    expected, actual = text_of(i.expected_output), text_of(i.output)
    return ResultRow(i.id, i.position + 1, short(i.input), expected[:2000], actual[:2000],
                     word_diff(expected[:2000], actual[:2000]) if i.status == "done" else [],
                     [ScoreCell(s.name, f"{s.value:.3g}", s.reason) for s in i.scores], i.status, i.error or "",
                     f"{i.latency_ms:,.0f} ms" if i.latency_ms is not None else "—",
                     f"${i.cost:.5f}" if i.cost is not None else "—", i.step_id or "")


def _figure(name: str, buckets: list[tuple[float, float, int]]) -> dict:
    """A histogram on a numeric axis (a few ticks, not one label per bucket: they overlapped), its
    size fixed so the charts sit side by side without overflowing the page."""
    fig = go.Figure(go.Bar(x=[(lo + hi) / 2 for lo, hi, _ in buckets], y=[c for _, _, c in buckets],
                           width=[max(hi - lo, 1e-9) * 0.92 for lo, hi, _ in buckets],
                           customdata=[f"{lo:.3g}–{hi:.3g}" for lo, hi, _ in buckets], marker_color="#3e63dd",
                           hovertemplate="%{customdata}: %{y} items<extra></extra>"))
    fig.update_layout(title=name, width=300, height=220, autosize=False, margin=dict(l=30, r=10, t=36, b=30),
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", font=dict(color="#8b8d98", size=11),
                      xaxis=dict(nticks=6, tickformat=".2g"), yaxis=dict(nticks=4))
    return plain(fig)


class ExperimentState(SessionState):
    experiment_id: str = ""
    name: str = ""
    status: str = ""
    dataset_id: str = ""
    dataset: str = ""
    model: str = ""
    params: str = ""
    server_run: bool = False
    total: int = 0
    done: int = 0
    failed: int = 0
    remaining: int = 0
    eta: str = ""
    rows: list[ResultRow] = []
    aggregates: list[AggregateRow] = []
    charts: list[dict] = []
    score_names: list[str] = []
    sort: str = ""
    offset: int = 0
    total_rows: int = 0
    watching: bool = False

    @rx.var
    def percent(self) -> int:
        return int(100 * (self.done + self.failed) / self.total) if self.total else 0

    @rx.var
    def active(self) -> bool:
        return self.status in ("queued", "running")

    @rx.event
    def load(self):
        self.experiment_id = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.sort, self.offset = "", 0
        if not self.project_id:
            return None
        stop = self._fill()
        return stop if stop is not None else (ExperimentState.watch if self.active else None)

    def _progress(self, p: experiment_runs.Progress | None = None) -> None:
        p = p or self.call(experiment_runs.get_progress, self.experiment_id)
        self.status, self.total, self.done, self.failed, self.remaining = p.status, p.total, p.done, p.failed, p.remaining
        self.eta = f"about {p.eta_seconds:,.0f} s left" if p.eta_seconds is not None and p.remaining else ""

    def _fill(self):
        try:
            d = self.call(experiment_views.get_detail, self.experiment_id)
            self._progress()
        except DomainError as exc:
            return error_toast(exc)
        s = d.summary
        self.name, self.dataset_id, self.dataset, self.model = s.name, s.dataset_id or "", s.dataset_name, s.model
        self.params, self.server_run = json.dumps(s.params, sort_keys=True) if s.params else "", s.source == "server"
        self.score_names = sorted(d.aggregates)
        self.aggregates = [AggregateRow(n, f"{a.mean:.4g}" if a.mean is not None else "—",
                                        f"[{a.low:.3g}, {a.high:.3g}]" if a.low is not None else "—", a.count)
                           for n, a in sorted(d.aggregates.items())]
        self.charts = [_figure(n, d.distributions[n]) for n in self.score_names if d.distributions.get(n)]
        items = d.items
        if self.sort:
            name, _, direction = self.sort.partition(":")
            scored = [i for i in items if i.score(name) is not None]
            rest = [i for i in items if i.score(name) is None]
            items = sorted(scored, key=lambda i: i.score(name), reverse=direction == "desc") + rest
        self.total_rows = len(items)
        self.rows = [result_row(i) for i in items[self.offset:self.offset + PAGE]]
        return None

    @rx.event(background=True)
    async def watch(self):
        """Poll progress every second while the experiment runs; load the results when it ends."""
        async with self:
            if self.watching:
                return
            self.watching = True
        try:
            while True:
                await asyncio.sleep(POLL_SECONDS)
                try:
                    p = await asyncio.to_thread(self.call, experiment_runs.get_progress, self.experiment_id)
                except DomainError:
                    return
                async with self:
                    self._progress(p)
                    if not self.active:
                        self._fill()
                        return
                    if self.done % 10 == 0 or self.remaining < 10:
                        self._fill()
        finally:
            async with self:
                self.watching = False

    @rx.event
    def sort_by(self, value: str):
        self.sort, self.offset = value, 0
        return self._fill()

    @rx.event
    def page(self, delta: int):
        self.offset = max(0, min(self.offset + delta * PAGE, max(self.total_rows - 1, 0)))
        return self._fill()

    @rx.event
    def cancel(self):
        try:
            n = self.call(experiment_runs.cancel_experiment, self.experiment_id)
        except DomainError as exc:
            return error_toast(exc)
        self._fill()
        return rx.toast.success(f"Cancelled: {n} pending item(s) will not run.")

    @rx.event
    def rerun(self):
        try:
            again = self.call(experiment_runs.rerun_experiment, self.experiment_id)
        except DomainError as exc:
            return error_toast(exc)
        return rx.redirect(f"/experiments/{again.id}")
