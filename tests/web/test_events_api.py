"""Recording events through the API: the import's validation, all or nothing, idempotent, judged at
once, with problem-details errors that name the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from childfirst.domain.roles import Role
from childfirst.store.access import AuditEntry
from childfirst.store.database import Database
from childfirst.store.models import Concern, Event, Person
from tests.factories import person, source
from tests.web.area import (
    FELLVIEW,
    HOSTILE,
    KAYLEIGH,
    ST_CUTHBERTS,
    ST_CUTHBERTS_NAME,
    Area,
    build_area,
    domestic_abuse,
    police,
)
from tests.web.conftest import DETAINEE, ENCOMPASS, Browser

RHI = "missing.return-home-interview"
UNRECORDED = "children-first.unrecorded-child"


@pytest.fixture
def area(db: Database, tmp_path: Path) -> Area:
    return build_area(db, tmp_path)


@pytest.fixture
def officer(area: Area) -> Browser:
    return area.browser("pc.response", Role.RESPONSE_OFFICER)


def _count(db: Database, table: Any) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _by_rule(body: dict[str, Any], child: str | None = None) -> dict[str, dict[str, Any]]:
    return {c["rule_id"]: c for c in body["concerns"] if child is None or c["child_id"] == child}


def test_a_domestic_abuse_incident_raises_the_school_notification_at_once(
    area: Area, officer: Browser
) -> None:
    response = officer.post_json("/api/v1/events", domestic_abuse())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["created"] == 1
    assert body["events"] == [police("event", "E100")]
    concerns = _by_rule(body, "mp_kayleigh")  # the girl as linkage knows her
    encompass = concerns[ENCOMPASS]
    assert encompass["child_name"] == "Kayleigh Walsh"
    assert [a["title"] for a in encompass["actions"]] == [
        "Notify the child's school (Operation Encompass)"
    ]
    [notification] = encompass["notifications"]
    assert notification["organisation"] == ST_CUTHBERTS
    assert notification["organisation_name"] == ST_CUTHBERTS_NAME
    # Her brother lives there too but is not on the record: the children-first rule asks about
    # him, and his own school is told.
    tyler = _by_rule(body, "mp_tyler")
    assert UNRECORDED in tyler
    assert tyler[ENCOMPASS]["notifications"][0]["organisation"] == FELLVIEW
    # She was recorded as present, but not as spoken to alone: the same rule asks about that.
    assert "does not say the child was spoken to alone" in concerns[UNRECORDED]["explanation"]
    concerns = tyler
    queue = officer.client.get("/api/v1/queue").json()
    assert any(i["concern_id"] == concerns[UNRECORDED]["id"] for i in queue["items"])
    with area.db.session() as session:
        entries = session.scalars(select(AuditEntry.action)).all()
    assert "recorded event" in entries


def test_the_same_event_sent_twice_is_recorded_once(area: Area, officer: Browser) -> None:
    first = officer.post_json("/api/v1/events", domestic_abuse()).json()
    events, concerns = _count(area.db, Event), _count(area.db, Concern)
    again = officer.post_json("/api/v1/events", domestic_abuse())
    assert again.status_code == 200
    body = again.json()
    assert (body["created"], body["unchanged"], body["raised"]) == (0, 1, 0)
    assert [c["id"] for c in body["concerns"]] == [c["id"] for c in first["concerns"]]
    assert (_count(area.db, Event), _count(area.db, Concern)) == (events, concerns)


def test_a_changed_event_becomes_a_new_version(area: Area, officer: Browser) -> None:
    officer.post_json("/api/v1/events", domestic_abuse())
    changed = officer.post_json("/api/v1/events", domestic_abuse(outcome="Suspect arrested."))
    assert changed.status_code == 201
    assert changed.json()["changed"] == 1
    with area.db.session() as session:
        event = session.get(Event, police("event", "E100"))
        assert event is not None
        assert event.version == 2


def test_a_batch_with_one_bad_record_writes_nothing(area: Area, officer: Browser) -> None:
    people, events = _count(area.db, Person), _count(area.db, Event)
    bad = domestic_abuse("E200", links=[{"role": "victim", "person": "NOBODY"}])
    response = officer.post_json(
        "/api/v1/records", {"records": [person("P20", "Sam", "Hill"), bad]}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert [e["where"] for e in problem["errors"]] == ["records.1.links.0.person"]
    assert "NOBODY" in problem["errors"][0]["problem"]
    assert (_count(area.db, Person), _count(area.db, Event)) == (people, events)


def test_a_batch_of_a_new_person_and_their_event_is_recorded_together(
    area: Area, officer: Browser
) -> None:
    newcomer = person("P21", "Lee", "Grant", date_of_birth="1990-01-01", sex="male")
    event = domestic_abuse(
        "E201", links=[{"role": "suspect", "person": "P21"}, {"role": "victim", "person": "P2"}]
    )
    response = officer.post_json("/api/v1/records", {"records": [newcomer, event]})
    assert response.status_code == 201, response.text
    assert response.json()["created"] == 2
    assert ENCOMPASS in _by_rule(response.json())


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({**domestic_abuse(), "occurred_at": None}, "records.0.occurred_at"),
        ({**domestic_abuse(), "occurred_at": "yesterday"}, "records.0.occurred_at"),
        ({**domestic_abuse(), "occurred_at": "2031-01-01T00:00:00"}, "records.0.occurred_at"),
        ({**domestic_abuse(), "event_type": "burglary"}, "records.0.event_type"),
        ({**domestic_abuse(), "links": [{"role": "victim"}]}, "records.0.links.0"),
        ({**domestic_abuse(), "source": {"agency": "x"}}, "records.0.source.agency_kind"),
        ({**domestic_abuse(), "details": {"bad key!": 1}}, "records.0.details.bad key!"),
        ({**domestic_abuse(), "surprise": 1}, "records.0.surprise"),
        ({**domestic_abuse(), "location": "L404"}, "records.0.location"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(
    officer: Browser, body: dict[str, Any], where: str
) -> None:
    response = officer.post_json("/api/v1/events", body)
    assert response.status_code == 422, response.text
    assert any(e["where"].startswith(where) for e in response.json()["errors"])


@pytest.mark.parametrize(
    "payload",
    [b"{not json", b"[1, 2]", b'"text"', b"null", b'{"records": "x"}', b'{"records": [1]}'],
)
def test_malformed_bodies_are_problems_not_server_errors(officer: Browser, payload: bytes) -> None:
    for path in ("/api/v1/events", "/api/v1/records"):
        response = officer.client.post(
            path,
            content=payload,
            headers={"content-type": "application/json", "X-CSRF-Token": officer.csrf},
        )
        assert response.status_code == 422, (path, payload, response.text)
        assert response.json()["status"] == 422


def test_a_missing_childs_return_makes_the_return_home_interview_due(
    area: Area, officer: Browser
) -> None:
    returned = {
        "source": source("E300"),
        "event_type": "missing_returned",
        "occurred_at": "2025-11-20T06:15:00+00:00",
        "links": [{"role": "subject", "person": "P7"}],
    }
    body = officer.post_json("/api/v1/events", returned).json()
    interview = _by_rule(body)[RHI]
    [action] = interview["actions"]
    assert action["title"] == "Arrange an independent return home interview"
    assert action["owner_role"] == "missing_coordinator"
    due = datetime.fromisoformat(action["due_at"].replace("Z", "+00:00"))
    due = due if due.tzinfo else due.replace(tzinfo=UTC)  # stored times are UTC
    assert due == datetime(2025, 11, 20, 6, 15, tzinfo=UTC) + timedelta(hours=72)


def test_a_17_year_olds_detention_raises_the_child_detainee_concern(
    area: Area, officer: Browser
) -> None:
    custody = area.browser("ps.custody", Role.CUSTODY_OFFICER)
    detained = {
        "source": source("E400"),
        "event_type": "custody_detention",
        "occurred_at": "2025-11-25T19:00:00",
        "details": {"overnight": True},
        "links": [{"role": "detainee", "person": "P9"}],
    }
    response = custody.post_json("/api/v1/events", detained)
    concern = _by_rule(response.json())[DETAINEE]
    assert "is 17" in concern["explanation"]
    assert len(concern["actions"]) == 4
    assert {a["owner_role"] for a in concern["actions"]} == {"custody_officer"}
    queue = custody.client.get("/api/v1/queue").json()["items"]
    assert {i["concern_id"] for i in queue} >= {concern["id"]}


def test_hostile_text_is_stored_verbatim_and_shown_as_text(area: Area, officer: Browser) -> None:
    event = domestic_abuse(
        summary=HOSTILE,
        outcome=HOSTILE,
        reference=HOSTILE[:200],
        details={"children_present": True, "note": HOSTILE},
    )
    response = officer.post_json("/api/v1/events", event)
    assert response.status_code == 201, response.text
    with area.db.session() as session:
        stored = session.get(Event, police("event", "E100"))
        assert stored is not None
        assert (stored.summary, stored.outcome, stored.details["note"]) == (HOSTILE,) * 3
    assert _count(area.db, Event) > 0  # the table the payload names is still there
    page = officer.client.get(f"/incidents/{police('event', 'E100')}").text
    assert "<script>" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    concern = _by_rule(response.json())[ENCOMPASS]["id"]
    concern_page = officer.client.get(f"/concerns/{concern}").text
    assert "<script>" not in concern_page
    assert "&lt;script&gt;" in concern_page


def test_recording_needs_a_recording_role_and_the_csrf_token(area: Area, officer: Browser) -> None:
    analyst = area.browser("an.analyst", Role.ANALYST)
    assert analyst.post_json("/api/v1/events", domestic_abuse()).status_code == 403
    school = area.browser("head.school", Role.SCHOOL, ST_CUTHBERTS)
    assert school.post_json("/api/v1/events", domestic_abuse()).status_code == 404
    unsigned = officer.client.post("/api/v1/events", json=domestic_abuse())
    assert unsigned.status_code == 403
    assert _count(area.db, Event) == 2  # only the two schools' records


def test_the_recorded_child_is_found_across_sources(area: Area, officer: Browser) -> None:
    officer.post_json("/api/v1/events", domestic_abuse())
    with area.db.session() as session:
        concerns = session.scalars(select(Concern.child_id).where(Concern.rule_id == ENCOMPASS))
        assert set(concerns) == {"mp_kayleigh", "mp_tyler"}
    assert KAYLEIGH.startswith("per_")
