"""Writing in an agency's name needs that agency's authority (issue 12, finding 1).

A police account writes for its own force; a record of any other agency sent through the API is
refused with 403, naming the record and its agency, and nothing of the batch is written. The two
attacks of the finding, re-sending a children's social care event with a changed type and summary,
and a made-up school attendance record that would redirect an Operation Encompass notification to
another school, are both refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from childfirst.domain.roles import Role
from childfirst.ingest.importer import import_files
from childfirst.store.access import AuditEntry
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Concern, Event, ImportBatch, Location, Person, RecordVersion
from childfirst.store.sharing import Notification
from tests.factories import (
    AGENCY,
    SCHOOLS,
    at_school,
    event,
    location,
    person,
    source,
    write_jsonl,
)
from tests.web.area import (
    FELLVIEW,
    MIA,
    ST_CUTHBERTS,
    Area,
    build_area,
    domestic_abuse,
)
from tests.web.conftest import ENCOMPASS

CSC = "northmoor-csc"
CSC_EVENT = record_id("event", CSC, "mosaic", "CE1")


def csc_source(rid: str) -> dict[str, Any]:
    return {
        **source(rid),
        "agency": CSC,
        "agency_kind": "childrens_social_care",
        "system": "mosaic",
    }


def csc_event(**fields: Any) -> dict[str, Any]:
    """A strategy discussion children's social care recorded about Kayleigh."""
    return {
        **event(
            "CE1",
            event_type="strategy_discussion",
            occurred_at="2025-10-20T10:00:00",
            summary="Strategy discussion held with the school and the police.",
            links=[{"role": "subject", "person": "C1"}],
            location=None,
        ),
        "source": csc_source("CE1"),
        **fields,
    }


def csc_child() -> dict[str, Any]:
    return {
        **person("C1", "Kayleigh", "Walsh", date_of_birth="2016-06-30"),
        "source": csc_source("C1"),
    }


@pytest.fixture
def area(db: Database, tmp_path: Path) -> Area:
    built = build_area(db, tmp_path)
    import_files(db, [write_jsonl(tmp_path / "csc.jsonl", [csc_child(), csc_event()])])
    return built


def _counts(db: Database) -> tuple[int, ...]:
    """How many records, old versions, batches and audit entries other than refusals are stored."""
    with db.session() as session:
        return (
            *(
                int(session.scalar(select(func.count()).select_from(table)) or 0)
                for table in (Event, Person, RecordVersion, ImportBatch)
            ),
            int(
                session.scalar(select(func.count()).where(AuditEntry.action != "refused records"))
                or 0
            ),
        )


def _refusals(db: Database) -> list[tuple[str, str, str | None]]:
    with db.session() as session:
        rows = session.execute(
            select(AuditEntry.who, AuditEntry.target_id, AuditEntry.why)
            .where(AuditEntry.action == "refused records")
            .order_by(AuditEntry.seq)
        ).all()
    return [(row[0], row[1], row[2]) for row in rows]


