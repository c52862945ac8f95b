"""One prompt (``/prompts/<lineage id>``): the default version, versions table with results, diff,
A/B rollout with history, tags, "Open in playground", "With code", new version and delete."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.ui import confirm
from literal_app.pages.prompts import sections
from literal_app.state.prompts.detail import PromptState as S
from literal_app.state.session import can


def _tags() -> rx.Component:
    return rx.hstack(
        rx.foreach(S.tags, lambda t: rx.badge(t, rx.cond(can("prompts:write"), rx.icon(
            "x", size=12, cursor="pointer", on_click=S.remove_tag(t), aria_label="Remove tag " + t)),
            variant="soft", size="2", class_name="tag-chip")),
        rx.cond(can("prompts:write"), rx.form(rx.input(name="tag", id="new-prompt-tag", placeholder="Add a tag",
                                                       size="1", width="120px", aria_label="Add a tag"),
                                              on_submit=S.add_tag)),
        spacing="2", align="center", wrap="wrap",
    )


def _toolbar() -> rx.Component:
    return rx.hstack(
        rx.link(rx.hstack(rx.icon("arrow-left", size=14), "Prompts", spacing="1", align="center"), href="/prompts",
                size="2", white_space="nowrap"),
        _tags(),
        rx.cond(S.deleted_via_api, rx.badge("deleted by the SDK", color_scheme="orange")),
        rx.spacer(),
        rx.cond(can("prompts:read"), rx.link(rx.button(rx.icon("flask-conical", size=14), "Open in playground",
                                                       variant="soft", size="2"),
                                             href="/playground?prompt_version=" + S.shown_id)),
        sections.code_dialog(),
        rx.cond(can("prompts:write"), rx.link(rx.button(rx.icon("git-branch-plus", size=14), "New version", size="2"),
                                              href="/prompts/" + S.lineage_id + "/new-version")),
        rx.cond(can("prompts:write"), confirm(
            rx.button(rx.icon("trash-2", size=14), "Delete", variant="soft", color_scheme="red", size="2"),
            "Delete " + S.name + "?",
            "Its versions and rollout are deleted for good. Generations that used it keep their logged messages but "
            "lose the link to the prompt version. SDK calls to get_prompt for this name will fail.",
            "Delete prompt", S.delete)),
        width="100%", align="center", spacing="3", wrap="wrap",
    )


@rx.page(route="/prompts/[lineage_id]", title="Prompt · literal_app", on_load=S.load)
def prompt_page() -> rx.Component:
    return layout(
        rx.cond(S.not_found != "", rx.callout(S.not_found, icon="triangle_alert", color_scheme="red", role="alert"),
                rx.fragment(
                    _toolbar(),
                    rx.grid(sections.version_card(), rx.vstack(sections.chart_card(), sections.rollout_card(),
                                                               width="100%", spacing="4"),
                            columns="minmax(0, 1fr) minmax(0, 1fr)", spacing="4", width="100%", align_items="start"),
                    sections.versions_table(),
                    sections.diff_card(),
                    sections.results_card(),
                )),
        title=rx.cond(S.name != "", S.name, "Prompt"),
        scope="prompts:view",
    )
