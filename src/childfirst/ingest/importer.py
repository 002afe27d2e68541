"""The import: read every file, validate the whole batch, then write all of it in one transaction.

Re-importing a record with the same source and source id never duplicates it: an identical record is
left alone, and a changed one becomes a new version with the old one kept in the history.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.errors import ImportValidationError, RecordProblem
from childfirst.ingest.checks import CHUNK, check_batch
from childfirst.ingest.readers import Parsed, read_file
from childfirst.store.database import Database
from childfirst.store.models import ENTITY_TABLES, EventLink, ImportBatch, PersonAddress
from childfirst.store.rows import Rows, to_rows
from childfirst.store.versions import apply_change

WRITE_ORDER = ("location", "object", "person", "event", "relationship")
INSERT_CHUNK = 5_000

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total); total is 0 while unknown."""


@dataclass
class ImportSummary:
    batch_id: int
    records: int = 0
    created: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

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
    parsed, problems = read_batch(paths, progress)
    now = utcnow()
    with db.session(write=True) as session:
        problems.extend(check_batch(parsed, session, now=now, unreadable=problems))
        if problems:
            raise ImportValidationError(problems)
        batch = ImportBatch(started_at=now, files=[str(p) for p in paths])
        session.add(batch)
        session.flush()
        summary = ImportSummary(batch_id=batch.id, records=len(parsed))
        _write(session, parsed, summary, now, progress)
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
    summary.seconds = time.perf_counter() - started
    return summary


def _write(
    session: Session,
    parsed: list[Parsed],
    summary: ImportSummary,
    now: datetime,
    progress: Progress | None,
) -> None:
    by_kind: dict[str, list[Rows]] = {kind: [] for kind in WRITE_ORDER}
    for item in parsed:
        by_kind[item.record.kind].append(
            to_rows(item.record, received_at=now, batch_id=summary.batch_id)
        )
    written = 0
    for kind in WRITE_ORDER:
        rows = by_kind[kind]
        existing = _existing(session, kind, [r.id for r in rows])
        fresh = [r for r in rows if r.id not in existing]
        changed = [r for r in rows if r.id in existing and existing[r.id][1] != r.main["content_hash"]]
        summary.created[kind] = len(fresh)
        summary.changed[kind] = len(changed)
        summary.unchanged[kind] = len(rows) - len(fresh) - len(changed)
        table = ENTITY_TABLES[kind].__table__
        for start in range(0, len(fresh), INSERT_CHUNK):
            chunk = fresh[start : start + INSERT_CHUNK]
            session.execute(insert(table), [r.main for r in chunk])
            links = [link for r in chunk for link in r.links]
            if links:
                session.execute(insert(EventLink.__table__), links)
            addresses = [a for r in chunk for a in r.addresses]
            if addresses:
                session.execute(insert(PersonAddress.__table__), addresses)
            written += len(chunk)
            if progress is not None:
                progress("writing", written, len(parsed))
        for r in changed:
            apply_change(
                session,
                r,
                expected_version=existing[r.id][0],
                now=now,
                batch_id=summary.batch_id,
            )
        written += len(rows) - len(fresh)
        if progress is not None:
            progress("writing", written, len(parsed))


def _existing(session: Session, kind: str, ids: list[str]) -> dict[str, tuple[int, str]]:
    """Version and content hash of the records among ``ids`` that are already stored."""
    table = ENTITY_TABLES[kind]
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for rid, version, digest in session.execute(
            select(table.id, table.version, table.content_hash).where(table.id.in_(chunk))
        ):
            found[rid] = (version, digest)
    return found
