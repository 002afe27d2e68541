"""Accounts, passwords, sign-in with throttling, sessions in signed cookies, and CSRF tokens.

The session cookie holds a signed random token; the store keeps only the token's hash with the
account, the session's CSRF token and when it expires, so signing out ends the session everywhere.
Every request that changes anything must carry the session's CSRF token, in the form field
``csrf_token`` or the ``X-CSRF-Token`` header. The sign-in form, which comes before any session, is
protected by a double-submit token: a random value in a short-lived cookie and in the form.

A session ends ``session_lifetime`` after signing in, or sooner when it has not been used for
``session_idle``; its last use is written at most once a minute (``TOUCH_EVERY``), so that most
requests only read the store.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.domain.roles import Role
from childfirst.errors import ChildfirstError
from childfirst.ingest.authority import writable
from childfirst.store.access import Account, SignedInSession, SignInAttempt
from childfirst.store.database import Database
from childfirst.web.settings import Settings
from childfirst.web.throttle import refusal

SESSION_COOKIE = "childfirst_session"
SIGN_IN_COOKIE = "childfirst_sign_in"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
MAX_PASSWORD = 1024
# A session's last use is noted when at least this long has passed since it was last noted.
TOUCH_EVERY = timedelta(minutes=1)

hasher = PasswordHasher()
# Checked against when the username is unknown, so that a miss takes as long as a wrong password.
_DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


class SignInError(ChildfirstError):
    """Wrong username or password, or an inactive account (the message never says which)."""


class SignInThrottledError(SignInError):
    """Too many failed attempts recently, as this username or from this client address."""


@dataclass(frozen=True)
class CurrentUser:
    """The signed-in user of one request."""

    account_id: int
    username: str
    display_name: str
    role: Role
    agency_code: str | None
    csrf_token: str
    token_hash: str
    # The source agencies the user may write records for (see ``childfirst.ingest.authority``).
    write_agencies: frozenset[str] = frozenset()


def hash_password(password: str) -> str:
    return hasher.hash(password)


def create_account(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    agency_code: str | None = None,
    write_agencies: Sequence[str] | None = None,
) -> Account:
    """A new active account, bound to the organisation ``agency_code`` (a force's agency code, or
    a partner's organisation) and writing for ``write_agencies`` (None: that organisation only)."""
    account = Account(
        username=username,
        display_name=display_name,
        role=role.value,
        agency_code=agency_code,
        write_agencies=sorted(set(write_agencies)) if write_agencies is not None else None,
        password_hash=hash_password(password),
        active=True,
        created_at=utcnow(),
    )
    session.add(account)
    session.flush()
    return account


def _password_matches(stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    db: Database, username: str, password: str, settings: Settings, address: str | None = None
) -> Account:
    """The account for these credentials, tried from client ``address``; ``SignInError``
    otherwise.

    Every attempt is stored (and committed, even when refused), so that guessing is throttled by
    username and by address (see ``childfirst.web.throttle``).
    """
    now = utcnow()
    username = username.strip()[:100]
    address = address[:64] if address else None
    with db.session(write=True) as session:
        refused = refusal(session, username, address, settings, now)
        if refused is not None:
            raise SignInThrottledError(refused)
        account = session.scalar(select(Account).where(Account.username == username))
        stored = account.password_hash if account else _DUMMY_HASH
        ok = _password_matches(stored, password[:MAX_PASSWORD])
        ok = ok and account is not None and account.active
        session.add(SignInAttempt(username=username, at=now, succeeded=ok, address=address))
        if ok and account is not None and hasher.check_needs_rehash(account.password_hash):
            account.password_hash = hash_password(password)
    if not ok or account is None:
        raise SignInError("The username or password is not right.")
    return account


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt="childfirst.session")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, account: Account, settings: Settings) -> str:
    """Start a session for ``account``; returns the value for the session cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        SignedInSession(
            token_hash=_digest(token),
            account_id=account.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + settings.session_lifetime,
            last_seen_at=now,
        )
    )
    return _serializer(settings).dumps(token)


def _token(cookie: str, settings: Settings) -> str | None:
    try:
        token = _serializer(settings).loads(
            cookie, max_age=int(settings.session_lifetime.total_seconds())
        )
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def load_user(session: Session, cookie: str | None, settings: Settings) -> CurrentUser | None:
    """The user of a session cookie, if it is genuine, current (neither past its lifetime nor
    idle too long) and its account active."""
    found = _signed_in(session, cookie, settings)
    return found[0] if found is not None else None


def session_user(db: Database, cookie: str | None, settings: Settings) -> CurrentUser | None:
    """The user of a session cookie, as ``load_user``; the session's use is noted, which keeps it
    from going idle, when ``TOUCH_EVERY`` has passed since it was last noted."""
    with db.session() as session:
        found = _signed_in(session, cookie, settings)
    if found is None:
        return None
    user, last_seen = found
    now = utcnow()
    if now - last_seen >= TOUCH_EVERY:
        with db.session(write=True) as session:
            session.execute(
                update(SignedInSession)
                .where(SignedInSession.token_hash == user.token_hash)
                .values(last_seen_at=now)
            )
    return user


def _signed_in(
    session: Session, cookie: str | None, settings: Settings
) -> tuple[CurrentUser, datetime] | None:
    """The user of a current session, and when the session was last noted as used."""
    token = _token(cookie, settings) if cookie else None
    if token is None:
        return None
    row = session.execute(
        select(SignedInSession, Account)
        .join(Account, Account.id == SignedInSession.account_id)
        .where(SignedInSession.token_hash == _digest(token))
    ).first()
    if row is None:
        return None
    signed_in, account = row
    now = utcnow()
    last_seen = signed_in.last_seen_at or signed_in.created_at
    if signed_in.ended_at is not None or signed_in.expires_at <= now or not account.active:
        return None
    if now - last_seen >= settings.session_idle:
        return None
    try:
        role = Role(account.role)
    except ValueError:
        return None
    user = CurrentUser(
        account_id=account.id,
        username=account.username,
        display_name=account.display_name,
        role=role,
        agency_code=account.agency_code,
        csrf_token=signed_in.csrf_token,
        token_hash=signed_in.token_hash,
        write_agencies=writable(account.agency_code, account.write_agencies),
    )
    return user, last_seen


def close_session(session: Session, user: CurrentUser) -> None:
    signed_in = session.get(SignedInSession, user.token_hash)
    if signed_in is not None and signed_in.ended_at is None:
        signed_in.ended_at = utcnow()


def tokens_match(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


def new_sign_in_token() -> str:
    return secrets.token_urlsafe(32)
