"""Accounts of people who use the dashboard: first-run setup, sign-in with throttling,
browser sessions, password resets and invite links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from literal_app.auth.secrets import hash_password, new_token, token_hash, verify_password
from literal_app.models.auth import AuthSession, Invite, Member
from literal_app.models.types import utcnow
from literal_app.services.kernel.errors import Invalid, NotFound, TooManyAttempts, Unauthorized
from literal_app.services.kernel.validation import check_password, clean_email, clean_name

FREE_ATTEMPTS = 3  # failures before sign-in is slowed down
MAX_LOCK_SECONDS = 15 * 60
INVITE_DAYS = 7


@dataclass(frozen=True)
class MemberRead:
    id: str
    email: str
    name: str
    has_password: bool


def _read(m: Member) -> MemberRead:
    return MemberRead(id=m.id, email=m.email, name=m.name, has_password=bool(m.password_hash))


def setup_needed(session: Session) -> bool:
    """True until the first account exists (the setup page is shown only then)."""
    return session.exec(select(func.count()).select_from(Member)).one() == 0


def get_member(session: Session, member_id: str) -> MemberRead:
    m = session.get(Member, member_id)
    if not m:
        raise NotFound("Member not found.")
    return _read(m)


def find_member_by_email(session: Session, email: str) -> Member | None:
    return session.exec(select(Member).where(Member.email == email.strip().lower())).first()


def first_member(session: Session) -> Member | None:
    """The oldest account (the default owner for projects created from the CLI)."""
    return session.exec(select(Member).order_by(Member.created_at)).first()


def create_member(session: Session, *, email: str, name: str, password: str | None) -> MemberRead:
    """Create an account; ``password=None`` makes an invited account that cannot sign in yet."""
    email = clean_email(email)
    name = clean_name(name, "Name")
    if find_member_by_email(session, email):
        raise Invalid(f"An account with the email {email} already exists.")
    m = Member(email=email, name=name, password_hash=hash_password(check_password(password)) if password else None)
    session.add(m)
    session.flush()
    return _read(m)


def authenticate(session: Session, *, email: str, password: str, now: datetime | None = None) -> MemberRead:
    """Check credentials; after a few failures each new attempt waits longer (doubling)."""
    now = now or utcnow()
    m = find_member_by_email(session, email or "")
    if m and m.locked_until and m.locked_until > now:
        wait = int((m.locked_until - now).total_seconds()) + 1
        raise TooManyAttempts(f"Too many failed sign-in attempts. Try again in {wait} seconds.")
    if not m or not verify_password(m.password_hash, password or ""):
        if m:
            m.failed_logins += 1
            if m.failed_logins >= FREE_ATTEMPTS:
                delay = min(2 ** (m.failed_logins - FREE_ATTEMPTS + 1), MAX_LOCK_SECONDS)
                m.locked_until = now + timedelta(seconds=delay)
            session.add(m)
        raise Unauthorized("Wrong email or password.")
    m.failed_logins, m.locked_until = 0, None
    session.add(m)
    return _read(m)


def create_session(session: Session, *, member_id: str, days: int = 30) -> str:
    """Start a browser session and return its token (only the hash is stored)."""
    token = new_token("ls_")
    session.add(AuthSession(token_hash=token_hash(token), member_id=member_id,
                            expires_at=utcnow() + timedelta(days=days)))
    session.flush()
    return token


def member_for_session(session: Session, token: str | None) -> MemberRead | None:
    """The member a session token belongs to, or None when unknown or expired."""
    if not token:
        return None
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == token_hash(token))).first()
    if not row or row.expires_at <= utcnow():
        return None
    m = session.get(Member, row.member_id)
    return _read(m) if m else None


def end_session(session: Session, token: str | None) -> None:
    if token:
        row = session.exec(select(AuthSession).where(AuthSession.token_hash == token_hash(token))).first()
        if row:
            session.delete(row)


def set_password(session: Session, *, email: str, password: str) -> MemberRead:
    """Operator reset (CLI): set a new password and end every session of the member."""
    m = find_member_by_email(session, email)
    if not m:
        raise NotFound(f"No account with the email {email}.")
    m.password_hash = hash_password(check_password(password))
    m.failed_logins, m.locked_until = 0, None
    for s in session.exec(select(AuthSession).where(AuthSession.member_id == m.id)).all():
        session.delete(s)
    session.add(m)
    return _read(m)


def create_invite(session: Session, *, member_id: str, created_by_id: str | None) -> str:
    """A one-time token letting an added member choose a password."""
    token = new_token("inv_")
    session.add(Invite(token_hash=token_hash(token), member_id=member_id, created_by_id=created_by_id,
                       expires_at=utcnow() + timedelta(days=INVITE_DAYS)))
    session.flush()
    return token


def invite_member(session: Session, token: str) -> MemberRead:
    """The member an unused, unexpired invite is for."""
    inv = session.exec(select(Invite).where(Invite.token_hash == token_hash(token or ""))).first()
    if not inv or inv.used_at or inv.expires_at <= utcnow():
        raise NotFound("This invite link is invalid, used or expired. Ask an admin for a new one.")
    return get_member(session, inv.member_id)


def accept_invite(session: Session, *, token: str, password: str, name: str | None = None) -> MemberRead:
    """Set the invited member's password and use up the invite."""
    inv = session.exec(select(Invite).where(Invite.token_hash == token_hash(token or ""))).first()
    if not inv or inv.used_at or inv.expires_at <= utcnow():
        raise NotFound("This invite link is invalid, used or expired. Ask an admin for a new one.")
    m = session.get(Member, inv.member_id)
    m.password_hash = hash_password(check_password(password))
    if name and name.strip():
        m.name = clean_name(name, "Name")
    inv.used_at = utcnow()
    session.add_all([m, inv])
    return _read(m)
