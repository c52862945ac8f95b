"""Accounts of people who use the dashboard: first-run setup, sign-in with throttling,
browser sessions, password resets and invite links."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlmodel import Session, delete, func, select

from literal_app.auth.secrets import hash_password, new_token, token_hash, verify_password
from literal_app.models.auth import AuthSession, Invite, LoginThrottle, Member
from literal_app.models.types import utcnow
from literal_app.services.kernel.errors import Invalid, NotFound, TooManyAttempts, Unauthorized
from literal_app.services.kernel.validation import check_password, clean_email, clean_name

FREE_ATTEMPTS = 3  # failures before sign-in is slowed down
MAX_LOCK_SECONDS = 15 * 60
INVITE_DAYS = 7
HANDOFF_PREFIX = "lh_"
HANDOFF_SECONDS = 120


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


def _throttle_id(email: str, client: str) -> str:
    return hashlib.sha256(f"{email}\n{client}".encode()).hexdigest()


@lru_cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown emails, so they take as long as real ones."""
    return hash_password(new_token("dummy_"))


def authenticate(session: Session, *, email: str, password: str, client: str = "",
                 now: datetime | None = None) -> MemberRead:
    """Check credentials. After a few failures for an email from a client (its address) each new
    attempt there waits longer (doubling, at most 15 minutes). Unknown emails are answered and
    throttled exactly like real ones, so no answer tells which accounts exist; and since the
    lock is per client, nobody can lock a member out from elsewhere (``cli unlock`` lifts it)."""
    now = now or utcnow()
    key = (email or "").strip().lower()[:320]
    throttle = session.get(LoginThrottle, _throttle_id(key, client))
    if throttle and throttle.locked_until and throttle.locked_until > now:
        wait = int((throttle.locked_until - now).total_seconds()) + 1
        raise TooManyAttempts(f"Too many failed sign-in attempts. Try again in {wait} seconds.")
    m = find_member_by_email(session, email or "")
    if not verify_password(m.password_hash if m and m.password_hash else _dummy_hash(), password or "") or not m:
        _count_failure(session, throttle or LoginThrottle(id=_throttle_id(key, client), email=key,
                                                          client=client[:100]), now)
        raise Unauthorized("Wrong email or password.")
    if throttle:
        session.delete(throttle)
    return _read(m)


def _count_failure(session: Session, throttle: LoginThrottle, now: datetime) -> None:
    throttle.failures += 1
    if throttle.failures >= FREE_ATTEMPTS:
        delay = min(2 ** (throttle.failures - FREE_ATTEMPTS + 1), MAX_LOCK_SECONDS)
        throttle.locked_until = now + timedelta(seconds=delay)
    throttle.updated_at = now
    session.add(throttle)
    session.execute(delete(LoginThrottle).where(LoginThrottle.updated_at < now - timedelta(days=1)))


def unlock(session: Session, *, email: str) -> int:
    """Lift every sign-in lock of an email (operator CLI); returns how many clients were locked."""
    rows = session.exec(select(LoginThrottle).where(LoginThrottle.email == (email or "").strip().lower())).all()
    for row in rows:
        session.delete(row)
    return len(rows)


def create_session(session: Session, *, member_id: str, days: int = 30) -> str:
    """Start a browser session and return its token (only the hash is stored)."""
    token = new_token("ls_")
    session.add(AuthSession(token_hash=token_hash(token), member_id=member_id,
                            expires_at=utcnow() + timedelta(days=days)))
    session.flush()
    return token


def create_handoff(session: Session, *, member_id: str) -> str:
    """A one-time code (valid ``HANDOFF_SECONDS``) the browser exchanges for its session cookie at
    ``POST /api/auth/session``: the sign-in form runs over the websocket, and only an HTTP
    response can set an HttpOnly cookie. It is not a session token itself."""
    code = new_token(HANDOFF_PREFIX)
    session.add(AuthSession(token_hash=token_hash(code), member_id=member_id,
                            expires_at=utcnow() + timedelta(seconds=HANDOFF_SECONDS)))
    session.flush()
    return code


def redeem_handoff(session: Session, code: str | None, *, days: int = 30) -> str | None:
    """Use a handoff code once: a new session token for its member, or None when the code is
    unknown, used or expired."""
    if not code or not code.startswith(HANDOFF_PREFIX):
        return None
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == token_hash(code))).first()
    if row is None:
        return None
    session.delete(row)
    session.flush()
    if row.expires_at <= utcnow():
        return None
    return create_session(session, member_id=row.member_id, days=days)


def member_for_session(session: Session, token: str | None) -> MemberRead | None:
    """The member a session token belongs to, or None when unknown or expired (a handoff code is
    no session)."""
    if not token or token.startswith(HANDOFF_PREFIX):
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
    unlock(session, email=m.email)
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
