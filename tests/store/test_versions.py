"""History is kept, and an edit based on an old version is refused rather than lost."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from childfirst.domain.records import PersonRecord
from childfirst.errors import ConcurrentEditError, NotFoundError
from childfirst.ingest.importer import import_files
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Person, RecordVersion
from childfirst.store.versions import history, update_record
from tests.factories import AGENCY, household, person, write_jsonl

PID = record_id("person", AGENCY, "niche", "P1")


@pytest.fixture
def stored(db: Database, tmp_path: Path) -> Database:
    import_files(db, [write_jsonl(tmp_path / "a.jsonl", household())])
    return db


def renamed(family: str) -> PersonRecord:
    edited = person(family=family, addresses=[{"location": "L1", "from_date": "2019-04-01"}])
    return PersonRecord.model_validate_json(orjson.dumps(edited))


def test_an_edit_makes_a_new_version_and_keeps_the_old(stored: Database) -> None:
    with stored.session(write=True) as session:
        assert (
            update_record(session, renamed("Walsh-Byrne"), expected_version=1, changed_by="pc123")
            == 2
        )
    with stored.session() as session:
        current = session.scalars(select(Person).where(Person.id == PID)).one()
        old = session.scalars(select(RecordVersion)).one()
        versions = history(session, "person", PID)
    assert current.family_name == "Walsh-Byrne"
    assert current.version == 2
    assert old.changed_by == "pc123"
    assert old.record["name"]["family_name"] == "Walsh"
    assert [v["record"]["name"]["family_name"] for v in versions] == ["Walsh", "Walsh-Byrne"]


def test_an_edit_based_on_a_stale_version_is_refused(stored: Database) -> None:
    # Two officers open the record at version 1; the first saves, the second must not overwrite.
    with stored.session() as session:
        seen_by_second = session.scalars(select(Person.version).where(Person.id == PID)).one()
    with stored.session(write=True) as session:
        update_record(session, renamed("Byrne"), expected_version=1, changed_by="first")
    with (
        pytest.raises(ConcurrentEditError, match="now at version 2") as caught,
        stored.session(write=True) as session,
    ):
        update_record(
            session, renamed("Walsh"), expected_version=seen_by_second, changed_by="second"
        )
    assert caught.value.expected == 1
    with stored.session() as session:
        assert session.scalars(select(Person.family_name).where(Person.id == PID)).one() == "Byrne"
        assert len(history(session, "person", PID)) == 2


def test_editing_a_record_that_does_not_exist_is_an_error(db: Database) -> None:
    with pytest.raises(NotFoundError), db.session(write=True) as session:
        update_record(session, renamed("Nobody"), expected_version=1, changed_by="x")


def test_the_orm_also_refuses_a_stale_write(stored: Database) -> None:
    from sqlalchemy.orm.exc import StaleDataError

    with stored.sessions() as first, stored.sessions() as second:
        mine = first.get(Person, PID)
        first.commit()  # the form is on screen; no transaction is held open meanwhile
        theirs = second.get(Person, PID)
        assert mine is not None
        assert theirs is not None
        theirs.family_name, theirs.version = "Byrne", 2
        second.commit()
        mine.family_name, mine.version = "Walsh-Byrne", 2
        with pytest.raises(StaleDataError):
            first.commit()
