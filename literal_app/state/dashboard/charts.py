"""Plotly figures for the dashboard cards, built from the service DTOs.

Figures have transparent backgrounds and a mid-gray font and grid, so they read on the light and
the dark theme alike (the page also switches plotly's template with the color mode). Every trace
carries a hover template with its unit; each title carries the card's total, which is what a user
(and the browser test) reads first.
"""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import plotly.io

from literal_app.services.dashboard import (
    CostCard,
    LatencyCard,
    NamedCount,
    ScoresCard,
    SeriesCard,
    VolumeCard,
)

PALETTE = ["#3e63dd", "#e5484d", "#30a46c", "#f76b15", "#8e4ec6", "#12a594", "#d6409f", "#978365", "#0090ff"]
_GRAY = "#8b8d98"
NO_FIGURE: dict[str, Any] = {"data": [], "layout": {}}  # what a card shows before the data arrives


def plain(fig: go.Figure) -> dict[str, Any]:
    """The figure as plotly's JSON (what Reflex would send for a ``go.Figure``), so state holds plain data."""
    return json.loads(plotly.io.to_json(fig))


def usd(value: float | None) -> str:
    """Dollars with enough digits for cheap generations: $12.35, $0.0059."""
    if value is None:
        return "–"
    if value == 0 or abs(value) >= 1:
        return f"${value:,.2f}"
    return f"${value:.4f}" if abs(value) >= 0.0001 else f"${value:.6f}"


def _base(title: str, *, y_title: str = "", height: int = 260, barmode: str | None = None) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "font": {"size": 14}}, height=height, margin={"l": 48, "r": 16, "t": 40, "b": 36},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", font={"color": _GRAY, "size": 11},
        legend={"orientation": "h", "y": -0.18}, hovermode="x unified", colorway=PALETTE,
        xaxis={"gridcolor": "rgba(139,141,152,0.15)"},
        yaxis={"gridcolor": "rgba(139,141,152,0.2)", "title": {"text": y_title}, "rangemode": "tozero"},
    )
    if barmode:
        fig.update_layout(barmode=barmode)
    return fig


def volume_figure(v: VolumeCard) -> go.Figure:
    t = v.totals
    fig = _base(f"Volume · {t['threads']:,} threads · {t['runs']:,} runs · {t['generations']:,} generations "
                f"· {t['feedback']:,} feedback scores", y_title="count")
    for name, values, unit in (("Threads", v.threads, "threads"), ("Runs", v.runs, "runs"),
                               ("Generations", v.generations, "generations"),
                               ("Feedback scores", v.feedback, "scores")):
        fig.add_scatter(x=v.days, y=values, name=name, mode="lines+markers",
                        hovertemplate=f"%{{y:,}} {unit}<extra>{name}</extra>")
    return fig


def tokens_figure(v: VolumeCard) -> go.Figure:
    t = v.totals
    fig = _base(f"Tokens · {t['input_tokens']:,} input · {t['output_tokens']:,} output", y_title="tokens",
                barmode="stack")
    fig.add_bar(x=v.days, y=v.input_tokens, name="Input", hovertemplate="%{y:,} input tokens<extra></extra>")
    fig.add_bar(x=v.days, y=v.output_tokens, name="Output", hovertemplate="%{y:,} output tokens<extra></extra>")
    return fig


def runs_figure(s: SeriesCard) -> go.Figure:
    total = sum(sum(v) for v in s.series.values())
    fig = _base(f"Runs per day by run name · {total:,} runs", y_title="runs", barmode="stack")
    for name, values in s.series.items():
        fig.add_bar(x=s.days, y=values, name=name, hovertemplate=f"%{{y:,}} runs<extra>{name}</extra>")
    return fig


