"""The tables of access: accounts, signed-in sessions, sign-in attempts and the audit log.

The audit log is append-only and chained: every entry carries the keyed hash of the one before it,
so an entry edited or deleted afterwards breaks the chain; its signed head and checkpoints show a log
cut short, and the database refuses to change or delete its rows (see ``childfirst.audit``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from childfirst.store.models import ID, Base


class Account(Base):
    """Someone who signs in: a practitioner in one role, or a partner agency user."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    # The organisation the account works for: a police force by its agency code (the code its
    # records carry as their source agency), or a partner (a school by its location record, a
    # local authority's children's social care or a health trust by their agency code). Partners
    # see only what is addressed to it; an account without one sees nothing of a partner's.
    agency_code: Mapped[str | None] = mapped_column(String(100))
    # The source agencies the account may write records for; None: its own organisation only.
    write_agencies: Mapped[list[Any] | None] = mapped_column(JSON)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class SignedInSession(Base):
    """A signed-in session. The cookie holds a signed random token; only its hash is stored."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When the session was last used, to the minute: a session idle for longer than the settings
    # allow is refused (None: not used since it was opened).
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)


class SignInAttempt(Base):
    """One attempt to sign in, kept to throttle guessing and to show who tried."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_username_at", "username", "at"),
        Index("ix_sign_in_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    # The client address the attempt came from, so that guessing across usernames is throttled too.
    address: Mapped[str | None] = mapped_column(String(64))


class AuditEntry(Base):
    """Who looked at or changed what, when and why. Only ever appended to.

    ``seq`` counts from 1 with no gaps; ``hash`` covers the entry's content and ``previous_hash``.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target_kind", "target_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime)
    who: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60))
    target_kind: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(100))
    # The child the entry is about, when there is one: the key of "who has looked at this record".
    child_id: Mapped[str | None] = mapped_column(ID, index=True)
    why: Mapped[str | None] = mapped_column(Text)
    # The people a page showed (a list names many): a JSON array of ids, sealed with the entry.
    people: Mapped[str | None] = mapped_column(Text)
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditPerson(Base):
    """One person an audit entry names: the index behind "who has seen this person"."""

    __tablename__ = "audit_people"

    seq: Mapped[int] = mapped_column(ForeignKey("audit_log.seq"), primary_key=True)
    person_id: Mapped[str] = mapped_column(ID, primary_key=True, index=True)


class AuditHead(Base):
    """The log's latest entry, signed with the audit key and moved on with every entry (one row).

    ``keyed_from`` is the first entry sealed with the key; those before it were written under the
    plain hash that came first, and are held in place by the first keyed entry's link to them.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    keyed_from: Mapped[int] = mapped_column(Integer)
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """A signed note of the log's head at a moment, written regularly and exportable."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime)
    keyed_from: Mapped[int] = mapped_column(Integer)
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(64))


import childfirst.store.sharing  # noqa: E402, F401
