"""View shaping for the prompt page: service DTOs into plain rows of strings (versions table,
rendered messages with highlighted variables, results table, diff) and the per-day plotly chart."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import plotly.graph_objects as go

from literal_app.services.prompts import prompt_diff, prompt_results
from literal_app.services.prompts.prompts import PromptVersionRead
from literal_app.state.dashboard.charts import PALETTE, plain, usd
from literal_app.state.fmt import when

_VAR = re.compile(r"(\{\{\{?[^}]+\}?\}\})")


@dataclass
class MessageView:
    role: str = ""
    parts: list[list[str]] = field(default_factory=list)  # [kind, text]: kind "text" | "var"


@dataclass
class VersionRow:
    id: str = ""
    version: int = 0
    label: str = ""
    author: str = ""
    created: str = ""
    changelog: str = ""
    rollout: str = ""
    tags: str = ""
    deprecated: bool = False
    generations: str = ""
    latency: str = ""
    cost: str = ""
    scores: list[str] = field(default_factory=list)  # one cell per score name
    logs_href: str = ""


@dataclass
class ResultRow:
    id: str = ""
    label: str = ""
    generations: str = ""
    latency: str = ""
    cost: str = ""
    tokens: str = ""
    scores: list[str] = field(default_factory=list)
    logs_href: str = ""


@dataclass
class DiffRow:
    kind: str = ""
    text: str = ""


def message_views(messages: list | None) -> list[MessageView]:
    """Template messages split into text and ``{{variable}}`` parts for highlighting."""
    out = []
    for m in messages or []:
        if not isinstance(m, dict):
            continue
        text = "\n".join(prompt_diff.message_lines([m])[1:])
        parts = [["var" if _VAR.fullmatch(p) else "text", p] for p in _VAR.split(text) if p]
        out.append(MessageView(str(m.get("role") or ""), parts))
    return out


def settings_rows(settings: dict | None) -> list[list[str]]:
    return [[k, v if isinstance(v, str) else json.dumps(v)] for k, v in sorted((settings or {}).items())
            if k != "response_format"]


def tools_text(v: PromptVersionRead | None) -> str:
    return json.dumps(v.tools, indent=2) if v and v.tools else ""


def seconds(e: prompt_results.Estimate, ci: bool = False) -> str:
    if e.mean is None:
        return "–"
    text = f"{e.mean:.2f} s"
    return text + (f" [{e.low:.2f}, {e.high:.2f}]" if ci and e.low is not None else "")


def score_cell(e: prompt_results.Estimate | None, ci: bool = False) -> str:
    if e is None or e.mean is None:
        return "–"
    if not ci:
        return f"{e.mean:.3g}"
    interval = f" [{e.low:.3g}, {e.high:.3g}]" if e.low is not None else ""
    return f"{e.mean:.3g}{interval} (n={e.n:,})"


def logs_href(version_id: str) -> str:
    return f"/logs/generations?prompt={version_id}"


def version_rows(versions: list[PromptVersionRead], authors: dict[str, str], rollout: list[tuple[int, float]],
                 results: prompt_results.PromptResults) -> list[VersionRow]:
    shares = dict(rollout)
    stats = {s.version_id: s for s in results.versions}
    rows = []
    for v in versions:
        s = stats.get(v.id)
        rows.append(VersionRow(
            v.id, v.version, f"v{v.version}", authors.get(v.created_by_id or "", "SDK" if not v.created_by_id else ""),
            when(v.created_at, ""), v.changelog or "", f"{shares[v.version]:g}%" if v.version in shares else "–",
            ", ".join(v.tags or []), v.deprecated, f"{s.generations:,}" if s else "0",
            seconds(s.latency) if s else "–", usd(s.total_cost) if s and s.generations else "–",
            [score_cell(s.scores.get(n)) if s else "–" for n in results.score_names], logs_href(v.id)))
    return rows


def result_rows(results: prompt_results.PromptResults) -> list[ResultRow]:
    """The comparison table: versions that have generations, newest first."""
    out = []
    for s in results.versions:
        if not s.generations:
            continue
        tokens = "–" if s.avg_tokens is None else (
            f"{s.avg_input_tokens or 0:,.0f} in / {s.avg_output_tokens or 0:,.0f} out")
        cost = "–" if s.avg_cost is None else f"{usd(s.avg_cost)} avg · {usd(s.total_cost)} total"
        out.append(ResultRow(s.version_id, f"v{s.version}", f"{s.generations:,}", seconds(s.latency, ci=True), cost,
                             tokens, [score_cell(s.scores.get(n), ci=True) for n in results.score_names],
                             logs_href(s.version_id)))
    return out


@lru_cache(maxsize=1)
def _daily_layout() -> str:
    """The chart's layout as plotly's JSON (its template included), built once: plotly's
    validation of a 20-version figure cost more than the page's queries."""
    fig = go.Figure()
    fig.update_layout(barmode="stack", height=260, margin={"l": 48, "r": 16, "t": 16, "b": 36},
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
                      font={"color": "#8b8d98", "size": 11}, legend={"orientation": "h", "y": -0.2},
                      yaxis={"title": {"text": "generations"}, "gridcolor": "rgba(139,141,152,0.2)"},
                      xaxis={"type": "date", "ticklabelstandoff": 8})  # the first date clears the y axis' 0
    return json.dumps(plain(fig)["layout"])


def daily_figure(results: prompt_results.PromptResults, today: date) -> dict:
    """Generations per day per version over the chart window, one stacked bar series per version
    (the JSON plotly would make of the same ``go.Figure``, written directly)."""
    days = [today - timedelta(days=i) for i in range(prompt_results.CHART_DAYS - 1, -1, -1)]
    x = [d.isoformat() for d in days]
    counts: dict[int, dict[date, int]] = {}
    for day, version, n in results.daily:
        counts.setdefault(version, {})[day] = n
    data = [{"hovertemplate": f"v{version}: %{{y:,}} generations<extra></extra>",
             "marker": {"color": PALETTE[i % len(PALETTE)]}, "name": f"v{version}", "x": list(x),
             "y": [counts[version].get(d, 0) for d in days], "type": "bar"}
            for i, version in enumerate(sorted(counts))]
    return {"data": data, "layout": json.loads(_daily_layout())}


def diff_rows(lines: list[prompt_diff.DiffLine]) -> list[DiffRow]:
    return [DiffRow(line.kind, line.text) for line in lines]
