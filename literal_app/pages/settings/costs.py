"""Settings → LLM costs: the model price rules (regex on the model name, USD per million input and
output tokens, optional validity period), and the progress of the re-pricing each edit starts."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.ui import (
    TRUNCATE,
    confirm,
    empty_row,
    form_error,
    notice,
    section_card,
)
from literal_app.state.session import can, guarded
from literal_app.state.settings.costs import CostsState, RepricingRow, RuleRow


def _field(label: str, name: str, value, placeholder: str = "", type_: str = "text", width: str = "140px") -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.input(name=name, default_value=value, placeholder=placeholder, type=type_, aria_label=label,
                 width=width, key=CostsState.editing_id + name, id=f"cost-{name}"),
        spacing="1",
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.flex(
                _field("Model pattern (regex)", "pattern", CostsState.form_pattern, "gpt-4o(-mini)?", width="220px"),
                _field("Input USD / 1M tokens", "input", CostsState.form_input, "2.5"),
                _field("Output USD / 1M tokens", "output", CostsState.form_output, "10"),
                _field("Valid from", "valid_from", CostsState.form_from, type_="date"),
                _field("Valid until", "valid_to", CostsState.form_to, type_="date"),
                rx.button(rx.cond(CostsState.editing_id != "", "Save rule", "Add rule"), type="submit"),
                rx.cond(CostsState.editing_id != "", rx.button("Cancel", type="button", variant="soft",
                                                               color_scheme="gray", on_click=CostsState.cancel_edit)),
                wrap="wrap", spacing="3", align="end",
            ),
            form_error(CostsState.error),
            spacing="2", width="100%",
        ),
        on_submit=CostsState.save, reset_on_submit=False,
    )


def _rule(r: RuleRow) -> rx.Component:
    actions = rx.hstack(
        rx.button("Edit", size="1", variant="soft", on_click=CostsState.edit(r.id), aria_label="Edit " + r.pattern),
        confirm(rx.button("Delete", size="1", variant="soft", color_scheme="red", aria_label="Delete " + r.pattern),
                "Delete this cost rule?", "Generations it priced are re-priced by the remaining rules.",
                "Delete", CostsState.delete(r.id)),
        spacing="2",
    )
    return rx.table.row(
        rx.table.cell(rx.code(r.pattern)), rx.table.cell(r.input), rx.table.cell(r.output),
        rx.table.cell(r.valid_from), rx.table.cell(r.valid_to),
        rx.table.cell(rx.cond(can("secrets:write"), actions)),
        class_name="cost-rule-row",
    )


def _repricing(r: RepricingRow) -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.badge(r.status), rx.text(r.patterns, size="2", title=r.patterns, style=TRUNCATE), rx.spacer(),
                  rx.text(r.created, size="1", color_scheme="gray"), width="100%", align="center"),
        rx.progress(value=r.percent, max=100, width="100%"),
        rx.text(r.progress, size="1", color_scheme="gray"),
        spacing="1", width="100%", class_name="repricing-row",
    )


@rx.page(route="/settings/costs", title="LLM costs · literal_app", on_load=guarded(CostsState.load))
def costs_page() -> rx.Component:
    headers = ["Pattern", "Input $/1M", "Output $/1M", "From", "Until", ""]
    return layout(
        section_card(
            "Model cost rules",
            rx.cond(can("secrets:write"), _form(), notice("Only Admins and AI Engineers can change prices.")),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                rx.table.body(rx.cond(CostsState.rules.length() == 0, empty_row("No rules: generations are "
                                                                                "not priced.", 6),
                                      rx.foreach(CostsState.rules, _rule))),
                size="1", width="100%",
            ),
            rx.cond(can("secrets:write"), rx.button("Restore default prices", variant="soft", size="1",
                                                    on_click=CostsState.restore_defaults)),
            description="A rule prices the generations whose model name fully matches its pattern (case-"
                        "insensitive). A rule with a validity period wins over an open-ended one during its "
                        "period; otherwise the newest rule wins. Saving re-prices the matching generations.",
        ),
        section_card(
            "Re-pricing",
            rx.cond(CostsState.repricings.length() == 0, rx.text("No re-pricing yet.", size="2", color_scheme="gray"),
                    rx.vstack(rx.foreach(CostsState.repricings, _repricing), spacing="3", width="100%")),
        ),
        title="LLM costs",
        scope="secrets:read",
    )
