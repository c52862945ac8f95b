"""Settings → Team: members and roles. Admins add people by email (new people get a one-time
invite link), change roles and remove members; other roles see the list read-only."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.ui import (
    choice,
    confirm,
    form_error,
    notice,
    secret_box,
    section_card,
)
from literal_app.state.session import can, guarded
from literal_app.state.settings.team import ROLE_CHOICES, TeamRow, TeamState


def _add_form() -> rx.Component:
    return section_card(
        "Add a member",
        rx.form(
            rx.vstack(
                rx.hstack(
                    rx.input(name="email", id="add-member-email", placeholder="email@example.com", width="260px",
                             aria_label="Email"),
                    rx.input(name="name", id="add-member-name", placeholder="Name (for new people)", width="200px",
                             aria_label="Name"),
                    choice(ROLE_CHOICES, "Role", name="role", default_value="AI Engineer"),
                    rx.button("Add member", type="submit"),
                    spacing="2", wrap="wrap", align="center",
                ),
                form_error(TeamState.error),
                spacing="2",
            ),
            on_submit=TeamState.add,
        ),
        rx.cond(TeamState.invite_link != "", rx.vstack(
            rx.callout(rx.text(TeamState.invite_for, " has no account yet. Send them this link: it lets them "
                               "choose a password, works once and expires in 7 days."),
                       icon="mail", color_scheme="blue", width="100%"),
            secret_box(TeamState.invite_link, "No email is sent: share the link yourself."),
            spacing="2", width="100%",
        )),
        description="People who already have an account join at once; new people get an invite link.",
    )


def _role_cell(r: TeamRow) -> rx.Component:
    return rx.cond(
        can("project:write"),
        choice(ROLE_CHOICES, "Role of " + r.email, value=r.role, size="1",
               on_change=lambda v: TeamState.change_role(r.membership_id, v)),
        rx.text(r.role),
    )


def _actions(r: TeamRow) -> rx.Component:
    return rx.cond(can("project:write"), rx.hstack(
        rx.cond(r.pending, rx.button("Invite link", size="1", variant="soft",
                                     on_click=TeamState.reinvite(r.membership_id))),
        confirm(rx.button("Remove", size="1", variant="soft", color_scheme="red"),
                "Remove this member?", r.email + " loses access to this project (their account stays).",
                "Remove", TeamState.remove(r.membership_id)),
        spacing="2",
    ))


def _row(r: TeamRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r.name),
        rx.table.cell(r.email, class_name="member-email"),
        rx.table.cell(_role_cell(r)),
        rx.table.cell(rx.cond(r.pending, rx.badge("invited", color_scheme="amber"), rx.badge("active"))),
        rx.table.cell(r.added),
        rx.table.cell(_actions(r)),
        class_name="team-row",
    )


@rx.page(route="/settings/team", title="Team · literal_app", on_load=guarded(TeamState.load))
def team_page() -> rx.Component:
    heads = ["Name", "Email", "Role", "Status", "Added", ""]
    return layout(
        rx.cond(can("project:write"), _add_form(), notice("Only Admins can add members or change roles.")),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in heads])),
            rx.table.body(rx.foreach(TeamState.rows, _row)),
            width="100%", variant="surface",
        ),
        title="Team",
        scope="project:read",
    )
