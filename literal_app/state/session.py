"""The browser's sign-in and current project, shared by every page.

``SessionState`` reads the session token from the HttpOnly ``literal_session`` cookie, which the
browser sends with the websocket's handshake (``self.router.headers.cookie``); page script never
sees it. Signing in makes a one-time handoff code that the page posts to ``/api/auth/session``,
whose answer sets the cookie; then the page reloads so the websocket carries it (the database
keeps only hashes, see ``services.members``). The chosen project lives in localStorage. Page
states subclass it to get ``self.actor()`` and ``self.call(...)``.

Nothing sent by the browser is trusted: ``actor()`` re-reads the member from the token and the
role from the membership on every call, so a revoked session or a changed role takes effect at
once and a tampered ``project_id`` only earns ``Forbidden``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import reflex as rx
from sqlmodel import Session

from literal_app.auth.rbac import ROLE_SCOPES, role_label
from literal_app.auth.session_cookie import token_from_cookie_header
from literal_app.db import session_scope
from literal_app.services.accounts import members, projects
from literal_app.services.kernel.actor import Actor
from literal_app.services.kernel.errors import DomainError, Unauthorized

T = TypeVar("T")

PROJECT_KEY = "literal_project"


@dataclass(frozen=True)
class ProjectOption:
    """A project in the switcher: plain data the browser can hold."""

    id: str
    name: str
    role: str


def error_toast(exc: DomainError) -> rx.event.EventSpec:
    """A service error as a toast the user can read."""
    return rx.toast.error(exc.message, close_button=True)


def _post_then_go(path: str, body: dict, then: str | None) -> rx.event.EventSpec:
    """Browser script: POST ``body`` to one of our API routes (its answer may set or clear the
    session cookie), then load ``then`` as a full page so the websocket reconnects with it."""
    go = f"window.location.assign({json.dumps(then)})" if then else "undefined"
    return rx.call_script(
        f"fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', "
        f"headers: {{'content-type': 'application/json'}}, body: {json.dumps(json.dumps(body))}}})"
        f".finally(() => {{ {go}; }})")


class SessionState(rx.State):
    """Who is signed in and which project they are looking at."""

    project_pref: str = rx.LocalStorage("", name=PROJECT_KEY)
    member_id: str = ""
    member_name: str = ""
    member_email: str = ""
    project_id: str = ""
    project_name: str = ""
    role: str = ""
    projects: list[ProjectOption] = []
    project_dialog_open: bool = False
    project_form_error: str = ""

    @rx.var
    def signed_in(self) -> bool:
        return bool(self.member_id)

    @rx.var
    def role_label(self) -> str:
        return role_label(self.role) if self.role else ""

    @rx.var
    def scopes(self) -> list[str]:
        """The scopes of the member's role in the current project (for showing/hiding UI)."""
        return sorted(ROLE_SCOPES.get(self.role, frozenset()))

    # --- for page states -------------------------------------------------------------------

    def session_token(self) -> str:
        """The HttpOnly session cookie, as the browser sent it with the websocket handshake."""
        return token_from_cookie_header(self.router.headers.cookie)

    def actor(self, session: Session) -> Actor:
        """The Actor for service calls, re-checked against the database (raises Unauthorized or
        Forbidden when the session ended or the membership is gone)."""
        member = members.member_for_session(session, self.session_token())
        if member is None:
            raise Unauthorized("Your session has ended: sign in again.")
        if not self.project_id:
            raise Unauthorized("Choose or create a project first.")
        return projects.actor_for_member(session, member_id=member.id, project_id=self.project_id)

    def allowed(self, scope: str) -> bool:
        """Whether the UI should offer something (the services enforce it regardless)."""
        return scope in ROLE_SCOPES.get(self.role, frozenset())

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(session, actor, *args, **kwargs)`` in one transaction (committed on success)."""
        with session_scope() as session:
            return fn(session, self.actor(session), *args, **kwargs)

    # --- guard -----------------------------------------------------------------------------

    @rx.event
    def guard(self):
        """on_load of every signed-in page: send the browser to /setup or /login when needed,
        otherwise refresh the member, their projects and the current project."""
        return self.check_session()

    def check_session(self) -> rx.event.EventSpec | None:
        """The guard's work, for a page loader that runs it itself (one event instead of two, so
        the page's data reaches the browser in the same delta): the redirect to follow, or None
        when signed in (member, projects and current project then loaded)."""
        with session_scope() as session:
            if members.setup_needed(session):
                return rx.redirect("/setup")
            member = members.member_for_session(session, self.session_token())
            if member is None:
                self._clear()
                here = self.router.url.path or "/"
                return rx.redirect("/login" if here in ("/", "/login") else f"/login?next={quote(here)}")
            self._load_member(session, member)
        return None

    def _load_member(self, session: Session, member: members.MemberRead) -> None:
        self.member_id, self.member_name, self.member_email = member.id, member.name, member.email
        mine = projects.projects_of_member(session, member.id)
        self.projects = [ProjectOption(p.id, p.name, p.role or "") for p in mine]
        chosen = next((p for p in mine if p.id == self.project_pref), mine[0] if mine else None)
        self._select(chosen)

    def _select(self, project: projects.ProjectRead | ProjectOption | None) -> None:
        self.project_id = project.id if project else ""
        self.project_name = project.name if project else ""
        self.role = (project.role or "") if project else ""
        if project:
            self.project_pref = project.id

    def _clear(self) -> None:
        self.member_id = self.member_name = self.member_email = ""
        self.project_id = self.project_name = self.role = ""
        self.projects = []

    def start_session(self, session: Session, member: members.MemberRead,
                      then: str | None = "/") -> rx.event.EventSpec:
        """Sign ``member`` in on this browser (login, setup and invite pages): the returned event
        has the browser exchange a one-time code for the HttpOnly cookie, then load ``then``
        (None: stay on the page; the next full page load carries the cookie)."""
        code = members.create_handoff(session, member_id=member.id)
        self._load_member(session, member)
        return _post_then_go("/api/auth/session", {"code": code}, then)

    # --- sidebar actions -------------------------------------------------------------------

    @rx.event
    def switch_project(self, project_id: str):
        """Make ``project_id`` current (remembered in this browser) and reload the page's data."""
        chosen = next((p for p in self.projects if p.id == project_id), None)
        if chosen is None:
            return rx.toast.error("You are not a member of this project.")
        self._select(chosen)
        return rx.call_script("window.location.reload()")

    @rx.event
    def create_project(self, form: dict):
        """Create a project (the member becomes its Admin) and switch to it."""
        try:
            with session_scope() as session:
                member = members.member_for_session(session, self.session_token())
                if member is None:
                    raise Unauthorized("Your session has ended: sign in again.")
                created = projects.create_project(session, name=form.get("name", ""), owner_id=member.id)
        except DomainError as exc:
            self.project_form_error = exc.message
            return None
        self.project_form_error = ""
        self.project_dialog_open = False
        self.projects = [*self.projects, ProjectOption(created.id, created.name, created.role or "")]
        self._select(created)
        return rx.call_script("window.location.reload()")

    @rx.event
    def set_project_dialog_open(self, value: bool):
        self.project_dialog_open = value
        self.project_form_error = ""

    @rx.event
    def sign_out(self):
        with session_scope() as session:
            members.end_session(session, self.session_token())
        self._clear()
        return _post_then_go("/api/auth/signout", {}, "/login")  # clears the cookie


def guarded(*load_handlers) -> list:
    """The on_load list of a signed-in page: the guard first, then the page's own loaders
    (which should return early when ``self.project_id`` is empty)."""
    return [SessionState.guard, *load_handlers]


def can(scope: str) -> rx.Var[bool]:
    """A frontend condition: does the member's role in the current project grant ``scope``?"""
    return SessionState.scopes.contains(scope)
