"""Public pages: first-run setup, sign-in and invite acceptance (no layout, no guard)."""

from __future__ import annotations

import reflex as rx

from literal_app.components.ui import form_error, secret_box
from literal_app.state.auth import InviteState, LoginState, SetupState


def _card(title: str, subtitle: str | rx.Var[str], *children: rx.Component, width: str = "400px") -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.heading("literal_app", size="3", color_scheme="gray"),
                rx.heading(title, size="6"),
                rx.text(subtitle, size="2", color_scheme="gray"),
                *children,
                spacing="4", width="100%",
            ),
            width=width, max_width="94vw", size="3",
        ),
        min_height="100vh", padding="24px",
        background=rx.color("gray", 2),
    )


def _field(label: str, name: str, type_: str = "text", placeholder: str = "", **props) -> rx.Component:
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=name),
        rx.input(name=name, id=name, type=type_, placeholder=placeholder, width="100%", size="3", **props),
        spacing="1", width="100%",
    )


@rx.page(route="/login", title="Sign in · literal_app", on_load=LoginState.check)
def login_page() -> rx.Component:
    return _card(
        "Sign in", "Use the email and password of your account.",
        rx.form(
            rx.vstack(
                _field("Email", "email", "email", "you@example.com", auto_focus=True),
                _field("Password", "password", "password", auto_complete="current-password"),
                form_error(LoginState.error),
                rx.button("Sign in", type="submit", size="3", width="100%"),
                spacing="3", width="100%",
            ),
            on_submit=LoginState.submit,
        ),
        rx.text("Forgot your password? An operator can reset it with "
                "`python -m literal_app.cli reset-password`.", size="1", color_scheme="gray"),
    )


def _setup_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _field("Your name", "name", placeholder="Ada Lovelace", auto_focus=True),
            _field("Email", "email", "email", "ada@example.com"),
            _field("Password", "password", "password", "at least 8 characters", auto_complete="new-password"),
            _field("First project", "project_name", placeholder="My chatbot"),
            form_error(SetupState.error),
            rx.button("Create account and project", type="submit", size="3", width="100%"),
            spacing="3", width="100%",
        ),
        on_submit=SetupState.submit,
    )


def _setup_done() -> rx.Component:
    return rx.vstack(
        rx.callout(rx.text("Project ", rx.text.strong(SetupState.done_project), " is ready. This is its API "
                           "key: copy it now, it is not shown again."), icon="circle_check", color_scheme="green"),
        secret_box(SetupState.api_key, "Stored hashed: you can create more keys in Settings → API keys."),
        rx.text("Send logs from your app with the Literal AI SDK:", size="2"),
        rx.code_block(SetupState.snippet, language="python", width="100%", class_name="setup-snippet",
                      wrap_long_lines=True),
        rx.button("Open literal_app", size="3", width="100%", on_click=SetupState.open_app),
        spacing="3", width="100%",
    )


@rx.page(route="/setup", title="Set up · literal_app", on_load=SetupState.check)
def setup_page() -> rx.Component:
    return _card(
        "Welcome", "Create the first admin account and your first project.",
        rx.cond(SetupState.api_key == "", _setup_form(), _setup_done()),
        width="520px",
    )


@rx.page(route="/invite/[invite_token]", title="Join · literal_app", on_load=InviteState.check)
def invite_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            _field("Your name", "name", default_value=InviteState.invite_name, key=InviteState.invite_name),
            _field("Choose a password", "password", "password", "at least 8 characters", auto_focus=True,
                   auto_complete="new-password"),
            form_error(InviteState.error),
            rx.button("Set password and sign in", type="submit", size="3", width="100%"),
            spacing="3", width="100%",
        ),
        on_submit=InviteState.submit,
    )
    return _card(
        "Join literal_app", rx.cond(InviteState.invite_email != "",
                                    "You were invited as " + InviteState.invite_email + ".", ""),
        rx.cond(InviteState.invalid != "",
                rx.vstack(rx.callout(InviteState.invalid, icon="triangle_alert", color_scheme="red"),
                          rx.link("Go to sign in", href="/login"), spacing="3"),
                # the name input is keyed by the invited name: show the form once it is known, so
                # nothing typed before the check finishes is remounted away
                rx.cond(InviteState.invite_email != "", form, rx.spinner(size="3"))),
    )
