"""The API against its own OpenAPI description: schemathesis generates requests to every operation
(valid ones and, for the parameters and bodies, invalid ones) and checks that none ends in a server
error and every response keeps to the description (status, content type, headers, body).

The requests are made in-process through the ASGI application, as a signed-in user with the
session's CSRF token, over the small force area of the browser tests, on each backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from argon2 import PasswordHasher
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.store.access import Account
from childfirst.store.database import Database
from childfirst.web import auth
from childfirst.web.app import create_app
from childfirst.web.demo import demo_username
from childfirst.web.settings import Settings
from tests.browser.area import CHILD, ENCOMPASS, PATTERN, Area, build_area

SECRET = "an-api-test-secret-key-that-is-long-enough"
EXAMPLES = 25
# Operations whose rules the OpenAPI description does not state, where a 422 is the right answer to
# a request the description allows: a search needs at least one thing to look for, records are
# published as open objects, checked by the import's own validation (docs/data-format.md), and an
# action is assigned only to an active account of its owner role or a supervisor.
CHECKED_BEYOND_THE_DESCRIPTION = {
    "/api/v1/search/people",
    "/api/v1/search/events",
    "/api/v1/events",
    "/api/v1/records",
    "/api/v1/actions/{action_id}/assign",
}


@dataclass(frozen=True)
class Credentials:
    role: Role
    cookies: dict[str, str]
    headers: dict[str, str]


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def area(db: Database, tmp_path: Path) -> Area:
    return build_area(db, tmp_path)


@pytest.fixture
def app_settings(area: Area) -> Settings:
    return Settings(database_url=area.db.url, secret_key=SECRET, development=True)


@pytest.fixture
def credentials(role: Role, area: Area, app_settings: Settings) -> Credentials:
    """A session for the demo account of the role: its cookie, and its CSRF token as a header."""
    with area.db.session(write=True) as session:
        account = session.scalar(select(Account).where(Account.username == demo_username(role)))
        assert account is not None
        cookie = auth.open_session(session, account, app_settings)
    with area.db.session() as session:
        user = auth.load_user(session, cookie, app_settings)
    assert user is not None
    return Credentials(role, {auth.SESSION_COOKIE: cookie}, {auth.CSRF_HEADER: user.csrf_token})


def _description() -> dict[str, Any]:
    """The OpenAPI description the application publishes (built without touching any store)."""
    settings = Settings(database_url="sqlite://", secret_key=SECRET, development=True)
    return create_app(settings, Database("sqlite://", migrate=False)).openapi()


schema = schemathesis.openapi.from_dict(_description())


@pytest.fixture
def app(area: Area, app_settings: Settings) -> FastAPI:
    return create_app(app_settings, area.db)


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.SCHOOL], ids=lambda r: r.value)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_description(
    case: Any, app: FastAPI, role: Role, credentials: Credentials
) -> None:
    excluded = [positive_data_acceptance] if case.path in CHECKED_BEYOND_THE_DESCRIPTION else []
    case.call_and_validate(
        app=app,
        headers=credentials.headers,
        cookies=credentials.cookies,
        excluded_checks=excluded,
    )


def _known_requests(area: Area) -> list[tuple[str, str, dict[str, Any], Any]]:
    """Requests about the area's own records: (method, path, path parameters, JSON body)."""
    reason = "Discussed at the strategy meeting; the family are supported by a child in need plan."
    return [
        ("GET", "/api/v1/queue", {}, None),
        ("GET", "/api/v1/concerns/{concern_id}", {"concern_id": area.concerns[ENCOMPASS]}, None),
        ("GET", "/api/v1/concerns/{concern_id}", {"concern_id": area.concerns[PATTERN]}, None),
        ("GET", "/api/v1/children/{child_id}", {"child_id": CHILD}, None),
        (
            "POST",
            "/api/v1/concerns/{concern_id}/acknowledge",
            {"concern_id": area.concerns[PATTERN]},
            {},
        ),
        (
            "POST",
            "/api/v1/concerns/{concern_id}/close",
            {"concern_id": area.concerns[PATTERN]},
            {"reason": reason, "expected_version": 2},  # as it is once acknowledged
        ),
    ]


# What each role gets for the requests above: a school sees its notification and nothing else.
KNOWN_STATUSES = {
    Role.SUPERVISOR: [200, 200, 200, 200, 200, 200],
    Role.SCHOOL: [200, 200, 404, 404, 404, 404],
}


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.SCHOOL], ids=lambda r: r.value)
def test_answers_about_real_records_keep_to_the_description(
    app: FastAPI, area: Area, role: Role, credentials: Credentials
) -> None:
    statuses = []
    for method, path, parameters, body in _known_requests(area):
        operation = schema[path][method]
        if body is None:
            case = operation.Case(path_parameters=parameters)
        else:
            case = operation.Case(
                path_parameters=parameters, body=body, media_type="application/json"
            )
        response = case.call_and_validate(
            app=app, headers=credentials.headers, cookies=credentials.cookies
        )
        statuses.append(response.status_code)
    assert statuses == KNOWN_STATUSES[role]
