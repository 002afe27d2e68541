"""The declared permission matrix, walked over every route with every role; partners see only
what is addressed to their agency."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.pseudonyms import Pseudonyms
from childfirst.store.models import Action, Concern
from childfirst.web.permissions import (
    OPTIONAL,
    PARTNERS,
    PERMISSIONS,
    PUBLIC,
    all_routes,
    allows,
    can_see_concern,
    undeclared,
)
from childfirst.web.services.case_review import CHILD_KEY, CONCERN_KEY
from tests.web.conftest import (
    CHILD,
    DETAINEE,
    ENCOMPASS,
    SECRET,
    Browser,
    SignIn,
    TestClient,
    World,
    user_for,
)

DENIED = {401, 403}


def _request(browser: Browser, method: str, path: str) -> int:
    """The status of one request; a redirect to the sign-in page counts as 401."""
    if method == "GET":
        response = browser.client.get(path)
    elif path.startswith("/api/"):
        body = {"reason": "Checked with the school; no further concern"} if "close" in path else {}
        response = browser.post_json(path, body)
    else:
        response = browser.post_form(path, {"reason": "Plan agreed at strategy meeting"})
    if response.status_code == 303 and response.headers["location"].startswith("/sign-in?next="):
        return 401
    return int(response.status_code)


def _encompass_action(world: World) -> int:
    """An action of the concern the walk uses."""
    with world.db.session() as session:
        found = session.scalar(
            select(Action.id).where(Action.concern_id == world.concerns[ENCOMPASS]).limit(1)
        )
    assert found is not None
    return found


def _review_key(path: str, world: World) -> str:
    """The case review's pseudonymous key for the walk's concern, or its child."""
    if "/concerns/" in path:
        return Pseudonyms(SECRET).token(CONCERN_KEY, str(world.concerns[ENCOMPASS]))
    return Pseudonyms(SECRET).token(CHILD_KEY, CHILD)


def _sample(path: str, world: World) -> str:
    return (
        path.replace("{key}", _review_key(path, world))
        .replace("{concern_id}", str(world.concerns[ENCOMPASS]))
        .replace("{action_id}", str(_encompass_action(world)))
        .replace("{child_id}", CHILD)
        .replace("{path:path}", "childfirst.css")
    )


def _visible_to(world: World, role: Role, path: str) -> bool:
    """Whether a partner's 404 on an allowed route is the record being out of their scope."""
    if "{concern_id}" not in path and "{action_id}" not in path:
        return True
    with world.db.session() as session:
        concern = session.get(Concern, world.concerns[ENCOMPASS])
        assert concern is not None
        owners = set(
            session.scalars(select(Action.owner_role).where(Action.concern_id == concern.id))
        )
    return can_see_concern(user_for(role), concern, owners)


def test_every_route_is_declared(app: FastAPI) -> None:
    routes = all_routes(app.routes)
    assert undeclared(app.routes) == []
    assert {r.name for r in routes} == set(PERMISSIONS) - OPTIONAL


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_route_with_every_role_follows_the_matrix(
    app: FastAPI, world: World, signed_in: SignIn, role: Role
) -> None:
    browser = signed_in(role)
    checked = 0
    # Signing out last, so that every other route is tried with a live session.
    for route in sorted(all_routes(app.routes), key=lambda r: r.name == "sign_out"):
        assert route.name is not None
        for method in sorted(route.methods - {"HEAD"}) or ["GET"]:
            status = _request(browser, method, _sample(route.path, world))
            where = f"{method} {route.path} as {role.value}: {status}"
            if allows(route.name, role):
                assert status not in DENIED, where
                if status == 404:
                    assert role in PARTNERS, where
                    assert not _visible_to(world, role, route.path), where
            elif role in PARTNERS:
                assert status == 404, where
            else:
                assert status == 403, where
            checked += 1
    assert checked >= len(set(PERMISSIONS) - OPTIONAL)


def test_signed_out_requests_are_refused_everywhere_but_sign_in(app: FastAPI, world: World) -> None:
    with TestClient(app, follow_redirects=False) as client:
        for route in all_routes(app.routes):
            path = _sample(route.path, world)
            for method in sorted(route.methods - {"HEAD"}) or ["GET"]:
                status = client.request(method, path).status_code
                if PERMISSIONS[route.name or ""] is PUBLIC:
                    assert status not in DENIED, path
                elif path.startswith("/api/"):
                    assert status == 401, path
                else:
                    assert status == 303, path


def test_a_school_sees_nothing_about_a_child_whose_school_is_not_known(
    world: World, signed_in: SignIn
) -> None:
    # The girl has no schools record, so her notification is addressed to no school (the police
    # see that it must go to the local authority); a school sees only its own pupils'
    # (tests/web/test_partner.py).
    school = signed_in(Role.SCHOOL)
    assert school.client.get("/api/v1/queue").json()["items"] == []
    assert school.client.get("/api/v1/notifications").json()["items"] == []
    unshared = school.client.get(f"/api/v1/concerns/{world.concerns[ENCOMPASS]}")
    missing = school.client.get("/api/v1/concerns/999999")
    assert unshared.status_code == missing.status_code == 404
    assert unshared.json()["detail"] == missing.json()["detail"]
    assert school.client.get(f"/concerns/{world.concerns[DETAINEE]}").status_code == 404
    assert school.client.get(f"/api/v1/children/{CHILD}").status_code == 404
    police = signed_in(Role.PUBLIC_PROTECTION).client.get("/api/v1/notifications").json()
    # One notification for each of the two incidents.
    assert [(i["rule_id"], i["notification"]["organisation"]) for i in police["items"]] == [
        (ENCOMPASS, None),
        (ENCOMPASS, None),
    ]


def test_health_has_nothing_addressed_to_it_yet(world: World, signed_in: SignIn) -> None:
    health = signed_in(Role.HEALTH)
    assert health.client.get("/api/v1/queue").json()["items"] == []
    assert health.client.get(f"/api/v1/concerns/{world.concerns[ENCOMPASS]}").status_code == 404
