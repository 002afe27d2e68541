"""Events still to be judged: marked with the records that bring them, unmarked with the findings
the rules store about them, and judged by whoever comes next when a process stopped in between."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from childfirst.domain.clock import utcnow
from childfirst.ingest.importer import import_files, import_parsed
from childfirst.ingest.recording import parse_records, record_batch
from childfirst.rules.batch import evaluate_in_parts
from childfirst.rules.service import (
    default_engine,
    evaluate_events,
    evaluate_pending,
    evaluate_store,
)
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Concern, ImportBatch, PendingEvaluation
from childfirst.store.pending import EVENT, count, every_mark
from tests.factories import AGENCY, event, household_and_detainee, write_jsonl

EVENTS = [record_id("event", AGENCY, "niche", e) for e in ("E1", "E2", "E9")]
APPROPRIATE_ADULT = "custody.child-detainee"


def marked(db: Database) -> int:
    with db.session() as session:
        return count(session)


def raised(db: Database) -> set[str]:
    with db.session() as session:
        return set(session.scalars(select(Concern.rule_id)))


def concerns(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Concern)) or 0


def imported_unjudged(db: Database, tmp_path: Path) -> None:
    """The family and the detainee imported, and the process gone before the rules ran."""
    import_files(db, [write_jsonl(tmp_path / "a.jsonl", household_and_detainee())])
    assert marked(db) == 3
    assert concerns(db) == 0


def test_events_an_import_left_unjudged_are_judged_by_the_next_pending_evaluation(
    db: Database, tmp_path: Path
) -> None:
    imported_unjudged(db, tmp_path)
    result = evaluate_pending(db)
    assert result.events == 3
    assert APPROPRIATE_ADULT in raised(db)
    assert marked(db) == 0
    found = concerns(db)
    assert evaluate_pending(db).events == 0  # nothing left: nothing judged again
    assert concerns(db) == found


def test_an_unchanged_record_adds_no_mark_and_a_changed_event_is_marked_again(
    db: Database, tmp_path: Path
) -> None:
    imported_unjudged(db, tmp_path)
    evaluate_pending(db)
    records = household_and_detainee()
    import_files(db, [write_jsonl(tmp_path / "same.jsonl", records)])
    assert marked(db) == 0
    records[-1] = {**records[-1], "summary": "Held overnight; father attended at 02:00."}
    import_files(db, [write_jsonl(tmp_path / "changed.jsonl", records)])
    assert marked(db) == 1
    assert evaluate_pending(db).events == 1


def test_judging_only_the_waits_of_events_leaves_them_marked(db: Database, tmp_path: Path) -> None:
    imported_unjudged(db, tmp_path)
    evaluate_events(db, EVENTS, wakes_only=True)
    assert marked(db) == 3
    assert evaluate_pending(db).events == 3
    assert APPROPRIATE_ADULT in raised(db)


def test_a_full_evaluation_judges_and_unmarks_every_marked_event(
    db: Database, tmp_path: Path
) -> None:
    imported_unjudged(db, tmp_path)
    evaluate_store(db)
    assert marked(db) == 0
    assert APPROPRIATE_ADULT in raised(db)


def test_judging_some_events_unmarks_those_only(db: Database, tmp_path: Path) -> None:
    imported_unjudged(db, tmp_path)
    evaluate_events(db, EVENTS[:1])
    assert marked(db) == 2
    evaluate_in_parts(db, default_engine(), EVENTS[2:])  # the large-batch path, one part
    assert marked(db) == 1
    assert APPROPRIATE_ADULT in raised(db)


def test_a_recording_sent_again_after_its_request_died_judges_what_it_wrote(
    db: Database,
) -> None:
    items = household_and_detainee()
    parsed, problems = parse_records(items)
    import_parsed(db, parsed, problems, ["recorded by pc.hale"])  # written; then the process died
    assert concerns(db) == 0

    again = record_batch(db, items, by="pc.hale")
    assert again.summary.total_created == 0
    assert again.concern_ids  # the concerns are shown to whoever sent it again
    assert APPROPRIATE_ADULT in raised(db)
    assert marked(db) == 0


def test_an_event_recorded_later_is_judged_with_what_an_earlier_import_left(
    db: Database, tmp_path: Path
) -> None:
    imported_unjudged(db, tmp_path)
    import_files(db, [write_jsonl(tmp_path / "b.jsonl", [event("E20")])])
    assert marked(db) == 4
    assert evaluate_pending(db).events == 4
    assert marked(db) == 0


def test_the_marks_of_an_import_still_writing_are_left_for_it(db: Database, tmp_path: Path) -> None:
    if db.dialect != "postgresql":
        pytest.skip("SQLite writers take turns: no import is writing while another settles")
    imported_unjudged(db, tmp_path)
    # Another import is writing: its mark has its number already, and is not committed yet.
    writing = db.engine.connect()
    try:
        with writing.begin():
            batch = writing.execute(
                insert(ImportBatch)
                .values(started_at=utcnow(), files=["other"])
                .returning(ImportBatch.id)
            ).scalar_one()
            writing.execute(
                insert(PendingEvaluation).values(
                    kind=EVENT, record_id=EVENTS[0], batch_id=batch, marked_at=utcnow()
                )
            )
            import_files(db, [write_jsonl(tmp_path / "b.jsonl", [event("E20")])])
            with db.session() as session:
                seen = every_mark(session)  # what an evaluation starting now settles
        # ...and the other import commits before the evaluation stores its findings.
        with db.session(write=True) as session:
            seen.clear(session)
    finally:
        writing.close()
    assert marked(db) == 1  # the other import's mark is still there, for it to judge
