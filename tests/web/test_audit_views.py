"""Every page and answer that shows a person is audited once a view, naming the people shown.

The table below classifies every GET route the application serves: walked here (how to open it, as
whom, and who it must name), showing no one, or audited by its own service and tests. A route added
without being classified fails ``test_every_route_is_classified``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from childfirst.domain.clock import utcnow
from childfirst.domain.roles import Role
from childfirst.ingest.importer import import_files
from childfirst.store.access import AuditEntry
from childfirst.store.identity import record_id
from childfirst.store.models import Action, Concern, Person
from childfirst.store.sharing import Notification
from childfirst.web import audit
from childfirst.web.permissions import PERMISSIONS, PUBLIC, all_routes
from tests.factories import AGENCY, event, person, write_jsonl
from tests.web.conftest import CHILD, PATTERN, TEEN, SignIn, World
from tests.web.test_review_queue import CSC_CHILD, pair_id  # noqa: F401 - a fixture used by name

DONNA, DEAN = (record_id("person", AGENCY, "niche", p) for p in ("P2", "P3"))
HELD = record_id("person", AGENCY, "niche", "P20")
E1 = record_id("event", AGENCY, "niche", "E1")


def _queued(world: World) -> set[str]:
    """Every child with an open action: what a supervisor's queue lists."""
    with world.db.session() as session:
        rows = session.scalars(
            select(Concern.child_id)
            .join(Action, Action.concern_id == Concern.id)
            .where(Action.status == "open", Concern.status != "closed")
        )
        return set(rows)


def _notified(world: World) -> set[str]:
    with world.db.session() as session:
        rows = session.scalars(
            select(Concern.child_id).join(Notification, Notification.concern_id == Concern.id)
        )
        return set(rows)


def _concerned(world: World) -> set[str]:
    """Every child a concern was raised about: what the case review lists (under pseudonyms)."""
    with world.db.session() as session:
        return set(session.scalars(select(Concern.child_id)))


LOOK_UP = (
    f"/incidents/new?find=1&event_type=domestic_abuse&occurred_at=2025-03-03T10:00"
    f"&person_0={DEAN}&role_0=suspect"
)


@dataclass(frozen=True)
class Page:
    role: Role
    path: str
    named: Callable[[World], set[str]]  # the people the page must name, as the store has them
    headers: dict[str, str] = field(default_factory=dict)
    pair: bool = False  # the path takes the linkage pair's id
    by_name: bool = True  # the page shows their names (not only a record's events or who looked)
    setup: Callable[[World, Path], None] | None = None


def _held_now(world: World, tmp_path: Path) -> None:
    """A boy of 14 brought into custody two hours ago: the dashboard lists him by name."""
    at = (utcnow() - timedelta(hours=2)).replace(tzinfo=None).isoformat(timespec="seconds")
    records = [
        person("P20", "Callum", "Reid", date_of_birth="2012-05-05", sex="male"),
        event(
            "E20",
            event_type="custody_detention",
            occurred_at=at,
            links=[{"role": "detainee", "person": "P20"}],
            details={},
        ),
    ]
    import_files(world.db, [write_jsonl(tmp_path / "held.jsonl", records)])


def _just(*ids: str) -> Callable[[World], set[str]]:
    return lambda _: set(ids)


