"""The Logs filter bar: one row (date range, search, the table's two main filters, Apply, "More
filters" and any trailing controls such as the column chooser), the other filters in the "More
filters" popover, and the applied filters as removable chips under it. Bound to a
``dict[str, str]`` state var keyed by URL parameter names (the caller's state writes them to the
URL when applied, so a filtered view can be shared)."""

from __future__ import annotations

import reflex as rx

from literal_app.components.ui import TRUNCATE

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
    "threads": ["q", "tags", "user"],
    "runs": ["q", "name", "tags"],
    "generations": ["q", "model", "tags"],
    "steps": ["q", "type", "name"],
    "scores": ["q", "score", "tags"],
    "users": ["q"],
}
MORE = {
    "threads": ["env", "name", "model", "dmin", "dmax", "tmin", "tmax", "cmin", "cmax", "score", "smin", "smax",
                "prompt", "mkey", "mval"],
    "runs": ["env", "user", "model", "dmin", "dmax", "tmin", "tmax", "cmin", "cmax", "score", "smin", "smax",
             "prompt", "mkey", "mval"],
    "generations": ["env", "provider", "user", "name", "prompt", "dmin", "dmax", "tmin", "tmax", "cmin", "cmax",
                    "score", "smin", "smax", "mkey", "mval"],
    "steps": ["env", "tags", "user", "dmin", "dmax", "tmin", "tmax", "cmin", "cmax", "score", "smin", "smax",
              "mkey", "mval"],
    "scores": ["type", "env", "model", "user", "smin", "smax"],
    "users": [],
}
PLACEHOLDERS = {("scores", "q"): "Search comments", ("users", "q"): "Search identifiers",
                ("scores", "type"): "Score type (HUMAN, AI, CODE)", ("steps", "type"): "Type (run, llm, tool…)"}
ERROR_TABLES = ("threads", "runs", "generations", "steps")
TARGETS = [("any", "Any target"), ("generation", "On generations"), ("run", "On runs"),
           ("thread", "On threads (messages)"), ("step", "On other steps")]

BAR_STYLE = {
    "& .filter-row": {"display": "flex", "flex_wrap": "nowrap", "gap": "8px", "align_items": "center",
                      "width": "100%", "min_width": "0"},
    "& .filter-row .grow": {"flex": "1 1 160px", "min_width": "120px"},
    "& .filter-chip": {"display": "inline-flex", "align_items": "center", "gap": "4px"},
}


def _text_input(table: str, key: str, values: rx.Var, on_set, width: str = "130px", grow: bool = False):
    label = PLACEHOLDERS.get((table, key), LABELS[key])
    return rx.input(value=values[key], on_change=lambda v: on_set(key, v), placeholder=label,
                    aria_label=label, size="1", name=key, **({"class_name": "grow"} if grow else {"width": width}))


def _period(values: rx.Var, on_period, on_set) -> rx.Component:
    return rx.hstack(
        rx.select.root(
            rx.select.trigger(aria_label="Date range", width="130px"),
            rx.select.content(*[rx.select.item(label, value=v) for v, label in PERIOD_ITEMS]),
            value=rx.cond(values["period"] == "", "all", values["period"]), on_change=on_period, size="1",
        ),
        rx.cond(values["period"] == "custom", rx.hstack(
            rx.input(type="date", value=values["from"], on_change=lambda v: on_set("from", v), size="1",
                     aria_label="From date"),
            rx.input(type="date", value=values["to"], on_change=lambda v: on_set("to", v), size="1",
                     aria_label="To date"),
            spacing="1")),
        spacing="1", align="center", flex_shrink="0",
    )


def _select(key: str, label: str, items: list[tuple[str, str]], values: rx.Var, on_set) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, width="100%"),
        rx.select.content(*[rx.select.item(text, value=v) for v, text in items]),
        value=rx.cond(values[key] == "", items[0][0], values[key]), on_change=lambda v: on_set(key, v), size="1",
    )