def _refused(response: Any, *named: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    detail = response.json()["detail"]
    assert "Nothing was recorded" in detail
    for words in named:
        assert words in detail, detail


def test_a_call_handler_cannot_overwrite_a_social_care_event(area: Area) -> None:
    handler = area.browser("call.handler", Role.CALL_HANDLER)
    before = _counts(area.db)
    changed = csc_event(event_type="welfare_check", summary="Nothing of concern, no action.")
    del changed["kind"]
    _refused(
        handler.post_json("/api/v1/events", changed),
        "call.handler (northmoor-police) may write records only for northmoor-police",
        "event 'CE1'",
        CSC,
    )
    assert _counts(area.db) == before
    # The attempt itself is in the audit log.
    assert _refusals(area.db) == [("call.handler", CSC, f"by {AGENCY} for {CSC}: 1 of 1 records")]
    with area.db.session() as session:
        stored = session.get(Event, CSC_EVENT)
        assert stored is not None
        assert (stored.version, stored.event_type) == (1, "strategy_discussion")
        assert stored.summary == "Strategy discussion held with the school and the police."


def test_a_made_up_school_record_cannot_redirect_a_schools_notification(area: Area) -> None:
    handler = area.browser("call.handler", Role.CALL_HANDLER)
    # Kayleigh "at Fellview" a day before the incident: the schools' latest record would make
    # Fellview her school, and Fellview would be told about her.
    fake = at_school(
        event(
            "SE99",
            event_type="school_attendance_concern",
            occurred_at="2025-11-23T09:00:00",
            location="S2",
            links=[{"role": "subject", "person": "U1"}],
        ),
        "SE99",
    )
    before = _counts(area.db)
    _refused(handler.post_json("/api/v1/records", {"records": [fake]}), "event 'SE99'", SCHOOLS)
    assert _counts(area.db) == before
    officer = area.browser("pc.response", Role.RESPONSE_OFFICER)
    assert officer.post_json("/api/v1/events", domestic_abuse()).status_code == 201
    with area.db.session() as session:
        addressed = set(
            session.execute(select(Notification.organisation, Notification.agency)).all()
        )
    assert addressed == {(ST_CUTHBERTS, "school"), (FELLVIEW, "school")}  # Kayleigh's, Tyler's
    fellview = area.browser("dsl.fellview", Role.SCHOOL, FELLVIEW)
    listed = fellview.client.get("/api/v1/notifications").json()["items"]
    assert [i["child_name"] for i in listed] == ["Tyler Walsh"]


def test_one_record_of_another_agency_refuses_the_whole_batch(area: Area) -> None:
    officer = area.browser("pc.response", Role.RESPONSE_OFFICER)
    own = person("P40", "Ellie", "Ward", date_of_birth="2014-01-01")
    theirs = {**person("P41", "Rhys", "Ward"), "source": {**source("P41"), "agency": "other-force"}}
    before = _counts(area.db)
    seen = event("E41", location=None, links=[{"role": "subject", "person": "P40"}])
    response = officer.post_json("/api/v1/records", {"records": [own, seen, theirs]})
    _refused(response, "record 3 (person 'P41') is a record of other-force")
    assert "record 1" not in response.json()["detail"]
    assert _counts(area.db) == before
    with area.db.session() as session:
        assert session.get(Person, record_id("person", AGENCY, "niche", "P40")) is None


def test_an_account_bound_to_a_partners_feed_writes_for_it(area: Area) -> None:
    feed = area.browser("feed.operator", Role.CALL_HANDLER, write_agencies=[AGENCY, CSC])
    changed = csc_event(summary="Strategy discussion: a child protection conference is called.")
    response = feed.post_json("/api/v1/records", {"records": [changed]})
    assert response.status_code == 201, response.text
    with area.db.session() as session:
        stored = session.get(Event, CSC_EVENT)
        assert stored is not None
        assert stored.version == 2
        versions = session.scalar(select(func.count()).where(RecordVersion.record_id == CSC_EVENT))
        audited = session.execute(
            select(AuditEntry.action, AuditEntry.target_id, AuditEntry.why)
            .where(AuditEntry.who == "feed.operator")
            .order_by(AuditEntry.seq)
        ).all()
    assert versions == 1  # the first version is kept
    batch = str(response.json()["batch_id"])
    assert [tuple(a) for a in audited] == [
        ("recorded records", batch, f"by {AGENCY} for {CSC}: 0 new, 1 changed"),
        ("recorded event", CSC_EVENT, f"by {AGENCY} for {CSC}"),
    ]


def test_an_account_bound_to_no_agency_writes_nothing(area: Area) -> None:
    nobody = area.browser("unbound", Role.RESPONSE_OFFICER, write_agencies=[])
    before = _counts(area.db)
    _refused(
        nobody.post_json("/api/v1/events", domestic_abuse("E900")),
        "may write records only for no agency",
    )
    assert _counts(area.db) == before


def test_every_write_is_audited_with_the_organisation_and_agency(area: Area) -> None:
    officer = area.browser("pc.response", Role.RESPONSE_OFFICER)
    response = officer.post_json("/api/v1/events", domestic_abuse())
    assert response.status_code == 201
    with area.db.session() as session:
        audited = session.execute(
            select(AuditEntry.action, AuditEntry.role, AuditEntry.why)
            .where(AuditEntry.who == "pc.response", AuditEntry.action.like("recorded%"))
            .order_by(AuditEntry.seq)
        ).all()
    assert [tuple(a) for a in audited] == [
        ("recorded records", "response_officer", f"by {AGENCY} for {AGENCY}: 1 new, 0 changed"),
        ("recorded event", "response_officer", f"by {AGENCY} for {AGENCY}"),
    ]
    assert ENCOMPASS in {c["rule_id"] for c in response.json()["concerns"]}


def test_the_incident_form_records_only_for_the_officers_own_force(area: Area) -> None:
    visiting = area.browser("pc.visiting", Role.RESPONSE_OFFICER, organisation="other-force")
    fields = {
        "event_type": "domestic_abuse",
        "occurred_at": "2025-11-24T21:40",
        "location": "L1",  # Northmoor's record of the household's home
        "person_0": "P2",
        "role_0": "victim",
        "submission": "f00dfeedcafe",
    }
    for child in ("mp_kayleigh", "mp_tyler"):
        for question in ("present", "seen", "spoken"):
            fields[f"{question}-{child}"] = "yes"
    before = _counts(area.db)
    response = visiting.post_form("/incidents", fields)
    assert response.status_code == 403
    assert "pc.visiting (other-force) may write records only for other-force" in response.text
    assert f"is a record of {AGENCY}" in response.text
    assert _counts(area.db) == before
    officer = area.browser("pc.response", Role.RESPONSE_OFFICER)
    assert officer.post_form("/incidents", fields).status_code == 303


def phantom_school() -> list[dict[str, Any]]:
    """A made-up school in the force's own name but as an education record, and an attendance
    record there naming the police's records of Kayleigh and of Mia (who has no known school)."""
    education = {"agency_kind": "education"}
    school = location("S99", address="Phantom Academy 2", location_type="school")
    attended = event(
        "SE99",
        event_type="school_attendance_concern",
        occurred_at="2025-11-23T09:00:00",
        location="S99",
        details={},
        links=[{"role": "subject", "person": "P1"}, {"role": "present", "person": "P7"}],
    )
    return [{**r, "source": {**r["source"], **education}} for r in (school, attended)]


PHANTOM = record_id("location", AGENCY, "niche", "S99")


def _encompass_addressed(area: Area) -> set[tuple[str, str | None]]:
    """After a domestic abuse incident with Kayleigh and Mia present: (child, school) of each
    Operation Encompass notification."""
    officer = area.browser("pc.response", Role.RESPONSE_OFFICER)
    links = [
        {"role": "victim", "person": "P2"},
        {"role": "suspect", "person": "P3"},
        {"role": "present", "person": "P1"},
        {"role": "present", "person": "P7"},
    ]
    response = officer.post_json("/api/v1/events", domestic_abuse(links=links))
    assert response.status_code == 201, response.text
    with area.db.session() as session:
        rows = session.execute(
            select(Concern.child_id, Notification.organisation)
            .join(Concern, Concern.id == Notification.concern_id)
            .where(Concern.rule_id == ENCOMPASS)
        ).all()
    return {(child, school) for child, school in rows}


def test_a_forces_account_cannot_write_as_a_school_to_redirect_a_notification(
    area: Area,
) -> None:
    handler = area.browser("call.handler", Role.CALL_HANDLER)
    before = _counts(area.db)
    _refused(
        handler.post_json("/api/v1/records", {"records": phantom_school()}),
        "call.handler (northmoor-police) may write an agency's records only as the kind",
        "record 1 (location 'S99') gives northmoor-police the agency kind education, "
        "but northmoor-police is police",
        "record 2 (event 'SE99')",
    )
    assert _counts(area.db) == before
    assert _refusals(area.db) == [
        ("call.handler", AGENCY, f"by {AGENCY} for {AGENCY}: 2 of 2 records")
    ]
    # Kayleigh's notification goes to her own school; Mia's still has to be sent by hand.
    assert _encompass_addressed(area) == {
        ("mp_kayleigh", ST_CUTHBERTS),
        ("mp_tyler", FELLVIEW),  # her brother, at home
        (MIA, None),
    }


def test_a_school_record_stored_under_a_borrowed_kind_does_not_choose_the_school(
    area: Area, tmp_path: Path
) -> None:
    # Stored by an operator's import, which no account binds: the schools' own records still
    # decide which school is told.
    import_files(area.db, [write_jsonl(tmp_path / "phantom.jsonl", phantom_school())])
    with area.db.session() as session:
        assert session.get(Location, PHANTOM) is not None
    addressed = _encompass_addressed(area)
    assert addressed == {
        ("mp_kayleigh", ST_CUTHBERTS),
        ("mp_tyler", FELLVIEW),  # her brother, at home
        (MIA, None),
    }


def test_an_account_writes_a_partners_records_only_as_the_kind_that_partner_is(
    area: Area,
) -> None:
    feed = area.browser("feed.operator", Role.CALL_HANDLER, write_agencies=[AGENCY, CSC])
    before = _counts(area.db)
    as_school = csc_event(source={**csc_source("CE1"), "agency_kind": "education"})
    _refused(
        feed.post_json("/api/v1/records", {"records": [as_school]}),
        "record 1 (event 'CE1') gives northmoor-csc the agency kind education, "
        "but northmoor-csc is childrens_social_care",
    )
    # An agency new to the store takes one kind for the whole batch.
    new = "northmoor-housing"
    newcomer = area.browser("housing.feed", Role.CALL_HANDLER, write_agencies=[new])
    first = {**person("H1", "Kayleigh", "Walsh"), "source": {**source("H1", new, "housing")}}
    second = {**person("H2", "Donna", "Walsh"), "source": {**source("H2", new, "education")}}
    _refused(
        newcomer.post_json("/api/v1/records", {"records": [first, second]}),
        "record 2 (person 'H2') gives northmoor-housing the agency kind education, "
        "but northmoor-housing is housing",
    )
    assert (
        "record 1"
        not in newcomer.post_json("/api/v1/records", {"records": [first, second]}).json()["detail"]
    )
    assert _counts(area.db) == before
    assert newcomer.post_json("/api/v1/records", {"records": [first]}).status_code == 201
    _refused(
        newcomer.post_json("/api/v1/records", {"records": [second]}),
        "but northmoor-housing is housing",
    )
