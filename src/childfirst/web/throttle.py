"""Slowing down password guessing: by username, and by the client address the guesses come from.

Every attempt to sign in is stored with its username and client address (see ``authenticate``).
A username is refused for a while after ``throttle_failures`` failures in ``throttle_window``, counted
since its last successful sign-in; a client address is refused after ``throttle_address_failures``
failures in the window whatever the usernames, and a success does not reset that count, so one
password sprayed across many usernames from one address gets no more guesses than the limit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from childfirst.store.access import SignInAttempt
from childfirst.web.settings import Settings


def _failures(session: Session, who: ColumnElement[bool], since: datetime) -> int:
    """Failed attempts matching ``who`` since ``since``."""
    failed = select(func.count()).where(
        who, SignInAttempt.succeeded.is_(False), SignInAttempt.at > since
    )
    return session.scalar(failed) or 0


def _failures_as(session: Session, username: str, since: datetime) -> int:
    """Failures as ``username`` since ``since`` or its last success, whichever is later."""
    last_success = session.scalar(
        select(func.max(SignInAttempt.at)).where(
            SignInAttempt.username == username, SignInAttempt.succeeded.is_(True)
        )
    )
    if last_success is not None and last_success > since:
        since = last_success
    return _failures(session, SignInAttempt.username == username, since)


def _failures_from(session: Session, address: str, since: datetime) -> int:
    """Failures from ``address``, whatever the usernames; a success does not reset them."""
    return _failures(session, SignInAttempt.address == address, since)


def refusal(
    session: Session, username: str, address: str | None, settings: Settings, now: datetime
) -> str | None:
    """Why an attempt to sign in as ``username`` from ``address`` is refused now, if it is."""
    since = now - settings.throttle_window
    minutes = int(settings.throttle_window.total_seconds() // 60)
    if address and _failures_from(session, address, since) >= settings.throttle_address_failures:
        return (
            "Too many failed attempts to sign in from this network address. "
            f"Try again in {minutes} minutes."
        )
    if _failures_as(session, username, since) >= settings.throttle_failures:
        return f"Too many failed attempts to sign in as this user. Try again in {minutes} minutes."
    return None
