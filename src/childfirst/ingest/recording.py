"""Recording records as they happen: a batch sent by another system or a form, not a file.

The records are in the import format (``domain/records.py``) and take the import's path: each is
validated by the same models, the batch is checked whole and written in one transaction or not at
all, and the identity and content hash of each record make sending it twice harmless (an identical
record is left alone; a changed one becomes a new version). New people are then matched against
the master person index, when one has been built, and the rules judge every event of the batch
against the full history at once, so the concerns and actions they raise can be shown to whoever
recorded it.

Every event of the batch is judged, not only the new ones, and judging twice adds nothing. The
records are written with a mark on each new or changed event and person record
(``store/pending.py``), deleted once the people are matched and the rules' findings stored: if the
process stops in between, sending the same batch again, the next import, ``serve`` start or
``childfirst evaluate --pending`` finishes the work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from childfirst.errors import ImportValidationError, RecordProblem
from childfirst.ingest.importer import ImportSummary, Within, import_parsed
from childfirst.ingest.readers import (
    NON_FINITE,
    Parsed,
    ReadResult,
    duplicate_member,
    non_finite,
    parse_json,
    repeated_reason,
)
from childfirst.rules.engine import Engine
from childfirst.rules.service import Evaluation, evaluate_events, follow_people
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import ConcernEvidence

MAX_RECORDS = 1_000
WHERE = "records"


@dataclass
class Recorded:
    """What a recorded batch did: the import's summary, what the rules found, and the concerns
    that rest on the batch's events (new ones and ones the events added to)."""

    summary: ImportSummary
    event_ids: list[str]
    evaluation: Evaluation | None
    concern_ids: list[int] = field(default_factory=list)
    matched_people: int = 0


def parse_records(items: Sequence[Any]) -> tuple[list[Parsed], list[RecordProblem]]:
    """Each item (a JSON object) as a record, or the problems with it.

    A problem's ``line`` is the item's position counted from 1, and its field the path inside it.
    """
    parsed: list[Parsed] = []
    problems: list[RecordProblem] = []
    if len(items) > MAX_RECORDS:
        return [], [RecordProblem(WHERE, 0, "", f"at most {MAX_RECORDS} records in one batch")]
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(RecordProblem(WHERE, number, "", "each record must be a JSON object"))
            continue
        where = non_finite(item)
        if where is not None:  # JSON has no NaN: written out, it would turn into null unseen
            problems.append(RecordProblem(WHERE, number, where, NON_FINITE))
            continue
        try:
            raw = orjson.dumps(item)
        except TypeError as exc:  # only from callers in Python: JSON bodies always serialise
            problems.append(RecordProblem(WHERE, number, "", f"not JSON data: {exc}"))
            continue
        results: list[ReadResult] = list(parse_json(WHERE, number, raw))
        for result in results:
            if isinstance(result, Parsed):
                parsed.append(result)
            else:
                problems.append(result)
    return parsed, problems


def check_body(body: bytes, collection: str = "") -> None:
    """Refuse a request body that names a member twice in one object, naming where.

    A JSON parser keeps the last of two same-named members without a word, so this is checked on
    the body as received, before it is parsed into records. ``collection`` is the body's member
    that holds the records (``records``), or empty when the body is one record.
    """
    path = duplicate_member(body)
    if path is None:
        return
    where, position, field = WHERE, 1, path
    if collection:
        head, _, rest = path.partition(".")
        index, _, inner = rest.partition(".")
        if head == collection and index.isdigit():
            position, field = int(index) + 1, inner
        else:  # outside the records: the path is from the top of the body
            where, position = "", 0
    raise ImportValidationError([RecordProblem(where, position, field, repeated_reason(path))])


def record_batch(
    db: Database,
    items: Sequence[Any],
    *,
    by: str,
    engine: Engine | None = None,
    match_people: bool = True,
    within: Within | None = None,
) -> Recorded:
    """Validate, write (all or nothing), match new people and judge the events of ``items``.

    ``by`` says who sent the batch; it is kept with the batch as where it came from. Raises
    ``ImportValidationError`` naming every problem, each by position and field, and writes
    nothing if any record is wrong. ``within`` is called in the write's own transaction (to audit
    it, so that a record is never kept without its audit entry).
    """
    parsed, problems = parse_records(items)
    if not parsed and not problems:
        problems.append(RecordProblem(WHERE, 0, "", "no records were sent"))
    if problems:
        raise ImportValidationError(problems)
    source = [f"recorded by {by}"]
    try:
        summary = import_parsed(db, parsed, [], source, within=within)
    except IntegrityError:
        # Someone else wrote one of these records between our check and our write (PostgreSQL
        # checks at the write): the batch was rolled back whole; checked again, it is now known.
        summary = import_parsed(db, parsed, [], source, within=within)
    event_ids = [
        record_id("event", p.record.source.agency, p.record.source.system, p.record.source.id)
        for p in parsed
        if p.record.kind == "event"
    ]
    person_ids = [
        record_id("person", p.record.source.agency, p.record.source.system, p.record.source.id)
        for p in parsed
        if p.record.kind == "person"
    ]
    matched = _match(db, person_ids) if match_people else 0
    evaluation = evaluate_events(db, event_ids, engine) if event_ids else None
    return Recorded(summary, event_ids, evaluation, concerns_resting_on(db, event_ids), matched)


def _match(db: Database, person_ids: list[str]) -> int:
    """Match the batch's person records still marked as to be matched (new or changed ones, here
    or in an earlier sending that stopped first) against the master person index, once one has
    been built; without one, the records stand for themselves until `childfirst link`."""
    if not person_ids:
        return 0
    from childfirst.linkage.pending import match_marked

    assigned = match_marked(db, among=person_ids).assigned
    if assigned:
        follow_people(db)
    return len(assigned)


def concerns_resting_on(db: Database, event_ids: Sequence[str]) -> list[int]:
    """The concerns whose evidence includes any of the events, oldest first."""
    if not event_ids:
        return []
    with db.session() as session:
        return sorted(
            set(
                session.scalars(
                    select(ConcernEvidence.concern_id).where(
                        ConcernEvidence.event_id.in_(sorted(set(event_ids)))
                    )
                )
            )
        )
