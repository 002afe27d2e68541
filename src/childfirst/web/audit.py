"""The audit log: who looked at or changed what, when and why, in a tamper-evident chain.

Each entry's hash covers its own content and the hash of the entry before it, and entries are
numbered from 1 without gaps. Editing an entry changes its hash; deleting one leaves a gap and breaks
the next entry's link. ``verify`` recomputes the chain and lists every break it finds. Removing
entries from the very end leaves no trace within the log itself, so ``head`` gives the latest
sequence number and hash for an operator to record elsewhere and pass back to ``verify``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.store.access import AuditEntry
from childfirst.store.database import Database

GENESIS = "0" * 64
# Any fixed number: the PostgreSQL advisory lock that makes appends to the chain one at a time.
_CHAIN_LOCK = 7_204_311


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, or the system itself."""

    username: str
    role: str


def entry_hash(
    *,
    seq: int,
    at: datetime,
    who: str,
    role: str,
    action: str,
    target_kind: str,
    target_id: str,
    child_id: str | None,
    why: str | None,
    previous_hash: str,
) -> str:
    content = [
        seq,
        at.isoformat(timespec="microseconds"),
        who,
        role,
        action,
        target_kind,
        target_id,
        child_id,
        why,
        previous_hash,
    ]
    return hashlib.sha256(orjson.dumps(content)).hexdigest()


def _hash_of(entry: AuditEntry) -> str:
    return entry_hash(
        seq=entry.seq,
        at=entry.at,
        who=entry.who,
        role=entry.role,
        action=entry.action,
        target_kind=entry.target_kind,
        target_id=entry.target_id,
        child_id=entry.child_id,
        why=entry.why,
        previous_hash=entry.previous_hash,
    )


def record(
    session: Session,
    actor: Actor,
    action: str,
    target_kind: str,
    target_id: str,
    *,
    child_id: str | None = None,
    why: str | None = None,
) -> AuditEntry:
    """Append an entry in the caller's transaction, so a change and its audit commit together.

    On SQLite call it in a write session (``db.session(write=True)``), which holds the write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
    # Stored to the microsecond on both backends, so the hash recomputes from what is read back.
    at = utcnow()
    entry = AuditEntry(
        seq=seq,
        at=at,
        who=actor.username,
        role=actor.role,
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        child_id=child_id,
        why=why,
        previous_hash=previous,
    )
    entry.hash = _hash_of(entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str


def head(session: Session) -> Head:
    """The latest entry's number and hash (0 and the genesis hash for an empty log)."""
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return Head(last[0], last[1]) if last else Head(0, GENESIS)


def verify(session: Session, expected_head: Head | None = None) -> list[str]:
    """Every break in the chain, in plain words; an empty list when the log is intact."""
    problems: list[str] = []
    expected_seq, previous = 1, GENESIS
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).yield_per(1000):
        if entry.seq != expected_seq:
            missing = (
                f"{expected_seq}"
                if entry.seq == expected_seq + 1
                else (f"{expected_seq} to {entry.seq - 1}")
            )
            problems.append(f"entry {missing} is missing: deleted from the log")
        if entry.previous_hash != previous:
            problems.append(f"entry {entry.seq} does not follow the entry before it")
        if _hash_of(entry) != entry.hash:
            problems.append(f"entry {entry.seq} was changed after it was written")
        expected_seq, previous = entry.seq + 1, entry.hash
    if expected_head is not None:
        if expected_seq - 1 < expected_head.seq:
            problems.append(
                f"the log ends at entry {expected_seq - 1} but entry {expected_head.seq} was "
                "recorded: entries were removed from the end"
            )
        else:
            recorded = session.scalar(
                select(AuditEntry.hash).where(AuditEntry.seq == expected_head.seq)
            )
            if recorded != expected_head.hash:
                problems.append(f"entry {expected_head.seq} differs from the recorded head")
    return problems


def verify_database(db: Database, expected_head: Head | None = None) -> list[str]:
    """``verify`` in a read session of ``db``: what ``childfirst audit verify`` calls."""
    with db.session() as session:
        return verify(session, expected_head)


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def about_child(session: Session, child_ids: Collection[str], limit: int = 500) -> list[AuditEntry]:
    """The latest entries about one child (under any of its ids), newest first."""
    query = select(AuditEntry).where(AuditEntry.child_id.in_(sorted(child_ids)))
    return list(session.scalars(query.order_by(AuditEntry.seq.desc()).limit(limit)))
