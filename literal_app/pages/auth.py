"""Public pages: first-run setup, sign-in and invite acceptance (no layout, no guard)."""

from __future__ import annotations

import reflex as rx

from literal_app.components.ui import form_error, secret_box
from literal_app.config import get_settings
from literal_app.db import session_scope
from literal_app.services import members, setup
from literal_app.services.errors import DomainError
from literal_app.state.session import SessionState


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


class LoginState(SessionState):
    error: str = ""

    @rx.event
    def check(self):
        """Skip the form when setup is pending or this browser is already signed in."""
        self.error = ""
        with session_scope() as session:
            if members.setup_needed(session):
                return rx.redirect("/setup")
            if members.member_for_session(session, self.session_token):
                return rx.redirect("/")
        return None

    @rx.event
    def submit(self, form: dict):
        with session_scope() as session:
            try:  # caught inside the scope so the failed-attempt counter is committed
                member = members.authenticate(session, email=form.get("email", ""),
                                              password=form.get("password", ""))
            except DomainError as exc:
                self.error = exc.message
                return None
            self.start_session(session, member)
        self.error = ""
        return rx.redirect(self._next())

    def _next(self) -> str:
        """Where the guard came from (a local path only, never another site)."""
        target = self.router.url.query_parameters.get("next", "/")
        return target if target.startswith("/") and not target.startswith("//") else "/"


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


class SetupState(SessionState):
    error: str = ""
    api_key: str = ""
    done_project: str = ""

    @rx.var
    def snippet(self) -> str:
        return (f'from literalai import LiteralClient\n\nclient = LiteralClient(api_key="{self.api_key}", '
                f'url="{get_settings().base_url}")')

    @rx.event
    def check(self):
        with session_scope() as session:
            if not self.api_key and not members.setup_needed(session):
                return rx.redirect("/login")
        return None

    @rx.event
    def submit(self, form: dict):
        try:
            with session_scope() as session:
                result = setup.complete_setup(
                    session, email=form.get("email", ""), name=form.get("name", ""),
                    password=form.get("password", ""), project_name=form.get("project_name", ""))
                self.start_session(session, result.member)
        except DomainError as exc:
            self.error = exc.message
            return
        self.error = ""
        self.api_key, self.done_project = result.api_key, result.project.name


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
        rx.button("Open literal_app", size="3", width="100%", on_click=rx.redirect("/")),
        spacing="3", width="100%",
    )


@rx.page(route="/setup", title="Set up · literal_app", on_load=SetupState.check)
def setup_page() -> rx.Component:
    return _card(
        "Welcome", "Create the first admin account and your first project.",
        rx.cond(SetupState.api_key == "", _setup_form(), _setup_done()),
        width="520px",
    )


class InviteState(SessionState):
    error: str = ""
    invite_email: str = ""
    invite_name: str = ""
    invalid: str = ""

    def _token(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    @rx.event
    def check(self):
        self.error = self.invalid = ""
        try:
            with session_scope() as session:
                member = members.invite_member(session, self._token())
        except DomainError as exc:
            self.invalid = exc.message
            return
        self.invite_email, self.invite_name = member.email, member.name

    @rx.event
    def submit(self, form: dict):
        try:
            with session_scope() as session:
                member = members.accept_invite(session, token=self._token(),
                                               password=form.get("password", ""), name=form.get("name"))
                self.start_session(session, member)
        except DomainError as exc:
            self.error = exc.message
            return None
        return rx.redirect("/")


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
                form),
    )
