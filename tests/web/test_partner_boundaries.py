"""Partner boundaries by organisation: every route a partner may use, walked by accounts of two
organisations of each kind and by accounts with none.

Each account must see exactly what is addressed to its own organisation (everything else is 404,
as if it did not exist), and no partner answer may carry what only the police see: who
acknowledged or closed a concern and why, who an action was given to and what they noted, the
concern's history and the police records it rests on. The routes come from ``PERMISSIONS``, so a
route opened to partners later is walked too (or the walk fails, asking how to reach it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from childfirst.domain.clock import utcnow
from childfirst.domain.roles import Role
from childfirst.ingest.importer import import_files
from childfirst.rules import actions as rules_actions
from childfirst.rules import concerns as rules_concerns
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Action, Concern, LinkageRun, MasterMembership
from childfirst.store.sharing import Notification
from childfirst.web.auth import create_account
from childfirst.web.permissions import PARTNERS, PERMISSIONS, all_routes
from childfirst.web.services.partner import POLICE_ONLY, POLICE_ONLY_ACTION
from tests.factories import event, person, source, write_jsonl
from tests.web.area import FELLVIEW, ST_CUTHBERTS, Area, build_area, domestic_abuse
from tests.web.conftest import ENCOMPASS, Browser

NORTHMOOR_CSC, FELLSHIRE_CSC = "northmoor-csc", "fellshire-csc"
NORTHMOOR_HEALTH, FELLSHIRE_HEALTH = "northmoor-health", "fellshire-health"
# What only the police may read: the supervisor's name, a closure reason and an action's note.
SUPERVISOR, SUPERVISOR_NAME = "sgt.hidden", "Sergeant Hiddenfield"
REASON = "Closed after a check of police intelligence only"
NOTE = "Spoke to the intelligence unit about the father"
POLICE_WORDS = (SUPERVISOR, SUPERVISOR_NAME, REASON, NOTE, "pc.response")
# Every child and adult of the area, by the given names that appear in what partners are shown.
CHILDREN = {"mp_kayleigh": "Kayleigh", "mp_tyler": "Tyler"}
PARAMETER = re.compile(r"{(\w+)}")


def csc_record(kind_id: str, **fields: Any) -> dict[str, Any]:
    """Kayleigh as the Northmoor children's social care system records her."""
    return {
        **person(kind_id, "Kayleigh", "Walsh", date_of_birth="2016-06-30"),
        "source": {
            **source(kind_id),
            "agency": NORTHMOOR_CSC,
            "agency_kind": "childrens_social_care",
            "system": "mosaic",
        },
        **fields,
    }


def disclosure(rid: str, child: str) -> dict[str, Any]:
    """A child tells an officer about abuse: the rule asks children's social care for support."""
    return event(
        rid,
        event_type="disclosure",
        occurred_at="2025-11-26T16:00:00",
        summary="Told her teacher, who called us.",
        links=[{"role": "victim", "person": child}, {"role": "suspect", "person": "P3"}],
    )


@dataclass
class Partner:
    """A partner account and what its organisation has been sent or asked to do."""

    browser: Browser
    organisation: str | None
    concerns: set[int] = field(default_factory=set)
    notifications: set[int] = field(default_factory=set)
    actions: set[int] = field(default_factory=set)
    children: set[str] = field(default_factory=set)


@dataclass
class Scene:
    area: Area
    partners: dict[str, Partner]
    concerns: set[int]
    notifications: set[int]
    actions: set[int]


def _known_to_csc(db: Database, tmp_path: Path) -> None:
    """Northmoor's children's social care holds a record of Kayleigh, linked to her."""
    import_files(db, [write_jsonl(tmp_path / "csc.jsonl", [csc_record("C1")])])
    with db.session(write=True) as session:
        run = session.scalar(select(LinkageRun.id).order_by(LinkageRun.id.desc()).limit(1))
        session.execute(
            insert(MasterMembership),
            [
                {
                    "person_id": record_id("person", NORTHMOOR_CSC, "mosaic", "C1"),
                    "master_id": "mp_kayleigh",
                    "run_id": run,
                    "assigned_at": utcnow(),
                }
            ],
        )


