"""Importing: all or nothing, idempotent, and a new version when a record changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from childfirst.ingest.importer import import_files
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Event, EventLink, Person, PersonAddress, RecordVersion
from childfirst.store.versions import history
from tests.factories import AGENCY, event, household, person, relationship, write_jsonl


def count(db: Database, model: type) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_valid_batch_is_stored_with_its_links_and_provenance(
    db: Database, tmp_path: Path
) -> None:
    summary = import_files(db, [write_jsonl(tmp_path / "a.jsonl", household())])
    assert summary.total_created == 5
    with db.session() as session:
        stored = session.scalars(select(Event)).one()
        assert stored.agency == AGENCY
        assert stored.source_id == "E1"
        assert stored.version == 1
        # 23:40 UK winter time is 23:40 UTC; the details survive the round trip
        assert stored.occurred_at.isoformat() == "2025-01-18T23:40:00"
        assert stored.details == {"children_present": True}
        roles = dict(
            session.execute(
                select(EventLink.role, EventLink.person_id).where(EventLink.event_id == stored.id)
            ).all()
        )
        assert roles == {
            "victim": record_id("person", AGENCY, "niche", "P2"),
            "present": record_id("person", AGENCY, "niche", "P1"),
        }
        assert session.scalar(select(func.count()).select_from(PersonAddress)) == 1


def test_reimporting_the_same_records_never_duplicates_them(db: Database, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", household())
    import_files(db, [path])
    again = import_files(db, [path])
    assert again.total_created == 0
    assert again.total_changed == 0
    assert again.total_unchanged == 5
    assert count(db, Person) == 2
    assert count(db, Event) == 1
    assert count(db, EventLink) == 2
    assert count(db, RecordVersion) == 0


def test_a_changed_record_becomes_a_new_version_and_the_old_one_is_kept(
    db: Database, tmp_path: Path
) -> None:
    import_files(db, [write_jsonl(tmp_path / "a.jsonl", household())])
    changed = household()
    changed[3] = event(
        outcome="no further action: insufficient evidence",
        links=[{"role": "victim", "person": "P2"}],
    )
    summary = import_files(db, [write_jsonl(tmp_path / "b.jsonl", changed)])
    assert summary.changed["event"] == 1
    assert summary.total_changed == 1
    eid = record_id("event", AGENCY, "niche", "E1")
    with db.session() as session:
        versions = history(session, "event", eid)
        links = session.scalars(select(EventLink.role).where(EventLink.event_id == eid)).all()
    assert [v["version"] for v in versions] == [1, 2]
    assert "outcome" not in versions[0]["record"]
    assert len(versions[0]["record"]["links"]) == 2
    assert versions[1]["record"]["outcome"] == "no further action: insufficient evidence"
    assert links == ["victim"]
    assert count(db, Event) == 1


def test_received_at_alone_does_not_make_a_new_version(db: Database, tmp_path: Path) -> None:
    first = household()
    import_files(db, [write_jsonl(tmp_path / "a.jsonl", first)])
    resent = household()
    for record in resent:
        record["source"]["received_at"] = "2025-02-01T09:00:00"
    summary = import_files(db, [write_jsonl(tmp_path / "b.jsonl", resent)])
    assert summary.total_changed == 0


def test_records_may_refer_to_records_imported_earlier(db: Database, tmp_path: Path) -> None:
    import_files(db, [write_jsonl(tmp_path / "a.jsonl", household())])
    later = import_files(db, [write_jsonl(tmp_path / "b.jsonl", [event("E2")])])
    assert later.created["event"] == 1
    assert count(db, Event) == 2


def test_the_same_person_from_two_agencies_is_two_source_records(
    db: Database, tmp_path: Path
) -> None:
    other = person()
    other["source"] = {
        **other["source"],
        "agency": "northmoor-csc",
        "agency_kind": "childrens_social_care",
    }
    import_files(db, [write_jsonl(tmp_path / "a.jsonl", [*household(), other])])
    assert count(db, Person) == 3


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_files_of_both_formats_import_together(db: Database, tmp_path: Path, suffix: str) -> None:
    people_csv = tmp_path / "people.csv"
    people_csv.write_text(
        "source_agency,source_agency_kind,source_system,source_id,given_name,family_name,"
        "date_of_birth,sex,aliases,address\n"
        f"{AGENCY},police,niche,P9,Daniel,Price,2009-11-02,male,Danny Price|Dan Pryce,L1\n",
        encoding="utf-8",
    )
    events_csv = tmp_path / "events.csv"
    events_csv.write_text(
        "source_agency,source_agency_kind,source_system,source_id,event_type,occurred_at,"
        "location,details,links\n"
        f'{AGENCY},police,niche,E9,missing_reported,2025-03-01T18:00:00,L1,"{{""risk"": ""medium""}}",'
        "subject:P9;reporter:P2\n",
        encoding="utf-8",
    )
    base = write_jsonl(tmp_path / f"base{suffix}", household()) if suffix == ".jsonl" else None
    files = [p for p in (base, people_csv, events_csv) if p is not None]
    if base is None:
        import_files(db, [write_jsonl(tmp_path / "base.jsonl", household())])
    import_files(db, files)
    with db.session() as session:
        daniel = session.scalars(select(Person).where(Person.source_id == "P9")).one()
        missing = session.scalars(select(Event).where(Event.source_id == "E9")).one()
    assert daniel.aliases[0]["given_name"] == "Danny"
    assert daniel.aliases[1]["family_name"] == "Pryce"
    assert missing.details == {"risk": "medium"}
    assert missing.record["links"][0] == {"role": "subject", "person": "P9"}


@pytest.mark.parametrize(
    ("dob", "precision", "record"),
    [
        # born the day of the incident (the event's UK local day, though 00:30 UK is 23:30 UTC)
        (
            "2025-06-30",
            "exact",
            event("E2", occurred_at="2025-06-30T00:30:00+01:00", event_type="birth"),
        ),
        # known to the month: any day of that month may be the birthday
        ("2012-06-30", "month", event("E2", occurred_at="2012-06-01T09:00:00")),
        # known to the year
        ("2012-12-31", "year", event("E2", occurred_at="2012-01-02T09:00:00")),
        # an officer's estimate of age can be years out
        ("2012-06-30", "estimated", event("E2", occurred_at="2010-01-01T09:00:00")),
        # an unborn child, the subject of a pre-birth child protection plan
        (
            "2025-09-15",
            "exact",
            event(
                "E2",
                event_type="child_protection_plan_started",
                occurred_at="2025-04-02T10:00:00",
                links=[{"role": "subject", "person": "P1"}, {"role": "subject", "person": "P2"}],
            ),
        ),
    ],
)
def test_events_on_or_after_a_birth_as_recorded_are_accepted(
    db: Database, tmp_path: Path, dob: str, precision: str, record: dict[str, Any]
) -> None:
    records = household()
    records[1] = person(date_of_birth=dob, dob_precision=precision)
    records[3] = record
    summary = import_files(db, [write_jsonl(tmp_path / "a.jsonl", records)])
    assert summary.created["event"] == 1
    with db.session() as session:
        stored = session.get(Event, record_id("event", AGENCY, "niche", "E2"))
        assert stored is not None
        assert {link["person"] for link in stored.record["links"]} >= {"P1"}


def test_colons_quotes_and_escapes_in_text_are_not_taken_for_a_member_given_twice(
    db: Database, tmp_path: Path
) -> None:
    said = 'Zoë said "he hit mum": {"again": yes}, at 10:30'
    records: list[Any] = household()
    records[3] = json.dumps(event(summary=said))  # spaced, and ë written as an escape
    records[4] = orjson.dumps(relationship()).decode().replace('"R1"', '"\\u0052\\u0031"')
    summary = import_files(db, [write_jsonl(tmp_path / "a.jsonl", records)])
    assert summary.total_created == 5
    with db.session() as session:
        stored = session.get(Event, record_id("event", AGENCY, "niche", "E1"))
        assert stored is not None
        assert stored.summary == said
