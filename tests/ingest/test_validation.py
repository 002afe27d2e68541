"""Bad input: a clear message naming file, line and field, and nothing written."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from childfirst.errors import ImportValidationError, RecordProblem
from childfirst.ingest import births, checks
from childfirst.ingest.importer import import_files
from childfirst.store.database import Database
from childfirst.store.models import ENTITY_TABLES, Base, ImportBatch
from tests.factories import event, household, location, person, relationship, write_jsonl
from tests.test_cli import childfirst


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
    "NaN in the details": (
        _with(3, json.dumps(event(details={"injuries": math.nan}))),
        4,
        "details.injuries",
        "NaN and Infinity are not allowed",
    ),
    "Infinity in the details": (
        _with(3, json.dumps(event(details={"calls": math.inf}))),
        4,
        "details.calls",
        "NaN and Infinity are not allowed",
    ),
    "-Infinity in the details": (
        _with(3, json.dumps(event(details={"calls": -math.inf}))),
        4,
        "details.calls",
        "NaN and Infinity are not allowed",
    ),
    "a number too large to be finite": (
        _with(3, json.dumps(event(details={"calls": 1})).replace(": 1}", ": 1e999}")),
        4,
        "details.calls",
        "NaN and Infinity are not allowed",
    ),
    "NaN where text belongs": (
        _with(3, json.dumps(event(summary=math.nan))),
        4,
        "summary",
        "(got NaN)",
    ),
    "a member given twice": (
        _with(3, '{"kind": "event", ' + json.dumps(event(event_type="welfare_check"))[1:]),
        4,
        "kind",
        "'kind' is given twice",
    ),
    "a member given twice, deep in the record": (
        _with(
            3,
            orjson.dumps(event()).decode().replace('"person":"P2"', '"person":"P2","person":"P1"'),
        ),
        4,
        "links.0.person",
        "'person' is given twice",
    ),
    "a member given twice, the names spaced": (
        _with(
            1,
            json.dumps(person(), separators=(" , ", " : ")).replace(
                '"sex" :', '"date_of_birth" : "2012-06-30" , "sex" :'
            ),
        ),
        2,
        "date_of_birth",
        "'date_of_birth' is given twice",
    ),
    "a member given twice, one name escaped": (
        _with(1, orjson.dumps(person()).decode().replace('{"kind"', '{"\\u0073ex":"male","kind"')),
        2,
        "sex",
        "'sex' is given twice",
    ),
    "a member given twice, a colon escaped": (
        _with(
            3,
            orjson.dumps(event(summary="at 10:30"))
            .decode()
            .replace("10:30", "10\\u003a30")
            .replace('"location":', '"location":"L1","location":'),
        ),
        4,
        "location",
        "'location' is given twice",
    ),
    "a child present years before her birth": (
        _with(3, event(occurred_at="2009-03-01T20:00:00")),
        4,
        "links.1.person",
        "'P1' was born on 2012-06-30, after this event (2009-03-01)",
    ),
    "a child present the day before her birth": (
        _with(3, event(occurred_at="2012-06-29T23:30:00")),
        4,
        "links.1.person",
        "so cannot be its present",
    ),
    "an unborn child as the subject of work too long before birth": (
        _with(
            3,
            event(
                event_type="referral",
                occurred_at="2011-06-01T10:00:00",
                links=[{"role": "subject", "person": "P1"}],
            ),
        ),
        4,
        "links.0.person",
        "only be the subject of pre-birth work",
    ),
    "born in a month after the event": (
        [
            *_with(1, person(date_of_birth="2012-06-01", dob_precision="month"))[:3],
            event(occurred_at="2012-05-31T12:00:00"),
        ],
        4,
        "links.1.person",
        "was born in June 2012",
    ),
    "born in a year after the event": (
        [
            *_with(1, person(date_of_birth="2012-01-01", dob_precision="year"))[:3],
            event(occurred_at="2011-12-31T12:00:00"),
        ],
        4,
        "links.1.person",
        "was born in 2012",
    ),
    "an empty file": ([], 0, "", "holds no records"),
    "a file of blank lines": (["", "  ", ""], 0, "", "holds no records"),
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


EVENTS_HEADER = "source_agency,source_agency_kind,source_system,source_id,event_type,occurred_at,details,links\n"
PEOPLE_HEADER = "source_agency,source_agency_kind,source_system,source_id,given_name,family_name\n"


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        (
            EVENTS_HEADER + "northmoor-police,police,niche,E9,theft,2025-03-01T18:00:00,"
            '"{""value"": NaN}",victim:P2\n',
            2,
            "details (column details)",
            "'value': NaN and Infinity are not allowed",
        ),
        (
            EVENTS_HEADER + "northmoor-police,police,niche,E9,theft,2025-03-01T18:00:00,"
            '"{""value"": -Infinity}",victim:P2\n',
            2,
            "details (column details)",
            "'value': NaN and Infinity are not allowed",
        ),
        (
            EVENTS_HEADER + "northmoor-police,police,niche,E9,theft,2025-03-01T18:00:00,"
            '"{""risk"": ""low"", ""risk"": ""high""}",victim:P2\n',
            2,
            "details (column details)",
            "'risk' is given twice",
        ),
        (
            EVENTS_HEADER.replace("links", "links,links")
            + "northmoor-police,police,niche,E9,theft,2025-03-01T18:00:00,,"
            "victim:P2,victim:P1\n",
            1,
            "links",
            "in the header twice",
        ),
        (EVENTS_HEADER, 0, "", "holds no records"),
        (PEOPLE_HEADER + "\n", 0, "", "holds no records"),
        ("", 0, "", "holds no records"),
    ],
)
def test_csv_edge_cases_are_named_and_nothing_is_written(
    db: Database, tmp_path: Path, text: str, line: int, field: str, words: str
) -> None:
    base = write_jsonl(tmp_path / "base.jsonl", household())
    path = tmp_path / "edge.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportValidationError) as caught:
        import_files(db, [base, path])
    assert [(p.file, p.line, p.field) for p in caught.value.problems] == [(str(path), line, field)]
    assert words in caught.value.problems[0].reason
    assert _stored(db) == 0


def test_an_empty_file_among_good_ones_stops_the_batch(db: Database, tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", household())
    empty = tmp_path / "events.jsonl"
    empty.write_bytes(b"")
    with pytest.raises(ImportValidationError) as caught:
        import_files(db, [good, empty])
    assert f"{empty}: the file holds no records" in str(caught.value)
    assert _stored(db) == 0  # no batch either


@pytest.mark.parametrize("scan_from", [checks.SCAN_FROM, 0])  # people looked up, or all read
def test_an_event_before_the_birth_of_someone_already_stored_is_refused(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scan_from: int
) -> None:
    monkeypatch.setattr(checks, "SCAN_FROM", scan_from)
    import_files(db, [write_jsonl(tmp_path / "a.jsonl", household())])
    before = _stored(db)
    early = event("E2", occurred_at="2010-05-01T12:00:00")  # Kayleigh was born in 2012
    path = write_jsonl(tmp_path / "b.jsonl", [early])
    with pytest.raises(ImportValidationError) as caught:
        import_files(db, [path])
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (1, "links.1.person")
    assert "'P1' was born on 2012-06-30" in problem.reason
    assert _stored(db) == before


def test_a_date_of_birth_sent_with_the_event_is_the_one_checked(
    db: Database, tmp_path: Path
) -> None:
    # A corrected date of birth in the same batch as an older event: the batch's own record counts.
    import_files(db, [write_jsonl(tmp_path / "a.jsonl", household())])
    corrected = person(date_of_birth="2008-06-30")
    early = event("E2", occurred_at="2010-05-01T12:00:00")
    summary = import_files(db, [write_jsonl(tmp_path / "b.jsonl", [corrected, early])])
    assert (summary.changed["person"], summary.created["event"]) == (1, 1)


@pytest.mark.parametrize("scan_from", [births.SCAN_FROM, 0])  # people looked up, or all read
def test_a_date_of_birth_cannot_be_moved_after_the_events_already_recorded(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scan_from: int
) -> None:
    monkeypatch.setattr(births, "SCAN_FROM", scan_from)
    # Kayleigh was present on 2012-06-30; a later batch that makes her born in 2016 would put her
    # at the incident four years before her birth.
    first = [location(), person("P200"), person("P2", "Donna", "Walsh", date_of_birth="1988-02-11")]
    seen = event(occurred_at="2012-06-30T18:00:00", links=[{"role": "present", "person": "P200"}])
    import_files(db, [write_jsonl(tmp_path / "a.jsonl", [*first, seen])])
    before = _stored(db)
    moved = person("P200", date_of_birth="2016-06-30")
    path = write_jsonl(tmp_path / "b.jsonl", [person("P2", "Donna", "Walsh"), moved])
    with pytest.raises(ImportValidationError) as caught:
        import_files(db, [path])
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 2, "date_of_birth")
    assert "born on 2016-06-30, after event 'E1' (2012-06-30)" in problem.reason
    assert "'P200' as its present" in problem.reason
    assert _stored(db) == before
    # Known only to the year, 2013 is still after the event; 2012 is not, nor is an estimate.
    for precision, dob in (("year", "2013-01-01"), ("month", "2012-07-01")):
        late = person("P200", date_of_birth=dob, dob_precision=precision)
        with pytest.raises(ImportValidationError):
            import_files(db, [write_jsonl(tmp_path / "c.jsonl", [late])])
    for precision, dob in (("year", "2012-12-01"), ("estimated", "2016-06-30")):
        fine = person("P200", date_of_birth=dob, dob_precision=precision)
        summary = import_files(db, [write_jsonl(tmp_path / "d.jsonl", [fine])])
        assert summary.changed["person"] == 1


def test_a_moved_date_of_birth_is_accepted_with_the_event_corrected_in_the_same_batch(
    db: Database, tmp_path: Path
) -> None:
    import_files(db, [write_jsonl(tmp_path / "a.jsonl", household())])
    moved = person(date_of_birth="2016-06-30")
    corrected = event(occurred_at="2025-01-18T23:40:00")  # stays after the new date
    summary = import_files(db, [write_jsonl(tmp_path / "b.jsonl", [moved, corrected])])
    assert summary.changed["person"] == 1
    # And an unborn child may be the subject of pre-birth work before the date of birth.
    import_files(
        db,
        [
            write_jsonl(
                tmp_path / "c.jsonl",
                [
                    person("P7", date_of_birth="2020-01-01"),
                    event(
                        "E7",
                        event_type="referral",
                        occurred_at="2020-03-01T10:00:00",
                        location=None,
                        details={},
                        links=[{"role": "subject", "person": "P7"}],
                    ),
                ],
            )
        ],
    )
    later = person("P7", date_of_birth="2020-06-01")  # the referral is now before the birth
    summary = import_files(db, [write_jsonl(tmp_path / "d.jsonl", [later])])
    assert summary.changed["person"] == 1


def test_the_command_line_names_each_edge_case_without_a_traceback(tmp_path: Path) -> None:
    records: list[Any] = household()
    records[3] = json.dumps(event(details={"injuries": math.nan}))
    records[4] = '{"kind": "relationship", ' + json.dumps(relationship())[1:]
    bad = write_jsonl(tmp_path / "bad.jsonl", records)
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    store = tmp_path / "s.db"
    result = childfirst(
        "import", str(bad), str(empty), "--database", f"sqlite:///{store}", cwd=tmp_path
    )
    assert result.returncode == 2, result.stderr
    assert f"{bad}:4: field 'details.injuries' NaN and Infinity are not allowed" in result.stderr
    assert f"{bad}:5: field 'kind' 'kind' is given twice" in result.stderr
    assert f"{empty}: the file holds no records" in result.stderr
    assert "nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr
