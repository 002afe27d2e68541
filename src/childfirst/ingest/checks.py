"""Checks that need the whole batch (and the store): duplicates, dates, references, and people
linked to events before they were born."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.clock import to_utc
from childfirst.domain.records import EventRecord, PersonRecord, RelationshipRecord, references
from childfirst.domain.vocab import DobPrecision
from childfirst.errors import RecordProblem
from childfirst.ingest.births import Birth, before_birth, moved_births
from childfirst.ingest.readers import Parsed
from childfirst.store.fetch import rows, rows_in
from childfirst.store.identity import record_id
from childfirst.store.models import ENTITY_TABLES, Person

EARLIEST = date(1900, 1, 1)
CHUNK = 500
SCAN_FROM = 5_000


def check_batch(
    parsed: list[Parsed],
    session: Session,
    *,
    now: datetime,
    unreadable: Iterable[RecordProblem] = (),
) -> list[RecordProblem]:
    """Every problem that only shows when the batch is seen whole, in file and line order.

    ``unreadable`` are the problems already found line by line: references to those records are
    not reported again as dangling.
    """
    problems: list[RecordProblem] = []
    seen: dict[str, Parsed] = {}
    births: dict[str, Birth] = {}  # of the batch's people, then of stored people events link
    for item in parsed:
        rec = item.record
        rid = record_id(rec.kind, rec.source.agency, rec.source.system, rec.source.id)
        first = seen.get(rid)
        if first is not None:
            problems.append(
                RecordProblem(
                    item.file,
                    item.line,
                    "source.id",
                    f"{rec.kind} '{rec.source.id}' from {rec.source.agency}/{rec.source.system} "
                    f"appears twice in this batch (first at {first.file}:{first.line})",
                )
            )
            continue
        seen[rid] = item
        problems.extend(_date_problems(item, now))
        if isinstance(rec, PersonRecord) and rec.date_of_birth is not None:
            births[rid] = (rec.date_of_birth, rec.dob_precision)
    failed = {p.record_id for p in unreadable if p.record_id is not None}
    problems.extend(_reference_problems(parsed, set(seen) | failed, session, births))
    problems.extend(
        RecordProblem(item.file, item.line, field, reason)
        for item in parsed
        if isinstance(item.record, EventRecord)
        for field, reason in before_birth(item.record, births)
    )
    problems.extend(moved_births(session, parsed))
    problems.sort(key=lambda p: (p.file, p.line))
    return problems


def _date_problems(item: Parsed, now: datetime) -> Iterable[RecordProblem]:
    rec = item.record
    latest = now + timedelta(days=1)  # allow for clocks and time zones, not for the future

    def bad(field: str, reason: str) -> RecordProblem:
        return RecordProblem(item.file, item.line, field, reason)

    if rec.source.received_at is not None and to_utc(rec.source.received_at) > latest:
        yield bad("source.received_at", "is in the future")
    if isinstance(rec, PersonRecord) and rec.date_of_birth is not None:
        if rec.date_of_birth > latest.date():
            yield bad("date_of_birth", f"{rec.date_of_birth.isoformat()} is in the future")
        elif rec.date_of_birth < EARLIEST:
            yield bad("date_of_birth", f"{rec.date_of_birth.isoformat()} is before 1900")
    if isinstance(rec, EventRecord):
        occurred = rec.occurred_at if rec.occurred_at.tzinfo is None else to_utc(rec.occurred_at)
        if occurred > latest:
            yield bad("occurred_at", f"{rec.occurred_at.isoformat()} is in the future")
        elif occurred.date() < EARLIEST:
            yield bad("occurred_at", f"{rec.occurred_at.isoformat()} is before 1900")
    if isinstance(rec, RelationshipRecord):
        for field, value in (("started_on", rec.started_on), ("ended_on", rec.ended_on)):
            if value is not None and value > latest.date():
                yield bad(field, f"{value.isoformat()} is in the future")


def _reference_problems(
    parsed: list[Parsed], in_batch: set[str], session: Session, births: dict[str, Birth]
) -> list[RecordProblem]:
    """References must resolve to a record of the same source, in this batch or already stored.

    The dates of birth of stored people that are referred to are added to ``births``.
    """
    pending: dict[str, str] = {}  # target id -> kind, for targets not in the batch
    for item in parsed:
        src = item.record.source
        for kind, source_id, _ in references(item.record):
            target = record_id(kind, src.agency, src.system, source_id)
            if target not in in_batch:
                pending[target] = kind
    if not pending:
        return []
    missing = set(pending) - _stored(session, pending, births)
    if not missing:
        return []
    problems = []  # a second, slower pass only when something is missing
    for item in parsed:
        src = item.record.source
        for kind, source_id, field in references(item.record):
            if record_id(kind, src.agency, src.system, source_id) in missing:
                problems.append(
                    RecordProblem(
                        item.file,
                        item.line,
                        field,
                        f"refers to {kind} '{source_id}', which is neither in this batch nor "
                        f"already stored for {src.agency}/{src.system}",
                    )
                )
    return problems


def _stored(session: Session, targets: dict[str, str], births: dict[str, Birth]) -> set[str]:
    """The ids among ``targets`` (id -> kind) that are already in the store; the dates of birth
    of the people among them are added to ``births``."""
    by_kind: dict[str, list[str]] = {}
    for target, kind in targets.items():
        by_kind.setdefault(kind, []).append(target)
    found: set[str] = set()
    for kind, ids in by_kind.items():
        if kind == "person":
            found.update(_stored_people(session, ids, births))
            continue
        table = ENTITY_TABLES[kind]
        if len(ids) > SCAN_FROM:  # many look-ups: reading every id once is cheaper
            wanted = set(ids)
            found.update(i for (i,) in rows(session, select(table.id)) if i in wanted)
            continue
        for start in range(0, len(ids), CHUNK):
            found.update(
                session.scalars(select(table.id).where(table.id.in_(ids[start : start + CHUNK])))
            )
    return found


def _stored_people(session: Session, ids: list[str], births: dict[str, Birth]) -> set[str]:
    """The ids among ``ids`` of people already stored, with their dates of birth."""
    query = select(Person.id, Person.date_of_birth, Person.dob_precision)
    if len(ids) > SCAN_FROM:  # many look-ups: reading every person once is cheaper
        wanted = set(ids)
        found = [row for row in rows(session, query) if row[0] in wanted]
    else:
        found = list(rows_in(session, query, Person.id, ids, CHUNK))
    for pid, dob, precision in found:
        if dob is not None:
            births[pid] = (dob, DobPrecision(precision))
    return {pid for pid, _, _ in found}
