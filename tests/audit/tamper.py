"""Changing the audit log as someone who owns the database could: with its triggers switched off.

The application's own database role cannot do this (see test_refusals); these helpers stand for an
administrator of the database server, or anyone who can edit the SQLite file, who does not hold the
audit key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import ColumnElement, delete, select, text
from sqlalchemy.orm import Session

from childfirst.audit.chain import Actor, record
from childfirst.audit.keys import AuditKey
from childfirst.audit.seals import GENESIS, head_signature, keyed_hash, plain_hash
from childfirst.store.access import AuditCheckpoint, AuditEntry, AuditHead, AuditPerson
from childfirst.store.database import Database

AUDIT_TABLES = ("audit_log", "audit_people", "audit_checkpoints", "audit_head")


@contextmanager
def tampering(db: Database) -> Iterator[Session]:
    """A write session in which the audit tables' refusing triggers are off (on again after)."""
    with db.session(write=True) as session:
        if db.dialect == "postgresql":
            for table in AUDIT_TABLES:
                session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            yield session
            session.flush()
            for table in AUDIT_TABLES:
                session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        else:
            triggers = session.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            ).all()
            for name, _ in triggers:
                session.execute(text(f'DROP TRIGGER "{name}"'))
            yield session
            session.flush()
            for _, sql in triggers:
                session.execute(text(sql))


def delete_entries(session: Session, *where: ColumnElement[bool]) -> None:
    """Delete the entries matching ``where`` (all of them without it), and the index rows that
    name people for them, which would otherwise hold them in place."""
    doomed = select(AuditEntry.seq).where(*where)
    session.execute(delete(AuditPerson).where(AuditPerson.seq.in_(doomed)))
    session.execute(delete(AuditEntry).where(*where))


def write(db: Database, who: str, count: int) -> None:
    """``count`` entries by ``who``, each in its own transaction as page views are."""
    for i in range(count):
        with db.session(write=True) as session:
            record(session, Actor(who, "supervisor"), "viewed child", "child", f"per_{i:04x}")


def entries(db: Database) -> list[AuditEntry]:
    with db.session() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def rebuild_without(db: Database, who: str, key: AuditKey | None = None) -> None:
    """Remove ``who``'s entries, number the rest again and seal each again, as a forger would:
    with the plain hash anyone can compute, or with a key of their own; the head is made to match
    with the only signature a forger can make."""
    kept = [e for e in entries(db) if e.who != who]
    with tampering(db) as session:
        session.execute(delete(AuditPerson))
        session.execute(delete(AuditEntry))
        previous = GENESIS
        for seq, old in enumerate(kept, start=1):
            entry = AuditEntry(
                seq=seq,
                at=old.at,
                who=old.who,
                role=old.role,
                action=old.action,
                target_kind=old.target_kind,
                target_id=old.target_id,
                child_id=old.child_id,
                why=old.why,
                people=old.people,
                previous_hash=previous,
            )
            if key is None:
                entry.hash = plain_hash(entry)
            else:
                entry.hash = keyed_hash(key, entry)
            session.add(entry)
            previous = entry.hash
        session.flush()
        head = session.get(AuditHead, 1)
        assert head is not None
        head.seq, head.hash = len(kept), previous
        if key is not None:
            head.key_id = key.id
            head.signature = head_signature(key, head.seq, head.hash, head.keyed_from)
        session.execute(delete(AuditCheckpoint))
