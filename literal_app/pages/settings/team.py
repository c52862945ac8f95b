"""Settings → Team: members and roles. Admins add people by email (new people get a one-time
invite link), change roles and remove members; other roles see the list read-only."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from literal_app.auth.rbac import role_label
from literal_app.components.layout import layout
from literal_app.components.ui import choice, confirm, form_error, notice, secret_box, section_card
from literal_app.config import get_settings
from literal_app.pages.fmt import when
from literal_app.services import team
from literal_app.services.errors import DomainError
from literal_app.state.session import SessionState, can, error_toast, guarded

ROLE_CHOICES = ["Admin", "AI Engineer", "Domain Expert"]


@dataclass(frozen=True)
class TeamRow:
    membership_id: str
    name: str
    email: str
    role: str
    pending: bool
    added: str


def invite_url(token: str) -> str:
    return f"{get_settings().base_url}/invite/{token}"


class TeamState(SessionState):
    rows: list[TeamRow] = []
    error: str = ""
    invite_link: str = ""
    invite_for: str = ""

    @rx.event
    def load(self):
        self.error = self.invite_link = self.invite_for = ""
        return self._refresh() if self.project_id else []

    def _refresh(self) -> list:
        try:
            members = self.call(team.list_team)
        except DomainError as exc:
            return [error_toast(exc)]
        self.rows = [TeamRow(m.membership_id, m.name, m.email, role_label(m.role), m.pending_invite,
                             when(m.added_at)) for m in members]
        return []

    @rx.event
    def add(self, form: dict):
        try:
            row, token = self.call(team.add_member, email=form.get("email", ""),
                                   role=form.get("role") or "AI Engineer", name=form.get("name") or None)
        except DomainError as exc:
            self.error = exc.message
            return None
        self.error = ""
        self.invite_link, self.invite_for = (invite_url(token), row.email) if token else ("", "")
        done = rx.toast.success(f"{row.email} added as {role_label(row.role)}.")
        return [*self._refresh(), done, rx.set_value("add-member-email", ""), rx.set_value("add-member-name", "")]

    @rx.event
    def change_role(self, membership_id: str, role: str):
        try:
            self.call(team.change_role, membership_id, role)
        except DomainError as exc:
            return [*self._refresh(), error_toast(exc)]
        return [*self._refresh(), rx.toast.success(f"Role changed to {role}.")]

    @rx.event
    def remove(self, membership_id: str):
        try:
            self.call(team.remove_member, membership_id)
        except DomainError as exc:
            return error_toast(exc)
        return [*self._refresh(), rx.toast.success("Member removed from the project.")]

    @rx.event
    def reinvite(self, membership_id: str):
        row = next((r for r in self.rows if r.membership_id == membership_id), None)
        try:
            token = self.call(team.new_invite, membership_id)
        except DomainError as exc:
            return error_toast(exc)
        self.invite_link, self.invite_for = invite_url(token), row.email if row else ""
        return None


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