WALKED: dict[str, Page] = {
    "queue_page": Page(Role.SUPERVISOR, "/queue", _queued),
    "api_queue": Page(Role.SUPERVISOR, "/api/v1/queue", _queued),
    "notifications_page": Page(Role.SUPERVISOR, "/notifications", _notified),
    "api_notifications": Page(Role.SUPERVISOR, "/api/v1/notifications", _notified),
    "dashboard_page": Page(Role.SUPERVISOR, "/dashboards", _just(HELD), setup=_held_now),
    "child_page": Page(Role.PUBLIC_PROTECTION, f"/children/{CHILD}", _just(CHILD, DONNA, DEAN)),
    "child_timeline": Page(
        Role.PUBLIC_PROTECTION,
        f"/children/{CHILD}/timeline",
        _just(CHILD),
        {"HX-Request": "true"},
        by_name=False,
    ),
    "api_child": Page(Role.PUBLIC_PROTECTION, f"/api/v1/children/{CHILD}", _just(CHILD)),
    "child_audit_page": Page(
        Role.SUPERVISOR, f"/children/{CHILD}/audit", _just(CHILD), by_name=False
    ),
    "concern_page": Page(Role.PUBLIC_PROTECTION, "/concerns/{concern}", _just(CHILD)),
    "api_concern": Page(Role.PUBLIC_PROTECTION, "/api/v1/concerns/{concern}", _just(CHILD)),
    "incident_form": Page(Role.RESPONSE_OFFICER, LOOK_UP, _just(DEAN, CHILD)),
    # The incident links the adults; the concerns it raised name the girl.
    "incident_page": Page(Role.RESPONSE_OFFICER, f"/incidents/{E1}", _just(DONNA, DEAN, CHILD)),
    "search_page": Page(Role.ANALYST, "/search?name=Walsh", _just(CHILD, DONNA)),
    "api_search_people": Page(Role.ANALYST, "/api/v1/search/people?name=Hale", _just(TEEN)),
    "api_search_events": Page(
        Role.ANALYST, "/api/v1/search/events?reference=NM/25/E1", _just(DONNA, DEAN)
    ),
    "review_queue_page": Page(Role.ANALYST, "/linkage/review", _just(CHILD, CSC_CHILD)),
    "api_review_queue": Page(Role.ANALYST, "/api/v1/linkage/review", _just(CHILD, CSC_CHILD)),
    "review_pair_page": Page(
        Role.ANALYST, "/linkage/review/{pair}", _just(CHILD, CSC_CHILD), pair=True
    ),
    "api_review_pair": Page(
        Role.ANALYST, "/api/v1/linkage/review/{pair}", _just(CHILD, CSC_CHILD), pair=True
    ),
    # Pseudonyms only on the page; the entry names the children's real ids for the force.
    "case_review_page": Page(Role.CASE_REVIEWER, "/case-review", _concerned, by_name=False),
    "api_case_review": Page(Role.CASE_REVIEWER, "/api/v1/case-review", _concerned, by_name=False),
}
# Pages that show no person: the rules, figures by group, and the ways in.
SHOWS_NO_ONE = {"home", "catalogue_page", "disproportionality_page", "sign_in_form", "openapi"}
# Audited by their own services, with their own tests: the pseudonymised case review's concern
# and child pages (which show no name) and the data protection work (subject access, retention
# review).
AUDITED_BY_THEIR_SERVICE = {
    "case_review_concern_page",
    "case_review_child_page",
    "api_case_review_concern",
    "api_case_review_child",
    "api_protection_due",
    "api_protection_subject_access",
    "retention_review_page",
}


def test_every_route_is_classified(app: FastAPI) -> None:
    shown = {r.name for r in all_routes(app.routes) if "GET" in r.methods and r.name}
    shown -= {name for name in shown if PERMISSIONS.get(name) is PUBLIC} - SHOWS_NO_ONE
    assert shown - set(WALKED) - SHOWS_NO_ONE - AUDITED_BY_THEIR_SERVICE == set()


def _names(world: World, ids: set[str]) -> set[str]:
    with world.db.session() as session:
        return set(session.scalars(select(Person.given_name).where(Person.id.in_(sorted(ids)))))


@pytest.mark.parametrize("route", sorted(WALKED))
def test_each_view_of_a_person_is_one_entry_naming_the_people_shown(
    route: str, world: World, signed_in: SignIn, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    page = WALKED[route]
    path = page.path.replace("{concern}", str(world.concerns[PATTERN]))
    if page.pair:
        path = path.replace("{pair}", str(request.getfixturevalue("pair_id")))
    elif "review" in route:
        request.getfixturevalue("pair_id")
    if page.setup is not None:
        page.setup(world, tmp_path)
    browser = signed_in(page.role)
    with world.db.session() as session:
        before = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
    response = browser.client.get(path, headers=page.headers)
    assert response.status_code == 200, response.text
    expected = page.named(world)
    for name in _names(world, expected) if page.by_name else ():
        assert name in response.text  # the page does show them
    with world.db.session() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > (before or 0)).order_by(AuditEntry.seq)
        ).all()
    assert len(entries) == 1, [(e.who, e.action) for e in entries]
    (entry,) = entries
    assert entry.who == f"demo.{page.role.value}"
    assert expected <= {*audit.people_of(entry), entry.child_id}
    assert audit.verify_database(world.db) == []


def test_a_supervisor_sees_who_was_shown_a_child_on_a_list(world: World, signed_in: SignIn) -> None:
    signed_in(Role.CUSTODY_OFFICER).client.get("/api/v1/search/people?name=Walsh")
    signed_in(Role.SUPERVISOR).client.get("/queue")
    page = signed_in(Role.SUPERVISOR).client.get(f"/children/{CHILD}/audit").text
    assert "demo.custody_officer" in page
    assert "searched people" in page
    assert "viewed work queue" in page
