"""Sign-in, first-run setup and invite acceptance: the events behind the public pages."""

from __future__ import annotations

import reflex as rx

from literal_app.config import get_settings
from literal_app.db import session_scope
from literal_app.services.accounts import members, setup
from literal_app.services.kernel.errors import DomainError
from literal_app.state.session import SessionState


class LoginState(SessionState):
    error: str = ""

    @rx.event
    def check(self):
        """Skip the form when setup is pending or this browser is already signed in."""
        self.error = ""
        with session_scope() as session:
            if members.setup_needed(session):
                return rx.redirect("/setup")
            if members.member_for_session(session, self.session_token()):
                return rx.redirect("/")
        return None

    @rx.event
    def submit(self, form: dict):
        with session_scope() as session:
            try:  # caught inside the scope so the failed-attempt counter is committed
                member = members.authenticate(session, email=form.get("email", ""),
                                              password=form.get("password", ""),
                                              client=self.router.session.client_ip or "")
            except DomainError as exc:
                self.error = exc.message
                return None
            handoff = self.start_session(session, member, then=self._next())
        self.error = ""
        return handoff

    def _next(self) -> str:
        """Where the guard came from (a local path only, never another site)."""
        target = self.router.url.query_parameters.get("next", "/")
        return target if target.startswith("/") and not target.startswith("//") else "/"


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
                handoff = self.start_session(session, result.member, then=None)  # the key is shown first
        except DomainError as exc:
            self.error = exc.message
            return None
        self.error = ""
        self.api_key, self.done_project = result.api_key, result.project.name
        return handoff

    @rx.event
    def open_app(self):
        """Leave the setup page with a full page load, so the websocket carries the new cookie."""
        return rx.call_script("window.location.assign('/')")


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
                handoff = self.start_session(session, member, then="/")
        except DomainError as exc:
            self.error = exc.message
            return None
        return handoff
