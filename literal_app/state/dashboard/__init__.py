"""State of the dashboard page: the filter (remembered per browser in localStorage), the figures
and the tables of the cards, all plain data built from the service DTOs.

The figures are held as plotly's JSON (plain dicts), not ``go.Figure`` objects: Reflex builds
every state of the app when a tab connects (whatever the page), deep-copying each default value,
and twelve empty ``go.Figure`` defaults made that cost ~0.3 s on every page load."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from literal_app.config import get_settings
from literal_app.services import dashboard as dash
from literal_app.services.dashboard import Dashboard, DashboardFilter
from literal_app.services.kernel.errors import DomainError
from literal_app.services.evaluation import rule_runs
from literal_app.state.dashboard import charts
from literal_app.state.fmt import when
from literal_app.state.session import SessionState, error_toast

ALL = "all"
NOT_EVALUATION = "!evaluation"  # the default: every environment but LLM-as-judge calls
PRESETS = {"1d": ("Today", 1), "7d": ("Last 7 days", 7), "30d": ("Last 30 days", 30), "90d": ("Last 90 days", 90)}


@dataclass(frozen=True)
class Row:
    """A table line: a label with a link, and up to three figures already formatted."""

    label: str
    href: str
    a: str = ""
    b: str = ""
    c: str = ""


def _threads_of(identifier: str) -> str:
    """The logs' thread list filtered on one participant (the logs pages' own link format)."""
    return "/logs/threads/?" + urlencode({"user": identifier})


class DashboardState(SessionState):
    preset: str = rx.LocalStorage("30d", name="dash_preset")
    start: str = rx.LocalStorage("", name="dash_start")
    end: str = rx.LocalStorage("", name="dash_end")
    environment: str = rx.LocalStorage(NOT_EVALUATION, name="dash_env")
    model: str = rx.LocalStorage(ALL, name="dash_model")
    run_name: str = rx.LocalStorage(ALL, name="dash_run")
    tag: str = rx.LocalStorage(ALL, name="dash_tag")

    loaded: bool = False
    empty: bool = False
    environments: list[str] = []
    models: list[str] = []
    run_names: list[str] = []
    tags: list[str] = []
    range_label: str = ""
    cost_total: str = ""
    cost_badge: str = ""
    cost_badge_color: str = "gray"
    server_ms: str = ""
    fig_volume: dict[str, Any] = charts.NO_FIGURE
    fig_tokens: dict[str, Any] = charts.NO_FIGURE
    fig_runs: dict[str, Any] = charts.NO_FIGURE
    fig_tools: dict[str, Any] = charts.NO_FIGURE
    fig_prompts: dict[str, Any] = charts.NO_FIGURE
    fig_duration: dict[str, Any] = charts.NO_FIGURE
    fig_ttft: dict[str, Any] = charts.NO_FIGURE
    fig_throughput: dict[str, Any] = charts.NO_FIGURE
    fig_cost_day: dict[str, Any] = charts.NO_FIGURE
    fig_cost_model: dict[str, Any] = charts.NO_FIGURE
    fig_scores_avg: dict[str, Any] = charts.NO_FIGURE
    fig_scores_dist: dict[str, Any] = charts.NO_FIGURE
    fig_online_evals: dict[str, Any] = charts.NO_FIGURE
    users: list[Row] = []
    costly_users: list[Row] = []
    threads: list[Row] = []
    slow_runs: list[Row] = []
    recent_runs: list[Row] = []
    recent_scores: list[Row] = []

    def _filter(self) -> DashboardFilter:
        pick = lambda v: None if v in ("", ALL) else v  # noqa: E731
        kw = dict(environment=pick(self.environment), model=pick(self.model), run_name=pick(self.run_name),
                  tags=(self.tag,) if pick(self.tag) else ())
        if self.preset == "custom":
            try:
                return DashboardFilter(date.fromisoformat(self.start), date.fromisoformat(self.end), **kw)
            except ValueError:
                self.preset = "30d"
        return DashboardFilter.last_days(PRESETS.get(self.preset, PRESETS["30d"])[1], **kw)

    @rx.event
    def load(self):
        if not self.project_id:
            return None
        try:
            f = self._filter()
            self.empty = not self.call(dash.has_data)
            opts = self.call(dash.filter_options)
            board = None if self.empty else self.call(dash.load_dashboard, f)
        except DomainError as exc:
            return error_toast(exc)
        self.environments, self.models, self.run_names, self.tags = (
            opts.environments, opts.models, opts.run_names, opts.tags)
        if self.preset != "custom":
            self.start, self.end = f.start.isoformat(), f.end.isoformat()
        self.range_label = f"{f.start.isoformat()} → {f.end.isoformat()} (UTC)"
        if board is not None:
            self._show(board)
        self.loaded = True
        return None

    def _show(self, b: Dashboard) -> None:
        c = b.cost
        figures = {
            "volume": charts.volume_figure(b.volume), "tokens": charts.tokens_figure(b.volume),
            "runs": charts.runs_figure(b.runs_by_name),
            "tools": charts.distribution_figure("Tool calls", b.tool_calls, "calls"),
            "prompts": charts.distribution_figure("Prompt versions", b.prompt_versions, "generations"),
            "duration": charts.latency_figure(b.latency, "duration", "Generation duration", "s"),
            "ttft": charts.latency_figure(b.latency, "ttft", "Time to first token", "ms"),
            "throughput": charts.latency_figure(b.latency, "throughput", "Token throughput", "tokens/s"),
            "cost_day": charts.cost_day_figure(c), "cost_model": charts.cost_model_figure(c),
            "scores_avg": charts.scores_average_figure(b.scores),
            "scores_dist": charts.scores_distribution_figure(b.scores),
            "online_evals": charts.online_evals_figure(self.call(rule_runs.online_scores_over_time,
                                                                 b.filter.start, b.filter.end)),
        }
        for key, fig in figures.items():
            setattr(self, f"fig_{key}", charts.plain(fig))
        days = len(b.filter.days)
        self.cost_total = charts.usd(c.total)
        if c.change_pct is None:
            self.cost_badge, self.cost_badge_color = f"no cost in the previous {days} days", "gray"
        else:
            arrow = "▲" if c.change_pct >= 0 else "▼"
            self.cost_badge = f"{arrow} {abs(c.change_pct):.1f}% vs previous {days} days ({charts.usd(c.previous_total)})"
            self.cost_badge_color = "red" if c.change_pct > 0 else "green"
        self.users = [Row(u.name, _threads_of(u.name), f"{u.count:,}", charts.usd(u.cost), f"{u.tokens:,}")
                      for u in b.active_users]
        self.costly_users = [Row(u.name, _threads_of(u.name), charts.usd(u.cost), f"{u.count:,}")
                             for u in b.costly_users]
        self.threads = [Row(t.name, f"/logs/threads/{t.id}", charts.usd(t.cost), f"{t.tokens:,}", when(t.created_at))
                        for t in b.costly_threads]
        self.slow_runs = [Row(r.name, f"/logs/steps/{r.id}", f"{r.duration:,.2f} s", when(r.created_at))
                          for r in b.slowest_runs]
        self.recent_runs = [Row(r.name, f"/logs/steps/{r.id}", when(r.created_at), r.environment or "",
                                "error" if r.error else "") for r in b.recent_runs]
        self.recent_scores = [Row(f"{s.name} ({s.type})", f"/logs/steps/{s.step_id}" if s.step_id else "",
                                  s.label or f"{s.value:g}", when(s.created_at)) for s in b.recent_scores]
        self.server_ms = f"{sum(b.timings_ms.values()):.0f} ms"

    def _set(self, field: str, value: str):
        setattr(self, field, value)
        return DashboardState.load

    @rx.event
    def set_preset(self, value: str):
        return self._set("preset", value)

    @rx.event
    def set_start(self, value: str):
        self.preset = "custom"
        return self._set("start", value)

    @rx.event
    def set_end(self, value: str):
        self.preset = "custom"
        return self._set("end", value)

    @rx.event
    def set_environment(self, value: str):
        return self._set("environment", value)

    @rx.event
    def set_model(self, value: str):
        return self._set("model", value)

    @rx.event
    def set_run_name(self, value: str):
        return self._set("run_name", value)

    @rx.event
    def set_tag(self, value: str):
        return self._set("tag", value)

    @rx.event
    def reset_filters(self):
        self.preset, self.environment, self.model, self.run_name, self.tag = "30d", NOT_EVALUATION, ALL, ALL, ALL
        return DashboardState.load

    @rx.var
    def sdk_snippet(self) -> str:
        return ("pip install literalai\n\nfrom literalai import LiteralClient\n\n"
                f'client = LiteralClient(api_key="<a key from Settings → API keys>", url="{get_settings().base_url}")\n'
                "client.instrument_openai()  # every OpenAI call is now logged\n\n"
                '@client.run\ndef answer(question: str) -> str:\n    ...\n\nanswer("Hello")\nclient.flush_and_stop()')
