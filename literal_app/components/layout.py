"""The page frame: a sidebar (project switcher, nav sections, the signed-in member, theme and
sign-out) beside the page's content. Every signed-in page returns ``layout(...)``."""

from __future__ import annotations

import reflex as rx

from literal_app.components.nav import NavItem, sections
from literal_app.components.ui import form_error
from literal_app.state.session import ProjectOption, SessionState, can

SIDEBAR_WIDTH = "240px"


def _nav_link(item: NavItem) -> rx.Component:
    path = SessionState.router.url.path
    active = (path == item.route) | (path == item.route + "/")
    return rx.cond(
        can(item.scope),
        rx.link(
            rx.hstack(rx.icon(item.icon, size=16), rx.text(item.label, size="2"), align="center", spacing="2"),
            href=item.route, underline="none", color_scheme="gray", high_contrast=True,
            class_name="nav-link", data_active=rx.cond(active, "true", "false"),
            padding="6px 10px", border_radius="6px", width="100%",
            background=rx.cond(active, rx.color("accent", 4), "transparent"),
        ),
    )


def _nav() -> rx.Component:
    groups = []
    for title, items in sections():
        scopes = {i.scope for i in items}
        visible = can(scopes.pop())
        for s in scopes:
            visible = visible | can(s)
        groups.append(rx.cond(visible, rx.vstack(
            rx.text(title, size="1", weight="bold", color_scheme="gray", padding_left="10px"),
            *[_nav_link(i) for i in items],
            spacing="1", width="100%",
        )))
    return rx.el.nav(rx.vstack(*groups, spacing="4", width="100%"), aria_label="Main", style={"width": "100%"})


def _project_item(p: ProjectOption) -> rx.Component:
    return rx.select.item(p.name, value=p.id)


def new_project_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.icon_button(rx.icon("plus", size=16), variant="soft", size="2",
                                         aria_label="New project", title="New project")),
        rx.dialog.content(
            rx.dialog.title("New project"),
            rx.dialog.description("You become its Admin. Logs, prompts and datasets are kept per project.",
                                   size="2"),
            rx.form(
                rx.vstack(
                    rx.input(name="name", placeholder="Project name", id="new-project-name", width="100%"),
                    form_error(SessionState.project_form_error),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                        rx.button("Create project", type="submit"),
                        justify="end", spacing="3", width="100%",
                    ),
                    spacing="3", margin_top="12px",
                ),
                on_submit=SessionState.create_project,
            ),
            max_width="420px",
        ),
        open=SessionState.project_dialog_open,
        on_open_change=SessionState.set_project_dialog_open,
    )


def _project_switcher() -> rx.Component:
    return rx.hstack(
        rx.box(rx.select.root(
            rx.select.trigger(placeholder="No project", width="100%", aria_label="Project"),
            rx.select.content(rx.foreach(SessionState.projects, _project_item)),
            value=SessionState.project_id,
            on_change=SessionState.switch_project,
            size="2",
        ), flex="1", min_width="0"),
        new_project_dialog(),
        width="100%", spacing="2", align="center", class_name="project-switcher",
    )


def _member_box() -> rx.Component:
    return rx.vstack(
        rx.separator(),
        rx.hstack(
            rx.avatar(fallback=SessionState.member_name[:1], size="2", radius="full"),
            rx.vstack(
                rx.text(SessionState.member_name, size="2", weight="medium", class_name="member-name"),
                rx.text(SessionState.role_label, size="1", color_scheme="gray", class_name="member-role"),
                spacing="0", min_width="0",
            ),
            align="center", spacing="2", width="100%",
        ),
        rx.hstack(
            rx.color_mode.button(size="2", variant="soft", aria_label="Toggle light/dark theme"),
            rx.button(rx.icon("log-out", size=14), "Sign out", variant="soft", color_scheme="gray",
                      size="2", on_click=SessionState.sign_out),
            spacing="2", width="100%",
        ),
        spacing="3", width="100%",
    )


def sidebar() -> rx.Component:
    return rx.vstack(
        rx.link(rx.heading("literal_app", size="4", as_="div"), href="/", underline="none", high_contrast=True),
        _project_switcher(),
        rx.box(_nav(), flex="1", width="100%", overflow_y="auto"),
        _member_box(),
        width=SIDEBAR_WIDTH, min_width=SIDEBAR_WIDTH, height="100vh", position="sticky", top="0",
        padding="16px 12px", spacing="4",
        border_right=f"1px solid {rx.color('gray', 5)}", background=rx.color("gray", 2),
    )


def _no_project() -> rx.Component:
    return rx.callout("You are not part of any project yet. Create one with the + button beside the "
                      "project switcher, or ask an Admin to add you to theirs.", icon="info")


def _no_access(scope: str) -> rx.Component:
    return rx.callout(rx.text("Your role (", SessionState.role_label, ") cannot open this page."),
                      icon="lock", color_scheme="amber", class_name="no-access", data_scope=scope)


def layout(*children: rx.Component, title: str | rx.Var[str], scope: str = "project:read",
           actions: rx.Component | None = None) -> rx.Component:
    """A signed-in page: ``children`` are shown once the member is loaded, a project is chosen and
    their role grants ``scope``; otherwise a readable notice is shown instead."""
    content = rx.cond(
        ~SessionState.signed_in,
        rx.center(rx.spinner(size="3"), padding="64px"),
        rx.cond(SessionState.project_id == "", _no_project(),
                rx.cond(can(scope), rx.vstack(*children, spacing="4", width="100%"), _no_access(scope))),
    )
    return rx.hstack(
        sidebar(),
        rx.box(
            rx.vstack(
                rx.hstack(rx.heading(title, size="6"), rx.spacer(), actions or rx.fragment(),
                          width="100%", align="center"),
                content,
                spacing="5", width="100%", max_width="1120px",
            ),
            flex="1", min_width="0", padding="24px 32px",
        ),
        spacing="0", align="start", width="100%", min_height="100vh",
    )