def distribution_figure(title: str, items: list[NamedCount], unit: str) -> go.Figure:
    """A horizontal bar per name (tools, prompt versions), largest on top."""
    total = sum(i.count for i in items)
    fig = _base(f"{title} · {total:,} {unit}", height=max(200, 60 + 26 * len(items)))
    fig.update_layout(hovermode="closest", yaxis={"autorange": "reversed", "title": {"text": ""}})
    fig.add_bar(y=[i.name for i in items], x=[i.count for i in items], orientation="h",
                marker_color=PALETTE[0], hovertemplate=f"%{{y}}: %{{x:,}} {unit}<extra></extra>")
    return fig


def latency_figure(lat: LatencyCard, metric: str, label: str, unit: str) -> go.Figure:
    fig = _base(f"{label} ({unit}) · median and p95 · {lat.generations:,} generations", y_title=unit)
    fmt = ",.2f" if unit != "ms" else ",.0f"
    for q, values, dash in (("p50", lat.p50[metric], "solid"), ("p95", lat.p95[metric], "dot")):
        fig.add_scatter(x=lat.days, y=values, name=q, mode="lines+markers", line={"dash": dash},
                        connectgaps=False, hovertemplate=f"%{{y:{fmt}}} {unit}<extra>{q}</extra>")
    return fig


def cost_day_figure(c: CostCard) -> go.Figure:
    fig = _base(f"Cost per day · {usd(c.total)} total", y_title="USD")
    fig.add_bar(x=c.days, y=c.per_day, name="Cost", marker_color=PALETTE[2],
                hovertemplate="$%{y:,.4f}<extra>cost</extra>")
    return fig


def cost_model_figure(c: CostCard) -> go.Figure:
    fig = _base(f"Cost per model · {usd(sum(m.cost for m in c.per_model))}",
                height=max(200, 60 + 26 * len(c.per_model)))
    fig.update_layout(hovermode="closest", yaxis={"autorange": "reversed", "title": {"text": ""}})
    fig.add_bar(y=[m.name for m in c.per_model], x=[m.cost for m in c.per_model], orientation="h",
                marker_color=PALETTE[2], customdata=[m.count for m in c.per_model],
                hovertemplate="%{y}: $%{x:,.4f} over %{customdata:,} generations<extra></extra>")
    return fig


def scores_average_figure(s: ScoresCard) -> go.Figure:
    count = sum(x.count for x in s.series)
    fig = _base(f"Scores · average per day · {count:,} scores", y_title="average value")
    for x in s.series:
        name = f"{x.name} ({x.type})"
        fig.add_scatter(x=s.days, y=x.daily_average, name=name, mode="lines+markers", customdata=x.daily_count,
                        hovertemplate=f"average %{{y:.3f}} over %{{customdata}} scores<extra>{name}</extra>")
    return fig


def scores_distribution_figure(s: ScoresCard) -> go.Figure:
    count = sum(x.count for x in s.series)
    fig = _base(f"Scores · distribution · {count:,} scores", y_title="scores")
    fig.update_layout(hovermode="closest")
    for x in s.series:
        name = f"{x.name} ({x.type})"
        fig.add_bar(x=[f"{x.name}: {b}" for b in x.buckets], y=x.bucket_counts, name=name,
                    hovertemplate=f"%{{x}}: %{{y:,}} scores<extra>{name}</extra>")
    return fig


def online_evals_figure(points) -> go.Figure:
    """Online evaluation: each rule's average score per day (``rule_runs.SeriesPoint``s)."""
    fig = _base(f"Online evaluation · average score per day · {sum(p.count for p in points):,} scores",
                y_title="average score")
    for rule in sorted({p.series for p in points}):
        mine = [p for p in points if p.series == rule]
        fig.add_scatter(x=[p.bucket for p in mine], y=[p.average for p in mine], name=rule, mode="lines+markers",
                        customdata=[p.count for p in mine],
                        hovertemplate=f"average %{{y:.3f}} over %{{customdata}} runs<extra>{rule}</extra>")
    return fig
