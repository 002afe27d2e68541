"""The children-first incident form: every child around the people and the address is listed, each
child's account is required (or why not), and recording it raises the concerns at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from childfirst.domain.roles import Role
from childfirst.store.access import AuditEntry
from childfirst.store.database import Database
from childfirst.store.models import Concern, Event, EventLink
from childfirst.web import audit
from tests.web.area import (
    HOME,
    HOSTILE,
    JORDAN,
    MIA,
    ST_CUTHBERTS,
    Area,
    build_area,
    police,
)
from tests.web.conftest import DETAINEE, Browser

RHI = "missing.return-home-interview"
INCIDENT_PAGE = re.compile(r"^/incidents/(evt_[0-9a-f]{20})$")


@pytest.fixture
def area(db: Database, tmp_path: Path) -> Area:
    return build_area(db, tmp_path)


@pytest.fixture
def officer(area: Area) -> Browser:
    return area.browser("pc.response", Role.RESPONSE_OFFICER)


def _who(**typed: str) -> dict[str, str]:
    """The first part of the form: a domestic abuse incident at home with the mother and her
    partner, unless told otherwise."""
    fields = {
        "event_type": "domestic_abuse",
        "occurred_at": "2025-11-24T21:40",
        "location": "L1",
        "person_0": "P2",
        "role_0": "victim",
        "person_1": "P3",
        "role_1": "suspect",
        "submission": "a1b2c3d4e5f6",
    }
    fields.update(typed)
    return fields


def _account(key: str, **answers: str) -> dict[str, str]:
    given = {"present": "yes", "seen": "yes", "spoken": "yes", "words": "", **answers}
    return {f"{name}-{key}": value for name, value in given.items()}


def _record(officer: Browser, fields: dict[str, str]) -> Any:
    return officer.post_form("/incidents", fields)


def _event_id(response: Any) -> str:
    assert response.status_code == 303, response.text
    found = INCIDENT_PAGE.match(response.headers["location"])
    assert found is not None
    return found.group(1)


def _count(db: Database, table: Any) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_the_form_lists_every_child_around_the_people_and_the_address(officer: Browser) -> None:
    page = officer.client.get("/incidents/new", params={**_who(), "find": "1"})
    assert page.status_code == 200, page.text
    html = page.text
    # Both children of the house, each in its own group with a legend, and how each is linked.
    assert "<legend>Kayleigh Walsh, aged 9</legend>" in html
    assert "<legend>Tyler Walsh, aged 14</legend>" in html
    assert "child in their care (Donna Walsh)" in html
    assert "lives at the address" in html
    for key in ("mp_kayleigh", "mp_tyler"):
        for item in ("present", "seen", "spoken"):
            assert f'<fieldset class="choice" id="{item}-{key}"' in html
        assert f'<label for="why_not_seen-{key}">' in html
        assert f'<label for="words-{key}">' in html
    assert 'name="csrf_token"' in html
    # Not children around these people: the girl reported missing elsewhere, the detainee.
    assert "Mia Shaw" not in html
    assert "Jordan Hale" not in html


def test_the_first_part_names_what_is_wrong(officer: Browser) -> None:
    page = officer.client.get(
        "/incidents/new", params={**_who(occurred_at="soon", event_type="x"), "find": "1"}
    )
    assert page.status_code == 422
    assert 'href="#occurred_at"' in page.text
    assert 'href="#event_type"' in page.text
    unknown = officer.client.get("/incidents/new", params={**_who(person_0="NOBODY"), "find": "1"})
    assert unknown.status_code == 422
    assert "No single person is recorded as &#39;NOBODY&#39;." in unknown.text
    assert 'href="#person_0"' in unknown.text


def test_a_child_not_seen_or_not_spoken_to_needs_the_reason(area: Area, officer: Browser) -> None:
    fields = {
        **_who(),
        **_account("mp_kayleigh", spoken="no"),
        **_account("mp_tyler", present="no", seen="no", spoken="no"),
    }
    response = _record(officer, fields)
    assert response.status_code == 422
    for field in ("why_not_spoken-mp_kayleigh", "why_not_seen-mp_tyler", "why_not_spoken-mp_tyler"):
        assert f'href="#{field}"' in response.text
    unanswered = _record(officer, {**_who(), **_account("mp_kayleigh")})
    assert unanswered.status_code == 422
    assert "Say whether Tyler Walsh was present." in unanswered.text
    assert _count(area.db, Event) == 2  # only the schools' records: nothing was recorded


def test_recording_a_domestic_abuse_incident_raises_the_school_notification(
    area: Area, officer: Browser
) -> None:
    fields = {
        **_who(),
        **_account("mp_kayleigh", spoken="no", why_not_spoken="Asleep; seen in bed by PC 123"),
        **_account(
            "mp_tyler",
            present="no",
            seen="no",
            spoken="no",
            why_not_seen="Staying with his grandmother",
            why_not_spoken="Not there",
        ),
        "summary": "Shouting heard by neighbours.",
        "violent": "yes",
    }
    event_id = _event_id(_record(officer, fields))
    with area.db.session() as session:
        event = session.get(Event, event_id)
        assert event is not None
        links = dict(
            session.execute(
                select(EventLink.person_id, EventLink.role).where(EventLink.event_id == event_id)
            ).all()
        )
        assert event.location_id == HOME
        assert event.details["violent"] is True
        assert event.details["children_spoken_to"] is False
        assert event.details["child.P5.why_not_seen"] == "Staying with his grandmother"
    assert links == {
        police("person", "P2"): "victim",
        police("person", "P3"): "suspect",
        police("person", "P1"): "present",
        police("person", "P5"): "not_present",
    }
    page = officer.client.get(f"/incidents/{event_id}").text
    assert "Tell the child&#39;s school after a domestic abuse incident" in page
    assert "St Cuthbert&#39;s Primary School, Northmoor" in page
    assert "Not seen because: Staying with his grandmother" in page

    public_protection = area.browser("pp.officer", Role.PUBLIC_PROTECTION)
    queue = public_protection.client.get("/queue").text
    assert "Notify the child&#39;s school (Operation Encompass)" in queue
    school = area.browser("dsl.stcuthberts", Role.SCHOOL, ST_CUTHBERTS)
    notifications = school.client.get("/notifications").text
    assert "Kayleigh Walsh" in notifications
    assert "Tell the child&#39;s school after a domestic abuse incident" in notifications
    with area.db.session() as session:
        concerns = session.scalars(
            select(Concern.child_id).where(Concern.rule_id == "children-first.unrecorded-child")
        ).all()
    # The girl was present but not spoken to alone; her brother was accounted for.
    assert concerns == ["mp_kayleigh"]


def test_the_same_form_submitted_twice_is_one_incident(area: Area, officer: Browser) -> None:
    fields = {**_who(), **_account("mp_kayleigh"), **_account("mp_tyler")}
    first = _event_id(_record(officer, fields))
    events = _count(area.db, Event)
    assert _event_id(_record(officer, fields)) == first
    assert _count(area.db, Event) == events


def test_recording_a_missing_childs_return_makes_the_interview_due(
    area: Area, officer: Browser
) -> None:
    who = _who(
        event_type="missing_returned",
        occurred_at="2025-11-20T06:15",
        location="",
        person_0="P7",
        role_0="subject",
        person_1="",
        role_1="",
    )
    listed = officer.client.get("/incidents/new", params={**who, "find": "1"}).text
    assert "<legend>Mia Shaw, aged 15</legend>" in listed
    assert "named on the incident" in listed
    fields = {**who, **_account(MIA, words="I stayed at a friend&#39;s")}
    event_id = _event_id(_record(officer, fields))
    page = officer.client.get(f"/incidents/{event_id}").text
    assert "Return home interview after a missing episode" in page
    assert "Arrange an independent return home interview" in page
    with area.db.session() as session:
        concern = session.scalar(select(Concern).where(Concern.rule_id == RHI))
        assert concern is not None
        assert concern.child_id == MIA
    coordinator = area.browser("mc.missing", Role.MISSING_COORDINATOR)
    assert "Arrange an independent return home interview" in coordinator.client.get("/queue").text


def test_recording_a_17_year_olds_detention_raises_the_child_detainee_concern(
    area: Area,
) -> None:
    custody = area.browser("ps.custody", Role.CUSTODY_OFFICER)
    who = _who(
        event_type="custody_detention",
        occurred_at="2025-11-25T19:00",
        location="",
        person_0="P9",
        role_0="detainee",
        person_1="",
        role_1="",
    )
    fields = {**who, **_account(JORDAN), "overnight": "yes"}
    event_id = _event_id(_record(custody, fields))
    page = custody.client.get(f"/incidents/{event_id}").text
    assert "A child in custody" in page
    assert "Jordan Hale is 17" in page
    assert "Secure an appropriate adult" in page
    queue = custody.client.get("/api/v1/queue").json()["items"]
    assert {i["rule_id"] for i in queue} == {DETAINEE}
    assert len(queue) == 4


def test_hostile_text_in_every_field_is_stored_verbatim_and_shown_as_text(
    area: Area, officer: Browser
) -> None:
    fields = {
        **_who(),
        **_account(
            "mp_kayleigh",
            spoken="no",
            words=HOSTILE,
            why_not_spoken=HOSTILE,
        ),
        **_account(
            "mp_tyler",
            present="no",
            seen="no",
            spoken="no",
            why_not_seen=HOSTILE,
            why_not_spoken=HOSTILE,
        ),
        "reference": HOSTILE[:200],
        "summary": HOSTILE,
        "outcome": HOSTILE,
    }
    event_id = _event_id(_record(officer, fields))
    with area.db.session() as session:
        event = session.get(Event, event_id)
        assert event is not None
        assert (event.summary, event.outcome, event.reference) == (HOSTILE, HOSTILE, HOSTILE[:200])
        assert event.details["child.P1.words"] == HOSTILE
        assert event.details["child.P5.why_not_seen"] == HOSTILE
    page = officer.client.get(f"/incidents/{event_id}").text
    assert "<script>" not in page
    assert "<img src=x" not in page
    assert page.count("&lt;script&gt;") >= 5
    # Typed into the reference fields of the first part, the payload is only ever text.
    found = officer.client.get(
        "/incidents/new", params={**_who(person_0=HOSTILE, location=HOSTILE), "find": "1"}
    )
    assert found.status_code == 422
    assert "<script>" not in found.text
    assert _count(area.db, Event) == 3


def test_recording_needs_the_csrf_token_and_a_recording_role(area: Area, officer: Browser) -> None:
    fields = {**_who(), **_account("mp_kayleigh"), **_account("mp_tyler")}
    refused = officer.client.post("/incidents", data=fields)
    assert refused.status_code == 403
    analyst = area.browser("an.analyst", Role.ANALYST)
    assert analyst.post_form("/incidents", fields).status_code == 403
    assert analyst.client.get("/incidents/new").status_code == 403
    assert _count(area.db, Event) == 2


def test_an_incident_whose_audit_entry_cannot_be_written_is_not_recorded(
    area: Area, officer: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The incident and its audit entry commit together: with another audit key than the one
    that sealed the log no entry can be written, and no incident is kept without one."""
    with area.db.session(write=True) as session:  # the log, sealed with the key in use
        audit.record(session, audit.Actor("pc.response", "response_officer"), "signed in", "", "")
    events = _count(area.db, Event)
    monkeypatch.setenv("CHILDFIRST_AUDIT_KEY", "another-key-than-the-one-that-sealed-the-log")
    fields = {**_who(), **_account("mp_kayleigh"), **_account("mp_tyler")}
    response = _record(officer, fields)
    assert response.status_code == 409
    assert "another audit key" in response.text
    assert _count(area.db, Event) == events
    monkeypatch.delenv("CHILDFIRST_AUDIT_KEY")
    event_id = _event_id(_record(officer, fields))
    with area.db.session() as session:
        audited = session.scalars(
            select(AuditEntry.target_id).where(AuditEntry.action == "recorded incident")
        ).all()
    assert audited == [event_id]
