"""The prompts list (``/prompts``): lineages with latest and default versions, tags, generations in
the last 7 days and the last change; search, tag filter, create (the editor) and delete."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.ui import confirm
from literal_app.state.prompts.library import PromptRow, PromptsState as S
from literal_app.state.session import can

HEADS = ["Name", "Latest", "Served by name", "Tags", "Generations (7 days)", "Last updated", "By", ""]


def _tag_chip(tag) -> rx.Component:
    return rx.badge(tag, variant="soft", size="1", class_name="tag-chip")


def _row(r: PromptRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.hstack(rx.link(r.name, href="/prompts/" + r.id, weight="medium", class_name="prompt-name"),
                                rx.cond(r.deleted, rx.badge("deleted by the SDK", color_scheme="orange", size="1")),
                                spacing="2", align="center")),
        rx.table.cell(r.latest),
        rx.table.cell(r.defaults),
        rx.table.cell(rx.flex(rx.foreach(r.tags, _tag_chip), spacing="1", wrap="wrap")),
        rx.table.cell(r.generations),
        rx.table.cell(r.updated),
        rx.table.cell(r.updated_by),
        rx.table.cell(rx.cond(can("prompts:write"), confirm(
            rx.icon_button(rx.icon("trash-2", size=14), size="1", variant="ghost", color_scheme="red",
                           aria_label="Delete " + r.name, title="Delete"),
            "Delete " + r.name + "?",
            "Its versions and rollout are deleted for good. Generations that used it keep their logged messages "
            "but lose the link to the prompt version. SDK calls to get_prompt for this name will fail.",
            "Delete prompt", S.delete(r.id)))),
        class_name="prompt-row",
    )


def _toolbar() -> rx.Component:
    return rx.hstack(
        rx.input(rx.input.slot(rx.icon("search", size=14)), placeholder="Search by name", default_value=S.search,
                 on_change=S.set_search.debounce(300), aria_label="Search prompts", width="280px", id="prompt-search"),
        rx.select.root(
            rx.select.trigger(placeholder="All tags", aria_label="Filter by tag"),
            rx.select.content(rx.select.item("All tags", value="all"),
                              rx.foreach(S.all_tags, lambda t: rx.select.item(t, value=t))),
            value=rx.cond(S.tag == "", "all", S.tag), on_change=S.set_tag),
        rx.spacer(),
        rx.cond(can("prompts:write"), rx.link(rx.button(rx.icon("plus", size=14), "New prompt"), href="/prompts/new")),
        width="100%", align="center", spacing="2",
    )


def _empty() -> rx.Component:
    return rx.table.row(rx.table.cell(
        rx.cond((S.search != "") | (S.tag != ""),
                rx.text("No prompt matches this search or tag.", color_scheme="gray", size="2"),
                rx.text("No prompts yet. Create one with “New prompt”, save one from the Playground, or let your "
                        "application create it with the SDK (client.api.get_or_create_prompt).",
                        color_scheme="gray", size="2")),
        col_span=len(HEADS)))


def _pager() -> rx.Component:
    return rx.hstack(
        rx.text(S.count_text, size="2", color_scheme="gray"),
        rx.button("Previous", size="1", variant="soft", disabled=S.offset == 0, on_click=S.previous_page),
        rx.button("Next", size="1", variant="soft", disabled=~S.has_next, on_click=S.next_page),
        spacing="2", align="center", justify="end", width="100%",
    )


@rx.page(route="/prompts", title="Prompts · literal_app", on_load=S.load)
def prompts_page() -> rx.Component:
    return layout(
        _toolbar(),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in HEADS])),
            rx.table.body(rx.cond(S.rows.length() == 0, _empty(), rx.foreach(S.rows, _row))),
            width="100%", variant="surface",
        ),
        _pager(),
        title="Prompts",
        scope="prompts:view",
    )
