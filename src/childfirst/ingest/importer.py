"""The import: read every file, validate the whole batch, then write all of it in one transaction.

Re-importing a record with the same source and source id never duplicates it: an identical record is
left alone, and a changed one becomes a new version with the old one kept in the history.

Every new or changed event is marked, in the same transaction, as still to be judged by the rules,
and every new or changed person record as still to be matched (``store/pending.py``): if the
process dies before that work is stored, the marks are still there, and the next import, ``serve``
or ``evaluate --pending`` finishes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from childfirst.collector import collector_paused
from childfirst.domain.clock import utcnow
from childfirst.errors import ImportValidationError, RecordProblem
from childfirst.faults import crash_point
from childfirst.ingest.checks import CHUNK, check_batch
from childfirst.ingest.readers import Parsed, read_file
from childfirst.protection.erased import without_erased
from childfirst.store.bulk import insert_rows
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import ENTITY_TABLES, EventLink, ImportBatch, PersonAddress
from childfirst.store.pending import mark
from childfirst.store.rows import Rows, to_rows
from childfirst.store.versions import apply_change

WRITE_ORDER = ("location", "object", "person", "event", "relationship")
INSERT_CHUNK = 5_000
LINKS = cast(Table, EventLink.__table__)
ADDRESSES = cast(Table, PersonAddress.__table__)

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total); total is 0 while unknown."""
Within = Callable[[Session, "ImportSummary"], None]
"""Called in the batch's own transaction once it is written (to audit it, say), so that what it
writes commits, or rolls back, with the batch."""


@dataclass
class ImportSummary:
    batch_id: int
    records: int = 0
    created: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    events_touched: list[str] = field(default_factory=list)  # new or changed events
    persons_touched: list[str] = field(default_factory=list)  # new or changed person records
    # Records not written because they were erased under data protection law, each named.
    skipped_erased: list[str] = field(default_factory=list)

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_changed(self) -> int:
        return sum(self.changed.values())

    @property
    def total_unchanged(self) -> int:
        return sum(self.unchanged.values())


def read_batch(
    paths: Sequence[Path], progress: Progress | None = None
) -> tuple[list[Parsed], list[RecordProblem]]:
    parsed: list[Parsed] = []
    problems: list[RecordProblem] = []
    for path in paths:
        if not path.is_file():
            problems.append(RecordProblem(str(path), 0, "", "no such file"))
            continue
        for result in read_file(path):
            if isinstance(result, Parsed):
                parsed.append(result)
            else:
                problems.append(result)
            done = len(parsed) + len(problems)
            if progress is not None and done % 10_000 == 0:
                progress("reading", done, 0)
    return parsed, problems


def import_files(
    db: Database, paths: Sequence[Path], *, progress: Progress | None = None
) -> ImportSummary:
    """Import the files as one batch, or raise ``ImportValidationError`` and write nothing."""
    started = time.perf_counter()
    # A batch creates millions of long-lived objects and no reference cycles.
    with collector_paused():
        return _import(db, paths, progress, started)


def _import(
    db: Database, paths: Sequence[Path], progress: Progress | None, started: float
) -> ImportSummary:
    parsed, problems = read_batch(paths, progress)
    return import_parsed(db, parsed, problems, [str(p) for p in paths], progress, started)


def import_parsed(
    db: Database,
    parsed: list[Parsed],
    problems: list[RecordProblem],
    files: list[str],
    progress: Progress | None = None,
    started: float | None = None,
    *,
    within: Within | None = None,
) -> ImportSummary:
    """Check records already read (with the problems found reading them) as one batch and write
    all of them in one transaction, or raise ``ImportValidationError`` and write nothing.

    ``files`` says where the batch came from: file names, or who sent it through the API.
    ``within`` is called in that transaction once the records are written.
    """
    started = time.perf_counter() if started is None else started
    problems = list(problems)
    now = utcnow()
    with db.session(write=True) as session:
        problems.extend(check_batch(parsed, session, now=now, unreadable=problems))
        if problems:
            raise ImportValidationError(problems)
        batch = ImportBatch(started_at=now, files=files)
        session.add(batch)
        session.flush()
        summary = ImportSummary(batch_id=batch.id, records=len(parsed))
        _write(session, parsed, summary, now, progress)
        mark(session, batch.id, now, events=summary.events_touched, people=summary.persons_touched)
        session.execute(
            update(ImportBatch)
            .where(ImportBatch.id == batch.id)
            .values(
                finished_at=utcnow(),
                created=summary.total_created,
                changed=summary.total_changed,
                unchanged=summary.total_unchanged,
            )
        )
        if within is not None:
            within(session, summary)
    crash_point("import:written")
    summary.seconds = time.perf_counter() - started
    return summary


def _write(
    session: Session,
    parsed: list[Parsed],
    summary: ImportSummary,
    now: datetime,
    progress: Progress | None,
) -> None:
    parsed, summary.skipped_erased = without_erased(session, parsed)
    by_kind: dict[str, list[Parsed]] = {kind: [] for kind in WRITE_ORDER}
    for item in parsed:
        by_kind[item.record.kind].append(item)
    existing = {kind: _existing(session, kind, by_kind[kind]) for kind in WRITE_ORDER}
    changed: list[tuple[Rows, int]] = []
    written = 0
    for kind in WRITE_ORDER:
        table = cast(Table, ENTITY_TABLES[kind].__table__)
        known = existing[kind]
        created = unchanged = 0
        items = by_kind[kind]
        for start in range(0, len(items), INSERT_CHUNK):
            fresh: list[Rows] = []
            for item in items[start : start + INSERT_CHUNK]:
                rows = to_rows(
                    item.record, received_at=now, batch_id=summary.batch_id, raw=item.raw
                )
                stored = known.get(rows.id)
                if stored is None:
                    fresh.append(rows)
                elif stored[1] != rows.main["content_hash"]:
                    changed.append((rows, stored[0]))
                else:
                    unchanged += 1
            created += len(fresh)
            if kind == "event":
                summary.events_touched.extend(r.id for r in fresh)
            elif kind == "person":
                summary.persons_touched.extend(r.id for r in fresh)
            insert_rows(session, table, [r.main for r in fresh])
            insert_rows(session, LINKS, [link for r in fresh for link in r.links])
            insert_rows(session, ADDRESSES, [a for r in fresh for a in r.addresses])
            written += min(INSERT_CHUNK, len(items) - start)
            crash_point("import:writing")
            if progress is not None:
                progress("writing", written, len(parsed))
        summary.created[kind] = created
        summary.unchanged[kind] = unchanged
        summary.changed[kind] = sum(1 for r, _ in changed if r.kind == kind)
    for rows, version in changed:
        apply_change(session, rows, expected_version=version, now=now, batch_id=summary.batch_id)
        if rows.kind == "event":
            summary.events_touched.append(rows.id)
        elif rows.kind == "person":
            summary.persons_touched.append(rows.id)


def _existing(session: Session, kind: str, items: list[Parsed]) -> dict[str, tuple[int, str]]:
    """Version and content hash of the records among ``items`` that are already stored."""
    table = ENTITY_TABLES[kind]
    if session.scalar(select(table.id).limit(1)) is None:
        return {}  # nothing of this kind stored yet: skip the look-ups
    ids = [
        record_id(kind, i.record.source.agency, i.record.source.system, i.record.source.id)
        for i in items
    ]
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for rid, version, digest in session.execute(
            select(table.id, table.version, table.content_hash).where(table.id.in_(chunk))
        ):
            found[rid] = (version, digest)
    return found
