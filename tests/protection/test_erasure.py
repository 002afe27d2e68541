"""Erasure takes a person's personal data out of the record and every version of it, keeps a
tombstone and an audit entry, leaves the family's events and concerns whole, and is not undone by
importing the same source records again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from childfirst.errors import InvalidValueError
from childfirst.ingest.importer import import_files
from childfirst.linkage.frame import load_frame
from childfirst.protection.erasure import ERASED_NAME, erase
from childfirst.rules.service import evaluate_store
from childfirst.store.access import AuditEntry
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Concern, Event, EventLink, Person, RecordVersion
from childfirst.store.protection import Erasure
from childfirst.store.sharing import Notification
from childfirst.web.audit import Actor, verify
from tests.factories import AGENCY, event, location, person, write_jsonl
from tests.protection.conftest import (
    GIRL,
    MOTHER,
    PARTNER,
    PARTNER_HOME,
    PARTNER_MARKS,
    Family,
    every_stored_text,
)

DPO = Actor("dpo.hughes", "administrator")


def test_the_partner_is_gone_from_every_table_but_the_audit_log(family: Family) -> None:
    before = every_stored_text(family.db)
    assert all(mark in "\n".join(before.values()) for mark in PARTNER_MARKS)
    with family.db.session() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(RecordVersion)
                .where(RecordVersion.record_id == PARTNER)
            )
            == 1
        )

    erase(family.db, DPO, PARTNER, "court ordered erasure: acquitted, no policing purpose")

    after = every_stored_text(family.db, leave_out=("audit_log",))
    for table, text in after.items():
        for mark in PARTNER_MARKS:
            assert mark.casefold() not in text.casefold(), f"{mark!r} still in {table}"
    assert PARTNER_HOME not in after["locations"]  # nobody else lived there
    assert "Quarry Row" not in "\n".join(after.values())
    with family.db.session() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(RecordVersion)
                .where(RecordVersion.record_id == PARTNER)
            )
            == 0
        )
        row = session.get(Person, PARTNER)
        assert row is not None
        assert (row.given_name, row.family_name, row.date_of_birth) == (None, ERASED_NAME, None)


def test_the_family_stays_whole_and_named_around_the_erased_person(family: Family) -> None:
    erase(family.db, DPO, PARTNER, "acquitted, no policing purpose")
    with family.db.session() as session:
        summaries = list(session.scalars(select(Event.summary).order_by(Event.occurred_at)))
        roles = set(
            session.execute(
                select(EventLink.role, EventLink.person_id).where(EventLink.person_id == PARTNER)
            )
        )
        girl = session.get(Person, GIRL)
        mother = session.get(Person, MOTHER)
    assert summaries[0] is not None
    assert summaries[0].startswith(
        f"Donna Walsh said {ERASED_NAME} (born {ERASED_NAME}) hit her; Kayleigh Walsh was upstairs"
    )
    assert "Mr Cole" not in (summaries[1] or "")
    assert ERASED_NAME in (summaries[1] or "")
    assert roles == {("suspect", PARTNER)}  # still the suspect, now an erased person
    assert girl is not None
    assert (girl.given_name, girl.family_name) == ("Kayleigh", "Walsh")
    assert mother is not None
    assert mother.family_name == "Walsh"

    evaluate_store(family.db)
    with family.db.session() as session:
        rules = set(session.scalars(select(Concern.rule_id).where(Concern.child_id == GIRL)))
    assert "domestic-abuse.cumulative-pattern" in rules


def test_a_tombstone_and_an_audit_entry_say_who_erased_what_and_why(family: Family) -> None:
    erase(family.db, DPO, PARTNER, "acquitted, no policing purpose")
    with family.db.session() as session:
        tombstone = session.scalars(select(Erasure)).one()
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "erasure.erase")
        ).one()
        assert verify(session) == []
    assert (tombstone.record_id, tombstone.erased_by) == (PARTNER, "dpo.hughes")
    assert tombstone.reason == "acquitted, no policing purpose"
    assert tombstone.removed["versions"] == 1
    assert tombstone.removed["addresses"] == 1
    assert tombstone.removed["places"] == 1
    assert tombstone.removed["event texts"] == 2
    assert (entry.who, entry.target_id) == ("dpo.hughes", PARTNER)
    assert not any(mark in str(tombstone.removed) for mark in PARTNER_MARKS)


def test_importing_the_same_file_again_skips_the_erased_person_and_names_him(
    family: Family,
) -> None:
    erase(family.db, DPO, PARTNER, "acquitted, no policing purpose")
    again = import_files(family.db, [family.path])
    assert len(again.skipped_erased) == 1
    assert "northmoor-police/niche/NM-NOMINAL-778123 was erased" in again.skipped_erased[0]
    assert again.total_changed == 0  # the scrubbed events are not brought back either
    text = "\n".join(every_stored_text(family.db, leave_out=("audit_log",)).values())
    assert "Dean" not in text
    assert "1985-09-09" not in text


def test_an_erasure_needs_a_reason_and_happens_once(family: Family) -> None:
    with pytest.raises(InvalidValueError, match="needs a reason"):
        erase(family.db, DPO, PARTNER, "  ")
    erase(family.db, DPO, PARTNER, "acquitted")
    with pytest.raises(InvalidValueError, match="already erased"):
        erase(family.db, DPO, PARTNER, "again")


def test_an_erased_record_is_left_out_of_record_linkage(family: Family) -> None:
    assert PARTNER in {row["unique_id"] for row in load_frame(family.db)}
    erase(family.db, DPO, PARTNER, "acquitted")
    assert PARTNER not in {row["unique_id"] for row in load_frame(family.db)}
    assert load_frame(family.db, [PARTNER]) == []
    assert {row["unique_id"] for row in load_frame(family.db, [GIRL, PARTNER])} == {GIRL}


def test_erasing_a_father_keeps_his_childrens_full_names_everywhere(
    db: Database, tmp_path: Path
) -> None:
    # The children share his family name, live with him, and are on no record of the incident
    # and in no relationship with him: only the concerns and the school's notification name them.
    home = [{"location": "L1", "from_date": "2019-04-01"}]
    records = [
        location(),
        person("P30", "Freya", "Smith", date_of_birth="2022-03-01", addresses=home),
        person("P31", "Charlie", "Smith", date_of_birth="2016-05-05", sex="male", addresses=home),
        person("P32", "Gary", "Smith", date_of_birth="1986-01-01", sex="male", addresses=home),
        person("P33", "Tina", "Brown", date_of_birth="1990-01-01", addresses=home),
        event(
            "E30",
            occurred_at="2025-06-01T22:00:00",
            links=[{"role": "suspect", "person": "P32"}, {"role": "victim", "person": "P33"}],
            summary="Gary Smith shouted at Tina Brown; Mr Smith left.",
            details={},
        ),
    ]
    import_files(db, [write_jsonl(tmp_path / "smiths.jsonl", records)])
    evaluate_store(db)
    with db.session(write=True) as session:
        (notice,) = session.scalars(select(Notification))
        notice.note = "Charlie Smith's class teacher is told; Gary Smith collects him."
    father = record_id("person", AGENCY, "niche", "P32")
    assert erase(db, DPO, father, "court order") == [father]
    with db.session() as session:
        explanations = " ".join(c.explanation for c in session.scalars(select(Concern)))
        note = session.scalars(select(Notification.note)).one()
        summary = session.scalars(select(Event.summary)).one()
    assert "Freya Smith (aged 3)" in explanations
    assert "Charlie Smith (aged 9)" in explanations
    assert note == f"Charlie Smith's class teacher is told; {ERASED_NAME} collects him."
    for text in (explanations, note or "", summary or ""):
        assert "Gary" not in text
        assert "Mr Smith" not in text
