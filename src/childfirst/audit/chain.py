"""Appending to the audit log: one entry at a time, sealed, with the signed head moved on.

Entries are numbered from 1 without gaps. Each is sealed with the audit key over its content, the
people it names and the seal of the entry before it, so an entry edited, removed or made up breaks
the chain, and only the key's holder could seal it again. The head (the latest entry's number and
seal, signed) moves on in the same transaction, so a log cut short no longer meets its head; a
signed checkpoint is written every ``CHECKPOINT_EVERY`` entries as well.
"""

from __future__ import annotations

import getpass
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import orjson
from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from childfirst.audit.keys import KEY_FILE_VARIABLE, KEY_VARIABLE, AuditKey, current_key
from childfirst.audit.seals import GENESIS, head_signature, keyed_hash
from childfirst.domain.clock import utcnow
from childfirst.errors import ConfigurationError
from childfirst.store.access import AuditEntry, AuditHead, AuditPerson
from childfirst.store.models import Base

# Any fixed number: the PostgreSQL advisory lock that makes appends to the chain one at a time.
_CHAIN_LOCK = 7_204_311
HEAD_ID = 1
CHECKPOINT_EVERY = 500
# The tables themselves: a page view's entry is a few plain statements, not ORM bookkeeping.
_ENTRIES, _PEOPLE, _HEAD = (
    Base.metadata.tables[t] for t in ("audit_log", "audit_people", "audit_head")
)
_COLUMNS = [c.key for c in _ENTRIES.columns]


# The role a command run by someone at the machine (an import, an account made) is audited under.
OPERATOR = "operator"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, or the system itself."""

    username: str
    role: str

    @classmethod
    def operator(cls, username: str | None = None) -> Actor:
        """Someone running a command at the machine: their operating system user, unless named."""
        return cls(username or getpass.getuser(), OPERATOR)


@dataclass(frozen=True)
class Head:
    """Where the log ends: the latest entry's number and seal (0 and the genesis for none)."""

    seq: int
    hash: str


def people_text(people: Iterable[str]) -> str | None:
    """The people an entry names, as stored and sealed: sorted, once each; None for nobody."""
    ids = sorted({p for p in people if p})
    return orjson.dumps(ids).decode() if ids else None


def people_of(entry: AuditEntry) -> list[str]:
    found = orjson.loads(entry.people) if entry.people else []
    return [str(p) for p in found]


def lock_chain(session: Session) -> None:
    """Make the caller the only one appending to the log until its transaction ends (SQLite's
    write lock does the same for a write session)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})


def _last_entry(session: Session) -> Head:
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return Head(last[0], last[1]) if last else Head(0, GENESIS)


def head(session: Session) -> Head:
    """Where the log ends: its signed head, or its last entry when it has no head row."""
    row = session.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID)
    ).first()
    return Head(row.seq, row.hash) if row else _last_entry(session)


def record(
    session: Session,
    actor: Actor,
    action: str,
    target_kind: str,
    target_id: str,
    *,
    child_id: str | None = None,
    why: str | None = None,
    people: Iterable[str] = (),
    key: AuditKey | None = None,
) -> AuditEntry:
    """Append an entry in the caller's transaction, so a change and its audit commit together.

    ``people`` are the ids of the people the page or answer showed (a list names many). On SQLite
    call it in a write session (``db.session(write=True)``), which holds the write lock. Returns
    the entry as written (not attached to the session).
    """
    from childfirst.audit.checkpoints import write_checkpoint

    key = key or current_key()
    lock_chain(session)
    row = session.execute(
        select(AuditHead.seq, AuditHead.hash, AuditHead.keyed_from, AuditHead.key_id).where(
            AuditHead.id == HEAD_ID
        )
    ).first()
    if row is not None and row.key_id and row.key_id != key.id:
        # Entries sealed with two keys would each look changed to whoever holds the other one.
        raise ConfigurationError(
            f"the audit log is sealed with another audit key (key {row.key_id}) than this one "
            f"(key {key.id}): set {KEY_VARIABLE} or {KEY_FILE_VARIABLE} to the log's key"
        )
    # The signed head, not the last row, says where the log goes on: entries removed from the end
    # then leave a gap that ``verify`` names, instead of being written over.
    last = Head(row.seq, row.hash) if row else _last_entry(session)
    entry = AuditEntry(
        seq=last.seq + 1,
        # Stored to the microsecond on both backends, so the seal recomputes from what is read back.
        at=utcnow(),
        who=actor.username,
        role=actor.role,
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        child_id=child_id,
        why=why,
        people=people_text(people),
        previous_hash=last.hash,
    )
    entry.hash = keyed_hash(key, entry)
    session.execute(_ENTRIES.insert(), {c: getattr(entry, c) for c in _COLUMNS})
    if entry.people:
        named = [{"seq": entry.seq, "person_id": p} for p in orjson.loads(entry.people)]
        session.execute(_PEOPLE.insert(), named)
    keyed_from = row.keyed_from if row else 1
    if row is None and entry.seq == 1:
        first = {"seq": 0, "hash": GENESIS, "keyed_from": 1, "key_id": "", "signature": ""}
        session.execute(_HEAD.insert(), {"id": HEAD_ID, **first})
    # With no head row and entries before this one, the head was deleted: none is made up here,
    # so that ``verify`` keeps saying so.
    if row is not None or entry.seq == 1:
        session.execute(
            _HEAD.update()
            .where(_HEAD.c.id == HEAD_ID)
            .values(
                seq=entry.seq,
                hash=entry.hash,
                key_id=key.id,
                signature=head_signature(key, entry.seq, entry.hash, keyed_from),
            )
        )
    if entry.seq % CHECKPOINT_EVERY == 0:
        write_checkpoint(session, key)
    return entry


def about_child(session: Session, child_ids: Collection[str], limit: int = 500) -> list[AuditEntry]:
    """The latest entries about one child (under any of its ids), or naming the child among the
    people a page showed, newest first."""
    ids = sorted(child_ids)
    named = select(AuditPerson.seq).where(AuditPerson.person_id.in_(ids))
    query = select(AuditEntry).where(or_(AuditEntry.child_id.in_(ids), AuditEntry.seq.in_(named)))
    return list(session.scalars(query.order_by(AuditEntry.seq.desc()).limit(limit)))
