"""Matching the person records an import marked as still to be matched (``store/pending.py``).

An import marks each new or changed person record in the transaction that writes it; matching
them against the master person index deletes the marks once it has stored where each went. A
process stopped in between leaves the marks, and whoever comes next matches those records: an
import killed after writing its records and run again finds every person record unchanged, and
still they are placed, as an uninterrupted import would have placed them.

A stop between storing where a record went and deleting its mark has it matched again, afresh
against the index; one that goes where it already is is left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError

from childfirst.linkage.incremental import Assignment, match_new
from childfirst.linkage.index import Progress, RunSummary, latest_model, link_all
from childfirst.store.database import Database
from childfirst.store.pending import PERSON, Marks, all_marks, every_mark, marked_among

ATTEMPTS = 3


@dataclass
class Matched:
    """What matching the marked person records did: how many were marked, and where each went
    (nothing, when there is no master person index yet to match against)."""

    marked: int = 0
    indexed: bool = True
    assigned: list[Assignment] = field(default_factory=list)


def match_marked(db: Database, among: Sequence[str] | None = None) -> Matched:
    """Match the person records marked as still to be matched (only those ``among`` the given
    ones, if given) and delete their marks.

    Without a master person index the marks are deleted unmatched: ``childfirst link`` builds the
    index from every record, as the import would have left it to."""
    with db.session() as session:
        if among is None:
            marks, people = all_marks(session, PERSON)
        else:
            marks, people = marked_among(session, among, PERSON)
    if not people:
        return Matched()
    indexed = latest_model(db) is not None
    assigned = _match(db, people) if indexed else []
    _settle(db, marks)
    return Matched(len(people), indexed, assigned)


def _match(db: Database, people: list[str]) -> list[Assignment]:
    """``match_new``, again if another writer placed one of the records first (on PostgreSQL two
    writers matching the same record side by side: the second is refused by its key). Matched
    again, a record the other placed where it goes is left alone."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return match_new(db, people)
        except IntegrityError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def relink(db: Database, progress: Progress | None = None) -> RunSummary:
    """Re-link every person record (``link_all``) and delete the marks there were on person
    records when it started: linking places every record, marked or not."""
    with db.session() as session:
        marks = every_mark(session, PERSON)
    run = link_all(db, progress=progress)
    _settle(db, marks)
    return run


def _settle(db: Database, marks: Marks) -> None:
    with db.session(write=True) as session:
        marks.clear(session)
