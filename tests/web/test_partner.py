"""Partner acknowledgement: a school sees and acknowledges only its own pupils' notifications; the
police see who acknowledged and when; everything else is 404 to the partner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.store.access import Account, AuditEntry
from childfirst.store.database import Database
from childfirst.web import audit
from childfirst.web.demo import demo_username, ensure_demo_accounts
from tests.web.area import (
    FELLVIEW,
    HOSTILE,
    ST_CUTHBERTS,
    ST_CUTHBERTS_NAME,
    Area,
    build_area,
    domestic_abuse,
    police,
)
from tests.web.conftest import DETAINEE, ENCOMPASS, Browser


@pytest.fixture
def area(db: Database, tmp_path: Path) -> Area:
    return build_area(db, tmp_path)


@pytest.fixture
def recorded(area: Area) -> dict[tuple[str, str], Any]:
    """A domestic abuse incident and a 17-year-old's detention, recorded through the API."""
    officer = area.browser("pc.response", Role.RESPONSE_OFFICER)
    incident = officer.post_json("/api/v1/events", domestic_abuse()).json()
    detention = {
        "source": {**domestic_abuse()["source"], "id": "E400"},
        "event_type": "custody_detention",
        "occurred_at": "2025-11-25T19:00:00",
        "links": [{"role": "detainee", "person": "P9"}],
    }
    custody = officer.post_json("/api/v1/events", detention).json()
    found: dict[tuple[str, str], Any] = {}
    for concern in incident["concerns"] + custody["concerns"]:
        found.setdefault((concern["rule_id"], concern["child_id"]), concern)
    return found


def _notification(recorded: dict[tuple[str, str], Any], child: str) -> dict[str, Any]:
    [notification] = recorded[(ENCOMPASS, child)]["notifications"]
    return dict(notification)


def test_a_school_sees_and_acknowledges_its_own_pupils_notification(
    area: Area, recorded: dict[tuple[str, str], Any]
) -> None:
    school = area.browser("dsl.stcuthberts", Role.SCHOOL, ST_CUTHBERTS)
    mine = _notification(recorded, "mp_kayleigh")
    listed = school.client.get("/api/v1/notifications").json()
    assert [i["notification"]["id"] for i in listed["items"]] == [mine["id"]]
    assert listed["items"][0]["child_name"] == "Kayleigh Walsh"
    queue = school.client.get("/api/v1/queue").json()["items"]
    assert {i["concern_id"] for i in queue} == {mine["concern_id"]}
    concern = school.client.get(f"/api/v1/concerns/{mine['concern_id']}").json()
    assert concern["evidence"] == []  # the police record behind it is not shared
    assert concern["history"] == []
    assert [n["id"] for n in concern["notifications"]] == [mine["id"]]

    page = school.client.get("/notifications")
    assert page.status_code == 200
    assert "Kayleigh Walsh" in page.text
    assert "Tyler" not in page.text  # his school is another school
    done = school.post_form(f"/notifications/{mine['id']}/acknowledge", {"note": "Key adult told"})
    assert done.status_code == 303

    supervisor = area.browser("sgt.supervisor", Role.SUPERVISOR)
    seen = supervisor.client.get(f"/concerns/{mine['concern_id']}").text
    assert "Acknowledged by dsl.stcuthberts on" in seen
    assert ST_CUTHBERTS_NAME.replace("'", "&#39;") in seen
    everything = supervisor.client.get("/api/v1/notifications").json()["items"]
    acknowledged = {i["notification"]["id"]: i["notification"] for i in everything}
    assert acknowledged[mine["id"]]["acknowledged_by"] == "dsl.stcuthberts"
    assert acknowledged[mine["id"]]["acknowledged_at"] is not None
    assert acknowledged[mine["id"]]["note"] == "Key adult told"
    with area.db.session() as session:
        audited = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "acknowledged notification")
        ).all()
    assert [(a.who, a.target_id, a.child_id) for a in audited] == [
        ("dsl.stcuthberts", str(mine["id"]), "mp_kayleigh")
    ]


