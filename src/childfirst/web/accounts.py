"""Accounts an operator manages from the command line: the first administrator of a new
installation, and anyone else, since outside development no account is ever made for them.

A new account's password is either given (read from standard input, never from the command line)
or made up here and shown once; only its hash is stored. Each creation and disabling is written to
the audit log with the operator who ran it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.errors import InvalidValueError, NotFoundError
from childfirst.store.access import Account
from childfirst.store.database import Database
from childfirst.web import audit
from childfirst.web.auth import MAX_PASSWORD, create_account

MIN_PASSWORD = 12
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")


@dataclass(frozen=True)
class NewAccount:
    username: str
    role: Role
    organisation: str
    # The password made up for the account, to pass on once; None when the operator gave one.
    password: str | None


def add_account(
    db: Database,
    operator: str,
    *,
    username: str,
    role: Role,
    organisation: str,
    display_name: str | None = None,
    password: str | None = None,
    write_agencies: Sequence[str] | None = None,
) -> NewAccount:
    """Create an active account bound to ``organisation``, with ``password`` or a new random one.

    Refused (``InvalidValueError``) for a username already taken or not of letters, digits and
    ``. _ @ -``, an empty organisation, or a password shorter than ``MIN_PASSWORD``.
    """
    username = username.strip()
    organisation = organisation.strip()
    if not USERNAME.fullmatch(username):
        raise InvalidValueError(
            f"username {username!r} must be 1 to 100 letters, digits or . _ @ -, starting with a "
            "letter or digit"
        )
    if not organisation:
        raise InvalidValueError("every account needs the organisation it works for")
    made_up = password is None
    if password is None:
        password = secrets.token_urlsafe(15)
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidValueError(
            f"the password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters long"
        )
    with db.session(write=True) as session:
        if session.scalar(select(Account.id).where(Account.username == username)) is not None:
            raise InvalidValueError(f"there is already an account {username!r}")
        create_account(
            session,
            username=username,
            display_name=(display_name or "").strip() or username,
            role=role,
            password=password,
            agency_code=organisation,
            write_agencies=write_agencies,
        )
        audit.record(
            session,
            audit.Actor.operator(operator),
            "created account",
            "account",
            username,
            why=f"role={role.value}; organisation={organisation}",
        )
    return NewAccount(username, role, organisation, password if made_up else None)


def disable_account(db: Database, operator: str, username: str) -> bool:
    """Stop ``username`` from signing in (its open sessions end too, being refused for an inactive
    account); whether it was active. ``NotFoundError`` when there is no such account."""
    with db.session(write=True) as session:
        account = session.scalar(select(Account).where(Account.username == username))
        if account is None:
            raise NotFoundError(f"there is no account {username!r}")
        if not account.active:
            return False
        account.active = False
        audit.record(
            session, audit.Actor.operator(operator), "disabled account", "account", username
        )
    return True


def active_usernames(db: Database, usernames: Sequence[str]) -> list[str]:
    """Which of ``usernames`` are active accounts."""
    with db.session() as session:
        found = session.scalars(
            select(Account.username)
            .where(Account.username.in_(list(usernames)), Account.active.is_(True))
            .order_by(Account.username)
        )
        return list(found)


def disable_demo_accounts(db: Database, operator: str) -> list[str]:
    """Disable every demo account that can still sign in (made by a development server on the
    same store, or by an earlier version), each with an audit entry; the usernames disabled.
    A server outside development calls it at start: demo passwords are published."""
    from childfirst.web.demo import demo_username

    disabled = []
    for username in active_usernames(db, [demo_username(role) for role in Role]):
        if disable_account(db, operator, username):
            disabled.append(username)
    return disabled


def start_up_warnings(db: Database) -> list[str]:
    """What an operator starting the application outside development should know about its
    accounts: that none can sign in yet."""
    with db.session() as session:
        anyone = session.scalar(select(Account.id).where(Account.active.is_(True)).limit(1))
    if anyone is None:
        return [
            "No account can sign in yet: create the first administrator with "
            "`childfirst accounts create USERNAME --role administrator --organisation ORG`."
        ]
    return []
