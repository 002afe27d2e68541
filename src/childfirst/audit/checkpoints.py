"""Signed checkpoints of the audit log: where it ended at a moment, to be kept elsewhere.

A checkpoint names the latest entry's number and seal, when, and the first entry sealed with the
key, signed with the audit key. One is stored every ``CHECKPOINT_EVERY`` entries and whenever
``childfirst audit checkpoint`` runs; exported as JSON and kept away from the database (another
system, a write-once store, a printed page), it lets ``verify`` show a log cut short or rewritten
even by someone who could change every row of the database, the stored checkpoints included.
"""

from __future__ import annotations

import hmac
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.audit.chain import HEAD_ID, head, lock_chain
from childfirst.audit.keys import AuditKey, current_key
from childfirst.audit.seals import checkpoint_signature
from childfirst.domain.clock import utcnow
from childfirst.errors import ConfigurationError
from childfirst.store.access import AuditCheckpoint, AuditHead
from childfirst.store.database import Database

FORMAT = "childfirst audit checkpoint"
VERSION = 1


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: datetime
    keyed_from: int
    key_id: str
    signature: str

    def signed_by(self, key: AuditKey) -> bool:
        expected = checkpoint_signature(key, self.seq, self.hash, self.at, self.keyed_from)
        return hmac.compare_digest(expected, self.signature)

    def to_json(self) -> bytes:
        fields: dict[str, Any] = {"format": FORMAT, "version": VERSION, **asdict(self)}
        fields["at"] = self.at.isoformat(timespec="microseconds")
        return orjson.dumps(fields, option=orjson.OPT_INDENT_2) + b"\n"

    @classmethod
    def from_json(cls, data: bytes, source: str = "the checkpoint") -> Checkpoint:
        try:
            fields = orjson.loads(data)
            if fields.get("format") != FORMAT or fields.get("version") != VERSION:
                raise ValueError("not a childfirst audit checkpoint")
            return cls(
                seq=int(fields["seq"]),
                hash=str(fields["hash"]),
                at=datetime.fromisoformat(str(fields["at"])),
                keyed_from=int(fields["keyed_from"]),
                key_id=str(fields["key_id"]),
                signature=str(fields["signature"]),
            )
        except (orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ConfigurationError(f"{source} cannot be read: {exc}") from exc

    @classmethod
    def of(cls, row: AuditCheckpoint) -> Checkpoint:
        return cls(row.seq, row.hash, row.at, row.keyed_from, row.key_id, row.signature)


def write_checkpoint(session: Session, key: AuditKey | None = None) -> Checkpoint:
    """Sign where the log now ends, store it and return it (in the caller's transaction)."""
    key = key or current_key()
    ends = head(session)
    found = session.scalar(select(AuditHead.keyed_from).where(AuditHead.id == HEAD_ID))
    keyed_from = found if found is not None else 1
    at = utcnow()
    stored = AuditCheckpoint(
        seq=ends.seq,
        hash=ends.hash,
        at=at,
        keyed_from=keyed_from,
        key_id=key.id,
        signature=checkpoint_signature(key, ends.seq, ends.hash, at, keyed_from),
    )
    session.add(stored)
    session.flush()
    return Checkpoint.of(stored)


def latest(session: Session) -> Checkpoint | None:
    row = session.scalars(
        select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
    ).first()
    return Checkpoint.of(row) if row else None


def checkpoint_database(db: Database, export: Path | None = None) -> Checkpoint:
    """Write a checkpoint now (what ``childfirst audit checkpoint`` calls), and export it."""
    with db.session(write=True) as session:
        lock_chain(session)  # so that the head is not moved on while it is signed
        found = write_checkpoint(session)
    if export is not None:
        export.write_bytes(found.to_json())
    return found


def read_checkpoint(path: Path) -> Checkpoint:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigurationError(f"the checkpoint {path} cannot be read: {exc.strerror}") from exc
    return Checkpoint.from_json(data, f"the checkpoint {path}")
