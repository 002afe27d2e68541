"""Bad input: a clear message naming file, line and field, and nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from childfirst.errors import ImportValidationError, RecordProblem
from childfirst.ingest.importer import import_files
from childfirst.store.database import Database
from childfirst.store.models import ENTITY_TABLES, Base, ImportBatch
from tests.factories import event, household, location, person, write_jsonl


def _with(index: int, replacement: Any) -> list[Any]:
    records: list[Any] = household()
    records[index] = replacement
    return records


BAD_BATCHES: dict[str, tuple[list[Any], int, str, str]] = {
    # name: (records, line of the problem, field, words the reason must contain)
    "wrong type": (_with(1, person(date_of_birth=20120630)), 2, "date_of_birth", "date"),
    "unknown event type": (
        _with(3, event(event_type="burglary_dwelling")),
        4,
        "event_type",
        "not one of the",
    ),
    "dangling link": (
        _with(3, event(links=[{"role": "victim", "person": "P404"}])),
        4,
        "links.0.person",
        "refers to person 'P404'",
    ),
    "impossible date": (
        _with(2, person("P2", date_of_birth="1988-02-30")),
        3,
        "date_of_birth",
        "day value",
    ),
    "future date": (
        _with(3, event(occurred_at="2199-01-01T10:00:00")),
        4,
        "occurred_at",
        "in the future",
    ),
    "end before start": (
        _with(3, event(ended_at="2025-01-18T20:00:00")),
        4,
        "",
        "ended_at is before occurred_at",
    ),
    "duplicate id in batch": (
        [*household(), person("P2", "Dona", "Walsh")],
        6,
        "source.id",
        "appears twice",
    ),
    "malformed JSON": (_with(4, '{"kind": "relationship", "source": '), 5, "", "malformed JSON"),
    "wrong encoding": (
        _with(2, b'{"kind": "person", "name": {"given_name": "Zo\xeb"}}'),
        3,
        "",
        "not valid UTF-8",
    ),
    "missing field": (
        _with(0, {k: v for k, v in location().items() if k != "jurisdiction"}),
        1,
        "jurisdiction",
        "Field required",
    ),
    "unknown field": (
        _with(1, person(favourite_colour="blue")),
        2,
        "favourite_colour",
        "Extra inputs",
    ),
    "unknown kind": (_with(4, {"kind": "vehicle", "source": {}}), 5, "kind", "does not match any"),
    "not an object": (_with(4, "[1, 2, 3]"), 5, "", ""),
    "bad postcode": (
        _with(0, location(postcode="NOT A POSTCODE")),
        1,
        "postcode",
        "not a UK postcode",
    ),
    "object in a person role": (
        _with(3, event(links=[{"role": "victim", "object": "V1"}])),
        4,
        "links.0",
        "an object can only be linked",
    ),
    "self relationship": (
        _with(4, {**household()[4], "other": "P2"}),
        5,
        "",
        "relationship with themselves",
    ),
}


def _stored(db: Database) -> int:
    tables: list[type[Base]] = [*ENTITY_TABLES.values(), ImportBatch]
    with db.session() as session:
        return sum(session.scalar(select(func.count()).select_from(t)) or 0 for t in tables)


@pytest.mark.parametrize("name", BAD_BATCHES)
def test_bad_input_is_named_precisely_and_nothing_is_written(
    db: Database, tmp_path: Path, name: str
) -> None:
    records, line, field, words = BAD_BATCHES[name]
    path = write_jsonl(tmp_path / "batch.jsonl", records)
    with pytest.raises(ImportValidationError) as caught:
        import_files(db, [path])
    problems = caught.value.problems
    assert any(
        p.file == str(path) and p.line == line and p.field == field and words in p.reason
        for p in problems
    ), problems
    assert str(path) in str(caught.value)
    assert "nothing was imported" in str(caught.value)
    assert _stored(db) == 0


def test_one_bad_file_stops_the_whole_batch(db: Database, tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", household())
    bad = write_jsonl(tmp_path / "bad.jsonl", [event("E2", event_type="nonsense")])
    with pytest.raises(ImportValidationError):
        import_files(db, [good, bad])
    assert _stored(db) == 0


def test_every_problem_in_a_file_is_reported_at_once(db: Database, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "batch.jsonl",
        [location(postcode="??"), person(sex="x"), person("P2", date_of_birth="1850-01-01")],
    )
    with pytest.raises(ImportValidationError) as caught:
        import_files(db, [path])
    assert sorted((p.line, p.field) for p in caught.value.problems) == [
        (1, "postcode"),
        (2, "sex"),
        (3, "date_of_birth"),
    ]


def test_a_failed_batch_leaves_earlier_imports_untouched(db: Database, tmp_path: Path) -> None:
    import_files(db, [write_jsonl(tmp_path / "a.jsonl", household())])
    before = _stored(db)
    bad = household()
    bad[3] = event(outcome="changed", links=[{"role": "victim", "person": "P404"}])
    with pytest.raises(ImportValidationError):
        import_files(db, [write_jsonl(tmp_path / "b.jsonl", bad)])
    assert _stored(db) == before


def test_csv_problems_name_the_column(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "source_agency,source_agency_kind,source_system,source_id,given_name,family_name,date_of_birth\n"
        "northmoor-police,police,niche,P1,Ann,Lee,2010-01-01\n"
        "northmoor-police,police,niche,P2,Bob,Lee,01/02/2010\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportValidationError) as caught:
        import_files(db, [path])
    assert caught.value.problems == [
        RecordProblem(
            str(path),
            3,
            "date_of_birth (column date_of_birth)",
            caught.value.problems[0].reason,
        )
    ]
    assert "date" in caught.value.problems[0].reason


def test_a_csv_file_with_a_bad_byte_names_its_line(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(
        b"source_agency,source_agency_kind,source_system,source_id,given_name,family_name\n"
        b"northmoor-police,police,niche,P1,Ann,Lee\n"
        b"northmoor-police,police,niche,P2,Zo\xeb,Lee\n"
    )
    with pytest.raises(ImportValidationError) as caught:
        import_files(db, [path])
    assert [(p.line, "UTF-8" in p.reason) for p in caught.value.problems] == [(3, True)]


def test_a_missing_file_is_reported(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ImportValidationError, match="no such file"):
        import_files(db, [tmp_path / "nowhere.jsonl"])


def test_a_broken_record_is_reported_once_not_again_by_each_reference_to_it(
    db: Database, tmp_path: Path
) -> None:
    # The location is invalid; the person and event that refer to it are otherwise fine.
    path = write_jsonl(tmp_path / "batch.jsonl", _with(0, location(postcode="??")))
    with pytest.raises(ImportValidationError) as caught:
        import_files(db, [path])
    assert [(p.line, p.field) for p in caught.value.problems] == [(1, "postcode")]