def test_acknowledging_twice_through_the_api_changes_nothing(
    area: Area, recorded: dict[tuple[str, str], Any]
) -> None:
    school = area.browser("dsl.stcuthberts", Role.SCHOOL, ST_CUTHBERTS)
    mine = _notification(recorded, "mp_kayleigh")
    path = f"/api/v1/notifications/{mine['id']}/acknowledge"
    first = school.post_json(path, {"note": HOSTILE})
    assert first.status_code == 200
    assert first.json()["note"] == HOSTILE  # stored as written
    again = school.post_json(path).json()
    assert again["acknowledged_at"] == first.json()["acknowledged_at"]
    with area.db.session() as session:
        entries = session.scalars(
            select(AuditEntry.seq).where(AuditEntry.action == "acknowledged notification")
        ).all()
    assert len(entries) == 1
    page = school.client.get("/notifications").text
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_another_school_gets_404_for_everything_not_addressed_to_it(
    area: Area, recorded: dict[tuple[str, str], Any]
) -> None:
    other = area.browser("dsl.fellview", Role.SCHOOL, FELLVIEW)
    hers = _notification(recorded, "mp_kayleigh")
    his = _notification(recorded, "mp_tyler")
    listed = other.client.get("/api/v1/notifications").json()["items"]
    assert [i["notification"]["id"] for i in listed] == [his["id"]]
    missing = other.post_json("/api/v1/notifications/999999/acknowledge")
    for response in (
        other.post_json(f"/api/v1/notifications/{hers['id']}/acknowledge"),
        other.post_form(f"/notifications/{hers['id']}/acknowledge", {}),
        other.client.get(f"/api/v1/concerns/{hers['concern_id']}"),
        other.client.get(f"/concerns/{hers['concern_id']}"),
        other.client.get(f"/api/v1/concerns/{recorded[(DETAINEE, police('person', 'P9'))]['id']}"),
        other.client.get("/incidents/new"),
        other.post_json("/api/v1/events", domestic_abuse("E999")),
        missing,
    ):
        assert response.status_code == 404, response.request.url
    assert (
        missing.json()["detail"]
        == (other.post_json(f"/api/v1/notifications/{hers['id']}/acknowledge").json()["detail"])
    )
    with area.db.session() as session:
        seen = session.scalars(select(AuditEntry).where(AuditEntry.who == "dsl.fellview")).all()
        # Nothing refused is in the log: only the list it was shown, naming its own pupil only.
        assert [(e.action, audit.people_of(e)) for e in seen] == [
            ("viewed notifications", [i["child_id"] for i in listed])
        ]


def test_a_school_account_without_a_school_and_other_partners_see_nothing(
    area: Area, recorded: dict[tuple[str, str], Any]
) -> None:
    hers = _notification(recorded, "mp_kayleigh")
    for browser in (
        area.browser("dsl.unknown", Role.SCHOOL),
        area.browser("hv.health", Role.HEALTH, ST_CUTHBERTS),
    ):
        assert browser.client.get("/api/v1/notifications").json()["items"] == []
        acknowledge = browser.post_json(f"/api/v1/notifications/{hers['id']}/acknowledge")
        assert acknowledge.status_code == 404


def test_the_police_cannot_acknowledge_for_a_school(
    area: Area, recorded: dict[tuple[str, str], Any]
) -> None:
    officer: Browser = area.browser("pp.officer", Role.PUBLIC_PROTECTION)
    hers = _notification(recorded, "mp_kayleigh")
    assert officer.post_json(f"/api/v1/notifications/{hers['id']}/acknowledge").status_code == 403


def test_the_demo_school_account_works_for_a_real_school(
    area: Area, recorded: dict[tuple[str, str], Any]
) -> None:
    ensure_demo_accounts(area.db, deterministic=True)
    with area.db.session() as session:
        school = session.scalar(
            select(Account).where(Account.username == demo_username(Role.SCHOOL))
        )
        assert school is not None
        assert school.agency_code in {ST_CUTHBERTS, FELLVIEW}
