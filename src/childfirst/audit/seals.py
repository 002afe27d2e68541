"""What seals an audit entry, the log's head and a checkpoint: hashes of their content.

Entries written before the audit key existed carry a plain SHA-256 of their content and the entry
before; every later entry carries an HMAC-SHA256 under the audit key of the same and of the people
the entry names. The head and checkpoints are signed with the key, so none of them can be made
again by someone who can change the database but does not hold the key.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import orjson

from childfirst.audit.keys import AuditKey
from childfirst.store.access import AuditEntry

GENESIS = "0" * 64


def _moment(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")


def _content(entry: AuditEntry) -> list[object]:
    return [
        entry.seq,
        _moment(entry.at),
        entry.who,
        entry.role,
        entry.action,
        entry.target_kind,
        entry.target_id,
        entry.child_id,
        entry.why,
    ]


def plain_hash(entry: AuditEntry) -> str:
    """The hash entries had before the audit key: anyone can recompute it."""
    return hashlib.sha256(orjson.dumps([*_content(entry), entry.previous_hash])).hexdigest()


def keyed_hash(key: AuditKey, entry: AuditEntry) -> str:
    """The seal of an entry under the audit key: its content, the people named and the link."""
    return key.seal(orjson.dumps([*_content(entry), entry.people, entry.previous_hash]))


def head_signature(key: AuditKey, seq: int, hash_: str, keyed_from: int) -> str:
    return key.seal(orjson.dumps(["head", seq, hash_, keyed_from]))


def checkpoint_signature(key: AuditKey, seq: int, hash_: str, at: datetime, keyed_from: int) -> str:
    return key.seal(orjson.dumps(["checkpoint", seq, hash_, _moment(at), keyed_from]))
