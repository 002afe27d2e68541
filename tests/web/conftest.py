"""Fixtures for the web tests: a household with real concerns, the app, and signed-in clients."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.ingest.importer import import_files
from childfirst.rules.service import evaluate_events
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Concern
from childfirst.web import auth
from childfirst.web.app import create_app
from childfirst.web.demo import demo_username, ensure_demo_accounts
from childfirst.web.settings import Settings
from tests.factories import AGENCY, household_and_detainee, write_jsonl

with warnings.catch_warnings():
    # Starlette now prefers the httpx2 package for its test client; httpx still works the same.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient as TestClient

SECRET = "a-test-secret-key-that-is-long-enough-to-pass"
AUDIT_KEY = "a-test-audit-key-that-is-long-enough-to-pass"
CHILD = record_id("person", AGENCY, "niche", "P1")
TEEN = record_id("person", AGENCY, "niche", "P9")
ENCOMPASS = "domestic-abuse.operation-encompass"
PATTERN = "domestic-abuse.cumulative-pattern"
DETAINEE = "custody.child-detainee"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its lowest cost: the tests sign in often, and the cost is not what they test."""
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@dataclass(frozen=True)
class World:
    db: Database
    concerns: dict[str, int]  # rule id -> concern id, for the girl's concerns and the detainee's
    passwords: dict[Role, str]


@pytest.fixture
def world(db: Database, tmp_path: Path) -> World:
    summary = import_files(
        db, [write_jsonl(tmp_path / "household.jsonl", household_and_detainee())]
    )
    evaluate_events(db, summary.events_touched)
    with db.session() as session:
        found = {c.rule_id: c.id for c in session.scalars(select(Concern))}
    passwords = {role: password for _, password, role in ensure_demo_accounts(db)}
    return World(db, found, passwords)


def user_for(role: Role) -> auth.CurrentUser:
    """A stand-in signed-in user, for asking the permission functions directly."""
    return auth.CurrentUser(0, f"test.{role.value}", "Test", role, None, "", "")


def settings_for(db: Database, development: bool = True) -> Settings:
    return Settings(
        database_url=db.url, secret_key=SECRET, development=development, audit_key=AUDIT_KEY
    )


@pytest.fixture
def app(world: World) -> FastAPI:
    return create_app(settings_for(world.db), world.db)


@dataclass
class Browser:
    """A test client signed in as one role, with the session's CSRF token."""

    client: TestClient
    role: Role
    csrf: str

    def post_json(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(path, json=body, headers={auth.CSRF_HEADER: self.csrf})

    def post_form(self, path: str, data: dict[str, str]) -> Any:
        return self.client.post(path, data={"csrf_token": self.csrf, **data})


def sign_in(client: TestClient, username: str, password: str) -> Any:
    form = client.get("/sign-in")
    token = CSRF_INPUT.search(form.text)
    assert token is not None
    return client.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
    )


def browser_for(client: TestClient, username: str, password: str, role: Role) -> Browser:
    """``client`` signed in as ``username``, with the CSRF token its pages then carry."""
    response = sign_in(client, username, password)
    assert response.status_code == 303, response.text
    page = client.get("/catalogue")
    token = CSRF_INPUT.search(page.text)
    assert token is not None
    return Browser(client, role, token.group(1))


SignIn = Callable[[Role], Browser]


@pytest.fixture
def signed_in(app: FastAPI, world: World) -> Iterator[SignIn]:
    clients: list[TestClient] = []

    def make(role: Role) -> Browser:
        client = TestClient(app, follow_redirects=False)
        clients.append(client)
        return browser_for(client, demo_username(role), world.passwords[role], role)

    yield make
    for client in clients:
        client.close()