def _police_only_work(db: Database) -> None:
    """A supervisor acknowledges every concern, gives every open action to himself, completes
    the social care concern's police action with a note and closes the Encompass concerns."""
    with db.session(write=True) as session:
        create_account(
            session,
            username=SUPERVISOR,
            display_name=SUPERVISOR_NAME,
            role=Role.SUPERVISOR,
            password="a-long-test-password",
            agency_code="northmoor-police",
        )
    with db.session(write=True) as session:
        concerns = list(session.scalars(select(Concern).order_by(Concern.id)))
        for concern in concerns:
            rules_concerns.acknowledge(session, concern.id, by=SUPERVISOR)
        for action in session.scalars(select(Action).order_by(Action.id)):
            rules_actions.assign_action(session, action.id, SUPERVISOR, SUPERVISOR)
            if action.owner_role == Role.PUBLIC_PROTECTION.value:
                rules_actions.complete_action(session, action.id, SUPERVISOR, NOTE)
        for concern in concerns:
            if concern.rule_id == ENCOMPASS:
                rules_concerns.close(session, concern.id, by=SUPERVISOR, reason=REASON)


@pytest.fixture
def scene(db: Database, tmp_path: Path) -> Scene:
    area = build_area(db, tmp_path)
    _known_to_csc(db, tmp_path)
    officer = area.browser("pc.response", Role.RESPONSE_OFFICER)
    for sent in (domestic_abuse(), disclosure("E300", "P1"), disclosure("E301", "P5")):
        assert officer.post_json("/api/v1/events", sent).status_code == 201
    with db.session() as session:
        concerns = list(session.scalars(select(Concern)))
        actions = list(session.scalars(select(Action)))
        notifications = list(session.scalars(select(Notification)))
    accounts = {
        "school": (Role.SCHOOL, ST_CUTHBERTS),
        "other school": (Role.SCHOOL, FELLVIEW),
        "school without one": (Role.SCHOOL, None),
        "social care": (Role.CHILDRENS_SOCIAL_CARE, NORTHMOOR_CSC),
        "other social care": (Role.CHILDRENS_SOCIAL_CARE, FELLSHIRE_CSC),
        "social care without one": (Role.CHILDRENS_SOCIAL_CARE, None),
        "health": (Role.HEALTH, NORTHMOOR_HEALTH),
        "other health": (Role.HEALTH, FELLSHIRE_HEALTH),
        "health without one": (Role.HEALTH, None),
    }
    partners: dict[str, Partner] = {}
    for number, (label, (role, organisation)) in enumerate(accounts.items()):
        browser = area.browser(f"partner.{number}", role, organisation=organisation)
        partners[label] = Partner(browser, organisation)
    # What each organisation should see, worked out from the scene rather than by the code under
    # test: a school its own pupils' notifications and their concerns' actions; Northmoor's social
    # care the social care actions about Kayleigh, the one child it holds a record of.
    by_id = {c.id: c for c in concerns}
    for n in notifications:
        for partner in partners.values():
            if n.agency == partner.browser.role.value and n.organisation == partner.organisation:
                partner.notifications.add(n.id)
                partner.concerns.add(n.concern_id)
                partner.children.add(by_id[n.concern_id].child_id)
                partner.actions |= {a.id for a in actions if a.concern_id == n.concern_id}
    social_care = partners["social care"]
    for a in actions:
        child = by_id[a.concern_id].child_id
        if a.owner_role == Role.CHILDRENS_SOCIAL_CARE.value and child == "mp_kayleigh":
            social_care.concerns.add(a.concern_id)
            social_care.actions.add(a.id)
            social_care.children.add(child)
    assert partners["school"].children == {"mp_kayleigh"}
    assert partners["other school"].children == {"mp_tyler"}
    assert social_care.concerns
    assert social_care.children == {"mp_kayleigh"}
    # Tyler's disclosure asks social care for support too, but no local authority knows him.
    assert any(
        a.owner_role == Role.CHILDRENS_SOCIAL_CARE.value
        and by_id[a.concern_id].child_id == "mp_tyler"
        for a in actions
    )
    _police_only_work(db)
    return Scene(
        area,
        partners,
        {c.id for c in concerns},
        {n.id for n in notifications},
        {a.id for a in actions},
    )


def partner_routes() -> list[str]:
    """Every route a partner role may use, from the permissions table itself."""
    return sorted(
        name
        for name, allowed in PERMISSIONS.items()
        if isinstance(allowed, frozenset) and allowed & PARTNERS
    )


@dataclass(frozen=True)
class Request:
    route: str
    method: str
    path: str
    target: tuple[str, int] | None  # (what the path names, its id)


def requests(scene: Scene) -> Iterator[Request]:
    """Each partner route, once for every record of the kind its path names."""
    ids = {
        "concern_id": scene.concerns | {999_999},
        "notification_id": scene.notifications | {999_999},
        "action_id": scene.actions | {999_999},
    }
    routes = {r.name: r for r in all_routes(scene.area.app.routes)}
    for name in partner_routes():
        route = routes[name]
        methods = sorted(route.methods - {"HEAD"})
        params = PARAMETER.findall(route.path)
        assert len(params) <= 1, f"walk {route.path}: a route with more than one id"
        for method in methods:
            if not params:
                yield Request(name, method, route.path, None)
                continue
            [param] = params
            assert param in ids, f"{route.path}: say which records a partner reaches by {param}"
            for value in sorted(ids[param]):
                path = route.path.replace("{" + param + "}", str(value))
                yield Request(name, method, path, (param, value))