def filter_fields(table: str, keys: list[str], values: rx.Var, on_set, labelled: bool = False) -> list[rx.Component]:
    """The inputs of ``keys`` (URL parameter names) as the Logs show them, the errors and score
    target pickers first: the "More filters" popover, and (``labelled``: a visible label above each,
    for a form kept on screen) the Logs filters of an online-eval rule."""
    fields = [(PLACEHOLDERS.get((table, k), LABELS[k]), _text_input(table, k, values, on_set, "100%")) for k in keys]
    if table in ERROR_TABLES:
        fields.insert(0, ("Errors", _select("error", "Errors", [("any", "Any outcome"), ("yes", "With error"),
                                                                ("no", "Without error")], values, on_set)))
    if table == "scores":
        fields.insert(0, ("Score target", _select("target", "Score target", TARGETS, values, on_set)))
    if not labelled:
        return [control for _, control in fields]
    return [rx.vstack(rx.text(label, size="1", color_scheme="gray"), control, spacing="1", width="100%")
            for label, control in fields]


def _more(table: str, values: rx.Var, on_set, on_apply, more_open: rx.Var, on_toggle_more) -> rx.Component:
    fields = filter_fields(table, MORE[table], values, on_set)
    hidden_active = sum((rx.cond(values[k] != "", 1, 0) for k in MORE[table]), rx.Var.create(0))
    return rx.popover.root(
        rx.popover.trigger(rx.button(
            rx.icon("sliders-horizontal", size=14), "More filters",
            rx.cond(hidden_active > 0, rx.badge(hidden_active.to(str), size="1", radius="full")),
            type="button", size="1", variant="soft", flex_shrink="0")),
        rx.popover.content(
            rx.vstack(
                rx.grid(*fields, columns="2", spacing="2", width="100%", class_name="more-filters"),
                rx.hstack(rx.popover.close(rx.button("Close", size="1", variant="soft", color_scheme="gray",
                                                     type="button")),
                          rx.popover.close(rx.button("Apply filters", size="1", type="button", on_click=on_apply)),
                          justify="end", width="100%"),
                spacing="3", width="420px"),
            align="end"),
        open=more_open, on_open_change=lambda _v: on_toggle_more(),
    )


def _chip(c, on_remove) -> rx.Component:
    return rx.badge(
        rx.text(c[1] + ": ", weight="medium"), rx.text(c[2], max_width="220px", title=c[2], style=TRUNCATE),
        rx.icon_button(rx.icon("x", size=10), size="1", variant="ghost", type="button",
                       on_click=on_remove(c[0]), aria_label="Remove filter " + c[1]),
        variant="soft", size="2", class_name="filter-chip", radius="full",
    )


def filter_bar(table: str, *, values: rx.Var, on_set, on_period, on_apply, on_clear, more_open: rx.Var,
               on_toggle_more, filtered: rx.Var, chips: rx.Var | None = None, on_remove=None,
               trailing: rx.Component | None = None) -> rx.Component:
    """Inputs for ``table``'s filters; Enter or "Apply" runs ``on_apply``. ``chips`` are the applied
    filters as [key, label, value]; ``on_remove(key)`` clears one."""
    main = [_text_input(table, k, values, on_set, grow=(k == "q")) for k in MAIN[table]]
    row = rx.el.div(
        _period(values, on_period, on_set), *main,
        rx.button("Apply", type="submit", size="1", flex_shrink="0"),
        *([_more(table, values, on_set, on_apply, more_open, on_toggle_more)] if MORE[table] else []),
        rx.spacer(),
        trailing or rx.fragment(),
        class_name="filter-row",
    )
    chip_row = rx.cond(filtered & (chips is not None), rx.flex(
        rx.foreach(chips, lambda c: _chip(c, on_remove)) if chips is not None else rx.fragment(),
        rx.button("Clear all", type="button", size="1", variant="ghost", on_click=on_clear),
        wrap="wrap", spacing="2", align="center", class_name="filter-chips")) if chips is not None else rx.fragment()
    return rx.form(
        rx.vstack(row, chip_row, spacing="2", width="100%"),
        on_submit=on_apply, reset_on_submit=False, width="100%", class_name="filter-bar", style=BAR_STYLE,
    )
