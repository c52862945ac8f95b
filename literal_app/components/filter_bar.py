"""The Logs filter bar: a date range with presets, full-text search and the filters a table
offers, bound to a ``dict[str, str]`` state var keyed by URL parameter names (the caller's state
writes them to the URL when applied, so a filtered view can be shared)."""

from __future__ import annotations

import reflex as rx

PERIOD_ITEMS = [("all", "All time"), ("1h", "Last hour"), ("24h", "Last 24 hours"), ("7d", "Last 7 days"),
                ("30d", "Last 30 days"), ("90d", "Last 90 days"), ("custom", "Custom range")]
LABELS = {
    "q": "Search input/output", "env": "Environment", "name": "Name", "tags": "Tags (comma-separated)",
    "user": "User", "model": "Model", "provider": "Provider", "type": "Type", "prompt": "Prompt version id",
    "dmin": "Min duration (s)", "dmax": "Max duration (s)", "tmin": "Min tokens", "tmax": "Max tokens",
    "cmin": "Min cost ($)", "cmax": "Max cost ($)", "score": "Score name", "smin": "Min score",
    "smax": "Max score", "mkey": "Metadata key", "mval": "Metadata value",
}
MAIN = {
    "threads": ["q", "env", "name", "tags", "user", "model"],
    "runs": ["q", "env", "name", "tags", "user", "model"],
    "generations": ["q", "env", "model", "provider", "tags", "user"],
    "steps": ["q", "env", "type", "name", "tags", "user"],
    "scores": ["q", "score", "type", "env", "model", "user"],
    "users": ["q"],
}
MORE = {
    "threads": ["dmin", "dmax", "tmin", "tmax", "cmin", "cmax", "score", "smin", "smax", "prompt", "mkey", "mval"],
    "runs": ["dmin", "dmax", "tmin", "tmax", "cmin", "cmax", "score", "smin", "smax", "prompt", "mkey", "mval"],
    "generations": ["name", "prompt", "dmin", "dmax", "tmin", "tmax", "cmin", "cmax", "score", "smin", "smax",
                    "mkey", "mval"],
    "steps": ["dmin", "dmax", "tmin", "tmax", "cmin", "cmax", "score", "smin", "smax", "mkey", "mval"],
    "scores": ["smin", "smax"],
    "users": [],
}
PLACEHOLDERS = {("scores", "q"): "Search comments", ("users", "q"): "Search identifiers",
                ("scores", "type"): "Type (HUMAN, AI, CODE)", ("steps", "type"): "Type (run, llm, tool…)"}
ERROR_TABLES = ("threads", "runs", "generations", "steps")


def _text_input(table: str, key: str, values: rx.Var, on_set, width: str = "170px") -> rx.Component:
    label = PLACEHOLDERS.get((table, key), LABELS[key])
    return rx.input(value=values[key], on_change=lambda v: on_set(key, v), placeholder=label,
                    aria_label=label, size="1", width=width, name=key)


def _period(values: rx.Var, on_period, on_set) -> rx.Component:
    return rx.hstack(
        rx.select.root(
            rx.select.trigger(aria_label="Date range", width="150px"),
            rx.select.content(*[rx.select.item(label, value=v) for v, label in PERIOD_ITEMS]),
            value=rx.cond(values["period"] == "", "all", values["period"]), on_change=on_period, size="1",
        ),
        rx.cond(values["period"] == "custom", rx.hstack(
            rx.input(type="date", value=values["from"], on_change=lambda v: on_set("from", v), size="1",
                     aria_label="From date"),
            rx.input(type="date", value=values["to"], on_change=lambda v: on_set("to", v), size="1",
                     aria_label="To date"),
            spacing="1")),
        spacing="1", align="center",
    )


def _error_select(values: rx.Var, on_set) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label="Errors", width="130px"),
        rx.select.content(rx.select.item("Any outcome", value="any"), rx.select.item("With error", value="yes"),
                          rx.select.item("Without error", value="no")),
        value=rx.cond(values["error"] == "", "any", values["error"]),
        on_change=lambda v: on_set("error", v), size="1",
    )


def filter_bar(table: str, *, values: rx.Var, on_set, on_period, on_apply, on_clear, more_open: rx.Var,
               on_toggle_more, filtered: rx.Var) -> rx.Component:
    """Inputs for ``table``'s filters; Enter or "Apply" runs ``on_apply``."""
    main = [_text_input(table, k, values, on_set, "230px" if k == "q" else "150px") for k in MAIN[table]]
    more = [_text_input(table, k, values, on_set, "140px") for k in MORE[table]]
    return rx.form(
        rx.vstack(
            rx.flex(
                _period(values, on_period, on_set), *main,
                *([_error_select(values, on_set)] if table in ERROR_TABLES else []),
                rx.button("Apply", type="submit", size="1"),
                *([rx.button(rx.icon("sliders-horizontal", size=14), "More filters", type="button", size="1",
                             variant="soft", on_click=on_toggle_more)] if MORE[table] else []),
                rx.cond(filtered, rx.button("Clear", type="button", size="1", variant="ghost", on_click=on_clear)),
                wrap="wrap", gap="2", align="center", width="100%",
            ),
            rx.cond(more_open, rx.flex(*more, wrap="wrap", gap="2", width="100%", class_name="more-filters")),
            spacing="2", width="100%",
        ),
        on_submit=on_apply, reset_on_submit=False, width="100%", class_name="filter-bar",
    )
