"""Checking the audit log: every entry, its link and seal, the signed head and a checkpoint.

What is found is said in plain words, one problem a line; an intact log gives none. The checks:

- entries numbered from 1 without gaps (a gap is an entry deleted);
- each entry follows the one before it (its link is the seal of that entry);
- each entry's seal recomputes: under the audit key from the head's ``keyed_from`` on, and under
  the plain hash before it (so an entry edited, or a chain rebuilt without the key, is found);
- the people each entry names are those the "who has seen this person" index files it under;
- the log ends at its signed head (entries cut from the end, or all of them, are found);
- it contains the latest stored checkpoint, and the checkpoint given, with the same seal there.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.audit.chain import HEAD_ID, people_of
from childfirst.audit.checkpoints import Checkpoint, latest
from childfirst.audit.keys import AuditKey, current_key
from childfirst.audit.seals import GENESIS, head_signature, keyed_hash, plain_hash
from childfirst.store.access import AuditEntry, AuditHead, AuditPerson
from childfirst.store.database import Database

# Past this many broken entries the rest are counted, not listed one a line.
MAX_LISTED = 50


@dataclass
class _Walk:
    """What walking the entries found: problems, where the log ends, and the seals asked for."""

    problems: list[str] = field(default_factory=list)
    entry_problems: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    seals: dict[int, str] = field(default_factory=dict)

    def broken(self, problem: str) -> None:
        self.entry_problems += 1
        if self.entry_problems <= MAX_LISTED:
            self.problems.append(problem)


def _indexed(session: Session) -> Iterator[tuple[int, set[str]]]:
    rows = session.execute(
        select(AuditPerson.seq, AuditPerson.person_id).order_by(AuditPerson.seq)
    ).yield_per(5000)
    for seq, group in groupby(rows, key=lambda row: int(row[0])):
        yield seq, {str(person) for _, person in group}


def _walk(session: Session, key: AuditKey, keyed_from: int, wanted: set[int]) -> _Walk:
    walk = _Walk()
    index = _indexed(session)
    filed = next(index, None)
    expected_seq, previous = 1, GENESIS
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).yield_per(1000)
    for entry in entries:
        if entry.seq != expected_seq:
            missing = (
                f"{expected_seq}"
                if entry.seq == expected_seq + 1
                else f"{expected_seq} to {entry.seq - 1}"
            )
            walk.broken(f"entry {missing} is missing: deleted from the log")
        if entry.previous_hash != previous:
            walk.broken(f"entry {entry.seq} does not follow the entry before it")
        seal = plain_hash(entry) if entry.seq < keyed_from else keyed_hash(key, entry)
        if not hmac.compare_digest(seal, entry.hash):
            walk.broken(f"entry {entry.seq} was changed after it was written")
        while filed is not None and filed[0] < entry.seq:
            walk.broken(f"the index of people seen names entry {filed[0]}, which is not in the log")
            filed = next(index, None)
        named = set(people_of(entry))
        indexed = filed[1] if filed is not None and filed[0] == entry.seq else set()
        if named != indexed:
            walk.broken(f"the people entry {entry.seq} names are not those filed under it")
        if filed is not None and filed[0] == entry.seq:
            filed = next(index, None)
        if entry.seq in wanted:
            walk.seals[entry.seq] = entry.hash
        expected_seq, previous = entry.seq + 1, entry.hash
    walk.last_seq, walk.last_hash = expected_seq - 1, previous
    if walk.entry_problems > MAX_LISTED:
        walk.problems.append(f"... and {walk.entry_problems - MAX_LISTED} more broken entries")
    return walk


def _head_problems(row: AuditHead | None, key: AuditKey, walk: _Walk, empty: bool) -> list[str]:
    if row is None:
        return [] if empty else ["the log's signed head is missing: it was deleted"]
    problems: list[str] = []
    if row.signature:
        expected = head_signature(key, row.seq, row.hash, row.keyed_from)
        if not hmac.compare_digest(expected, row.signature):
            problems.append("the log's head was changed: its signature does not match")
    elif row.seq >= row.keyed_from:
        problems.append("the log's head is not signed")
    if walk.last_seq < row.seq:
        cut = (
            "every entry was removed" if walk.last_seq == 0 else "entries were removed from the end"
        )
        problems.append(
            f"the log ends at entry {walk.last_seq} but its signed head is entry {row.seq}: {cut}"
        )
    elif walk.last_seq > row.seq:
        problems.append(
            f"entries {row.seq + 1} to {walk.last_seq} come after the log's signed head: "
            "they were not written by childfirst"
        )
    elif walk.last_hash != row.hash:
        problems.append(f"entry {row.seq} differs from the log's signed head")
    return problems


def _checkpoint_problems(
    found: Checkpoint, named: str, key: AuditKey, keyed_from: int, walk: _Walk
) -> list[str]:
    if found.key_id != key.id:
        return [f"{named} was signed with another audit key (key {found.key_id})"]
    if not found.signed_by(key):
        return [f"{named} was changed: its signature does not match"]
    problems: list[str] = []
    if found.keyed_from != keyed_from:
        problems.append(
            f"{named} has the key sealing entries from entry {found.keyed_from}, "
            f"the log from entry {keyed_from}"
        )
    if found.seq > walk.last_seq:
        cut = (
            "every entry was removed" if walk.last_seq == 0 else "entries were removed from the end"
        )
        problems.append(
            f"the log ends at entry {walk.last_seq} but {named} records entry {found.seq}: {cut}"
        )
    elif found.seq and found.seq not in walk.seals:
        problems.append(f"entry {found.seq}, which {named} records, is missing")
    elif found.seq and walk.seals[found.seq] != found.hash:
        problems.append(f"entry {found.seq} differs from {named}: the log was rewritten")
    return problems


def verify(
    session: Session, checkpoint: Checkpoint | None = None, key: AuditKey | None = None
) -> list[str]:
    """Every problem with the log, in plain words; an empty list when it is intact.

    ``checkpoint`` is one kept elsewhere (``childfirst audit checkpoint --export``), checked as
    well as the latest stored one.
    """
    key = key or current_key()
    row = session.get(AuditHead, HEAD_ID)
    if row is not None and row.key_id and row.key_id != key.id:
        return [
            f"the log is sealed with another audit key (key {row.key_id}) than the one "
            f"configured (key {key.id}): set CHILDFIRST_AUDIT_KEY to the key the log was written with"
        ]
    keyed_from = row.keyed_from if row is not None else 1
    stored = latest(session)
    checks = [
        (found, named)
        for found, named in (
            (stored, "the latest stored checkpoint"),
            (checkpoint, "the checkpoint given"),
        )
        if found is not None
    ]
    walk = _walk(session, key, keyed_from, {found.seq for found, _ in checks})
    problems = walk.problems + _head_problems(row, key, walk, walk.last_seq == 0 and not stored)
    for found, named in checks:
        problems.extend(_checkpoint_problems(found, named, key, keyed_from, walk))
    return problems


def key_problem(db: Database, key: AuditKey | None = None) -> str | None:
    """Why this process cannot add to the log (it holds another key than the log's), or None:
    what ``serve`` checks before it answers, rather than refusing every audited page later."""
    key = key or current_key()
    with db.session() as session:
        row = session.get(AuditHead, HEAD_ID)
    if row is not None and row.key_id and row.key_id != key.id:
        return (
            f"the audit log is sealed with another audit key (key {row.key_id}) than the one "
            f"configured (key {key.id}): set CHILDFIRST_AUDIT_KEY to the key the log was "
            "written with"
        )
    return None


def verify_database(db: Database, checkpoint: Checkpoint | None = None) -> list[str]:
    """``verify`` in a read session of ``db``: what ``childfirst audit verify`` calls."""
    with db.session() as session:
        return verify(session, checkpoint)
