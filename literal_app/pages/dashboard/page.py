"""``/dashboard``: the first page after sign-in. Filter bar, volume, latency, cost and score cards,
tables linking to the logs, and an empty state that shows how to send the first data."""

from __future__ import annotations

import plotly.graph_objects as go
import reflex as rx

from literal_app.components.layout import layout
from literal_app.state.dashboard import ALL, NOT_EVALUATION, PRESETS, Row
from literal_app.state.dashboard import DashboardState as S
from literal_app.state.session import guarded


def _select(label: str, value, options, on_change, all_label: str, first=()) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.select.root(
            rx.select.trigger(aria_label=label, min_width="140px"),
            rx.select.content(*[rx.select.item(text, value=v) for v, text in first],
                              rx.select.item(all_label, value=ALL),
                              rx.foreach(options, lambda o: rx.select.item(o, value=o))),
            value=value, on_change=on_change, size="2",
        ),
        spacing="1",
    )


def _filters() -> rx.Component:
    presets = rx.select.root(
        rx.select.trigger(aria_label="Date range", min_width="140px"),
        rx.select.content(*[rx.select.item(label, value=k) for k, (label, _) in PRESETS.items()],
                          rx.select.item("Custom dates", value="custom")),
        value=S.preset, on_change=S.set_preset, size="2",
    )
    return rx.flex(
        rx.vstack(rx.text("Date range", size="1", color_scheme="gray"), presets, spacing="1"),
        rx.vstack(rx.text("From", size="1", color_scheme="gray"),
                  rx.input(type="date", value=S.start, on_change=S.set_start, aria_label="Start date", size="2"),
                  spacing="1"),
        rx.vstack(rx.text("To", size="1", color_scheme="gray"),
                  rx.input(type="date", value=S.end, on_change=S.set_end, aria_label="End date", size="2"), spacing="1"),
        _select("Environment", S.environment, S.environments, S.set_environment, "All environments",
                first=[(NOT_EVALUATION, "All but evaluation (default)")]),
        _select("Model", S.model, S.models, S.set_model, "All models"),
        _select("Run name", S.run_name, S.run_names, S.set_run_name, "All runs"),
        _select("Tag", S.tag, S.tags, S.set_tag, "All tags"),
        rx.button("Reset filters", variant="soft", color_scheme="gray", on_click=S.reset_filters, size="2",
                  align_self="end"),
        wrap="wrap", spacing="3", align="end", class_name="dashboard-filters",
    )


def _chart(key: str) -> rx.Component:
    return rx.card(
        rx.plotly(data=getattr(S, f"fig_{key}").to(go.Figure), config={"displaylogo": False, "responsive": True},
                  width="100%", use_resize_handler=True),
        width="100%", class_name=f"chart chart-{key}", data_chart=key,
    )


def _grid(*children: rx.Component) -> rx.Component:
    return rx.grid(*children, columns=rx.breakpoints(initial="1", lg="2"), spacing="4", width="100%")


def _table(title: str, rows, headers: list[str], css: str) -> rx.Component:
    def row(r: Row) -> rx.Component:
        label = rx.cond(r.href != "", rx.link(r.label, href=r.href), rx.text(r.label))
        cells = [rx.table.cell(getattr(r, k)) for k in ("a", "b", "c")[: len(headers) - 1]]
        return rx.table.row(rx.table.cell(label), *cells, class_name=f"{css}-row")

    return rx.card(
        rx.vstack(
            rx.heading(title, size="3"),
            rx.cond(rows.length() == 0, rx.text("Nothing in this range.", size="2", color_scheme="gray"),
                    rx.table.root(rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                                  rx.table.body(rx.foreach(rows, row)), size="1", width="100%")),
            spacing="2", width="100%",
        ),
        width="100%", class_name=css,
    )


def _cost_header() -> rx.Component:
    return rx.hstack(
        rx.heading("Cost", size="4"), rx.text(S.cost_total, size="4", weight="bold", class_name="cost-total"),
        rx.badge(S.cost_badge, color_scheme=S.cost_badge_color, class_name="cost-badge", size="2"),
        align="center", spacing="3",
    )


def _empty_state() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("No data yet", size="4"),
            rx.text("Send your first run with the Literal AI SDK: create an API key under Settings → API keys, "
                    "then point the SDK at this server.", size="2"),
            rx.code_block(S.sdk_snippet, language="python", width="100%", class_name="dashboard-snippet"),
            rx.link("Create an API key", href="/settings/api-keys"),
            spacing="3", width="100%",
        ),
        width="100%", class_name="dashboard-empty",
    )


def _cards() -> rx.Component:
    return rx.vstack(
        rx.text(S.range_label, " · computed in ", S.server_ms, size="1", color_scheme="gray"),
        rx.heading("Volume", size="4"),
        _grid(_chart("volume"), _chart("tokens"), _chart("runs"), _chart("tools"), _chart("prompts"),
              _table("Most active users", S.users, ["User", "Threads", "Cost", "Tokens"], "active-users")),
        rx.heading("Latency", size="4"),
        _grid(_chart("duration"), _chart("ttft"), _chart("throughput"),
              _table("Slowest runs", S.slow_runs, ["Run", "Duration", "Started"], "slow-runs")),
        _cost_header(),
        _grid(_chart("cost_day"), _chart("cost_model"),
              _table("Costliest threads", S.threads, ["Thread", "Cost", "Tokens", "Created"], "costly-threads"),
              _table("Costliest users", S.costly_users, ["User", "Cost", "Threads"], "costly-users")),
        rx.heading("Scores", size="4"),
        _grid(_chart("scores_avg"), _chart("scores_dist"), _chart("online_evals")),
        rx.heading("Recent activity", size="4"),
        _grid(_table("Recent runs", S.recent_runs, ["Run", "Started", "Environment", "Status"], "recent-runs"),
              _table("Recent scores", S.recent_scores, ["Score", "Value", "Created"], "recent-scores")),
        spacing="4", width="100%",
    )


@rx.page(route="/dashboard", title="Dashboard · literal_app", on_load=guarded(S.load))
def dashboard_page() -> rx.Component:
    return layout(
        _filters(),
        rx.cond(~S.loaded, rx.center(rx.spinner(size="3"), padding="48px"),
                rx.cond(S.empty, _empty_state(), _cards())),
        title="Dashboard",
        scope="observability:read",
    )