def reachable(partner: Partner, target: tuple[str, int] | None) -> bool:
    if target is None:
        return True
    kind, value = target
    return (
        value
        in {
            "concern_id": partner.concerns,
            "notification_id": partner.notifications,
            "action_id": partner.actions,
        }[kind]
    )


def send(browser: Browser, request: Request) -> Any:
    if request.route == "sign_out":
        return None  # ends the session the walk goes on with (tests/web/test_auth.py)
    if request.method == "GET":
        return browser.client.get(request.path)
    if request.path.startswith("/api/"):
        return browser.post_json(request.path, {})
    return browser.post_form(request.path, {})


def _no_police_fields(body: Any) -> None:
    """No concern or action in an API answer carries a police-only value."""
    if isinstance(body, list):
        for item in body:
            _no_police_fields(item)
        return
    if not isinstance(body, dict):
        return
    if "rule_description" in body:  # a concern
        for key in POLICE_ONLY:
            assert body[key] in (None, []), key
    if "owner_role" in body and "due_rule" in body:  # an action
        for key in POLICE_ONLY_ACTION:
            assert body.get(key) is None, key
    for value in body.values():
        _no_police_fields(value)


def test_the_routes_walked_are_every_partner_route() -> None:
    routes = partner_routes()
    for expected in ("api_concern", "api_notifications", "api_queue", "notification_acknowledge"):
        assert expected in routes
    assert "child_page" not in routes  # a child's whole record is police information


def test_every_partner_route_shows_each_organisation_only_its_own(scene: Scene) -> None:
    walked = 0
    for label, partner in scene.partners.items():
        others = [name for child, name in CHILDREN.items() if child not in partner.children]
        for request in requests(scene):
            response = send(partner.browser, request)
            if response is None:
                continue
            walked += 1
            where = f"{label}: {request.method} {request.path}"
            if not reachable(partner, request.target):
                assert response.status_code == 404, where
                continue
            assert response.status_code in (200, 303), where
            for word in (*POLICE_WORDS, *others):
                assert word not in response.text, f"{where} shows {word!r}"
            if request.path.startswith("/api/") and response.status_code == 200:
                _no_police_fields(response.json())
    assert walked > 9 * len(partner_routes())


def test_each_organisation_lists_exactly_what_is_addressed_to_it(scene: Scene) -> None:
    for label, partner in scene.partners.items():
        client = partner.browser.client
        queue = client.get("/api/v1/queue").json()["items"]
        listed = client.get("/api/v1/notifications").json()["items"]
        assert {i["action_id"] for i in queue} <= partner.actions, label
        assert {i["concern_id"] for i in queue} <= partner.concerns, label
        assert {i["notification"]["id"] for i in listed} == partner.notifications, label
        assert {i["child_id"] for i in queue + listed} <= partner.children, label
        if partner.organisation is None:
            assert queue == listed == [], label
    # Closed concerns leave the queue; Kayleigh's social care actions stay on Northmoor's.
    social_care = scene.partners["social care"].browser.client.get("/api/v1/queue").json()
    assert {i["child_name"] for i in social_care["items"]} == {"Kayleigh Walsh"}
    assert {i["owner_role"] for i in social_care["items"]} == {"childrens_social_care"}


def test_a_partner_sees_a_closed_concern_without_who_closed_it_or_why(scene: Scene) -> None:
    school = scene.partners["school"]
    [concern_id] = school.concerns
    page = school.browser.client.get(f"/concerns/{concern_id}")
    assert page.status_code == 200
    assert "Closed on" in page.text
    assert REASON not in page.text
    assert SUPERVISOR not in page.text
    answer = school.browser.client.get(f"/api/v1/concerns/{concern_id}").json()
    assert answer["status"] == "closed"
    assert (answer["closed_by"], answer["closed_reason"], answer["acknowledged_by"]) == (
        None,
        None,
        None,
    )
    assert answer["history"] == answer["evidence"] == []
    assert all(a["assigned_to"] is None and a["note"] is None for a in answer["actions"])
    police = scene.area.browser("pp.reader", Role.PUBLIC_PROTECTION)
    seen = police.client.get(f"/api/v1/concerns/{concern_id}").json()
    assert (seen["closed_by"], seen["closed_reason"]) == (SUPERVISOR, REASON)
    assert any(a["note"] == NOTE for a in seen["actions"])
