"""Signing in and out: passwords, cookies, throttling and settings that refuse to be unsafe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from childfirst.domain.clock import utcnow
from childfirst.domain.roles import Role
from childfirst.errors import ConfigurationError
from childfirst.store.access import SignedInSession, SignInAttempt
from childfirst.store.database import Database
from childfirst.web.app import create_app
from childfirst.web.auth import SESSION_COOKIE
from childfirst.web.demo import demo_username
from childfirst.web.settings import DEVELOPMENT_SECRET, IDLE_VARIABLE, Settings
from tests.web.conftest import (
    SECRET,
    SignIn,
    TestClient,
    World,
    browser_for,
    settings_for,
    sign_in,
)

OFFICER = demo_username(Role.PUBLIC_PROTECTION)


def test_signing_in_opens_the_work_queue(app: FastAPI, world: World) -> None:
    with TestClient(app, follow_redirects=False) as client:
        response = sign_in(client, OFFICER, world.passwords[Role.PUBLIC_PROTECTION])
        assert response.status_code == 303
        assert response.headers["location"] == "/"
        cookie = response.headers["set-cookie"]
        assert f"{SESSION_COOKIE}=" in cookie
        assert "httponly" in cookie.lower()
        assert "samesite=lax" in cookie.lower()
        assert client.get("/").headers["location"] == "/queue"
        page = client.get("/queue")
        assert page.status_code == 200
        assert (
            "Notify the child&#39;s school" in page.text or "Notify the child's school" in page.text
        )


def test_session_cookie_is_secure_outside_development(world: World) -> None:
    app = create_app(settings_for(world.db, development=False), world.db)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        response = sign_in(client, OFFICER, world.passwords[Role.PUBLIC_PROTECTION])
        assert response.status_code == 303
        assert "secure" in response.headers["set-cookie"].lower()


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    app: FastAPI, world: World
) -> None:
    with TestClient(app, follow_redirects=False) as client:
        wrong = sign_in(client, OFFICER, "not-the-password")
        unknown = sign_in(client, "nobody.at.all", "not-the-password")
        assert wrong.status_code == unknown.status_code == 401
        assert "The username or password is not right." in wrong.text
        assert "The username or password is not right." in unknown.text
        assert SESSION_COOKIE not in client.cookies
        assert client.get("/queue").headers["location"].startswith("/sign-in")


def test_five_failures_lock_the_username_for_a_while(app: FastAPI, world: World) -> None:
    with TestClient(app, follow_redirects=False) as client:
        for _ in range(5):
            assert sign_in(client, OFFICER, "guess").status_code == 401
        locked = sign_in(client, OFFICER, world.passwords[Role.PUBLIC_PROTECTION])
        assert locked.status_code == 401
        assert "Too many failed attempts" in locked.text
        other = sign_in(client, demo_username(Role.SUPERVISOR), world.passwords[Role.SUPERVISOR])
        assert other.status_code == 303


def test_sign_in_form_needs_its_token(app: FastAPI, world: World) -> None:
    with TestClient(app, follow_redirects=False) as client:
        response = client.post(
            "/sign-in",
            data={"username": OFFICER, "password": world.passwords[Role.PUBLIC_PROTECTION]},
        )
        assert response.status_code == 403
        assert SESSION_COOKIE not in client.cookies


def test_signing_out_ends_the_session_for_good(signed_in: SignIn) -> None:
    browser = signed_in(Role.SUPERVISOR)
    stolen = browser.client.cookies[SESSION_COOKIE]
    assert browser.post_form("/sign-out", {}).status_code == 303
    browser.client.cookies.set(SESSION_COOKIE, stolen)
    assert browser.client.get("/api/v1/queue").status_code == 401


def test_the_next_page_is_never_another_site(app: FastAPI, world: World) -> None:
    with TestClient(app, follow_redirects=False) as client:
        form = client.get("/sign-in?next=//evil.example/")
        assert 'name="next" value="/"' in form.text


def test_settings_refuse_a_missing_or_weak_secret_outside_development() -> None:
    with pytest.raises(ConfigurationError, match="secret key is required"):
        Settings(database_url="sqlite://", secret_key="")
    with pytest.raises(ConfigurationError, match="at least 32"):
        Settings(database_url="sqlite://", secret_key="short")
    with pytest.raises(ConfigurationError, match="development secret"):
        Settings(database_url="sqlite://", secret_key=DEVELOPMENT_SECRET)
    env = {"CHILDFIRST_DEVELOPMENT": "true"}
    assert Settings.from_environment(env).secure_cookies is False
    with pytest.raises(ConfigurationError):
        Settings.from_environment({})


@pytest.mark.parametrize("role", list(Role))
def test_every_role_lands_on_a_page_it_may_open(signed_in: SignIn, role: Role) -> None:
    browser = signed_in(role)
    target = browser.client.get("/").headers["location"]
    assert browser.client.get(target).status_code == 200
    expected = {
        Role.CASE_REVIEWER: "/case-review",
        Role.ANALYST: "/dashboards",
        Role.RESPONSE_OFFICER: "/queue",
        Role.SCHOOL: "/queue",
    }
    assert target == expected.get(role, target)


def test_one_password_sprayed_across_usernames_from_one_address_is_refused(world: World) -> None:
    settings = settings_for(world.db)
    app = create_app(settings, world.db)
    sprayer = TestClient(app, follow_redirects=False, client=("203.0.113.7", 40000))
    colleague = TestClient(app, follow_redirects=False, client=("198.51.100.2", 40000))
    with sprayer, colleague:
        for n in range(settings.throttle_address_failures):
            assert sign_in(sprayer, f"guessed.user{n}", "Summer2026!").status_code == 401
        # Each username failed once only, yet the address is refused, even with a right password.
        refused = sign_in(sprayer, OFFICER, world.passwords[Role.PUBLIC_PROTECTION])
        assert refused.status_code == 401
        assert "Too many failed attempts to sign in from this network address" in refused.text
        assert SESSION_COOKIE not in sprayer.cookies
        # Someone at another address signs in as usual.
        allowed = sign_in(colleague, OFFICER, world.passwords[Role.PUBLIC_PROTECTION])
        assert allowed.status_code == 303
    with world.db.session() as session:
        addresses = set(session.scalars(select(SignInAttempt.address)))
    assert addresses == {"203.0.113.7", "198.51.100.2"}


def test_a_success_does_not_reset_an_addresss_count_of_failures(world: World) -> None:
    settings = Settings(
        database_url=world.db.url, secret_key=SECRET, development=True, throttle_address_failures=3
    )
    with TestClient(create_app(settings, world.db), follow_redirects=False) as client:
        for n in range(2):
            assert sign_in(client, f"guessed.user{n}", "guess").status_code == 401
        own = world.passwords[Role.SUPERVISOR]
        assert sign_in(client, demo_username(Role.SUPERVISOR), own).status_code == 303
        assert sign_in(client, "guessed.user2", "guess").status_code == 401
        refused = sign_in(client, demo_username(Role.SUPERVISOR), own)
        assert "from this network address" in refused.text


def _age_sessions(db: Database, idle: timedelta) -> None:
    """Make every session look unused for ``idle``."""
    with db.session(write=True) as session:
        session.execute(
            update(SignedInSession).values(last_seen_at=utcnow() - idle, created_at=utcnow() - idle)
        )


def test_a_session_left_idle_too_long_must_sign_in_again(world: World, signed_in: SignIn) -> None:
    browser = signed_in(Role.PUBLIC_PROTECTION)
    assert browser.client.get("/queue").status_code == 200
    _age_sessions(world.db, timedelta(minutes=31))
    page = browser.client.get("/queue")
    assert page.status_code == 303
    assert page.headers["location"] == "/sign-in?next=/queue"
    assert browser.client.get("/api/v1/queue").status_code == 401
    # Signing in again opens a new session.
    again = browser_for(
        browser.client, OFFICER, world.passwords[Role.PUBLIC_PROTECTION], browser.role
    )
    assert again.client.get("/queue").status_code == 200


def test_using_a_session_keeps_it_from_going_idle(world: World, signed_in: SignIn) -> None:
    browser = signed_in(Role.PUBLIC_PROTECTION)
    _age_sessions(world.db, timedelta(minutes=29))
    assert browser.client.get("/queue").status_code == 200  # noted as used now
    with world.db.session() as session:
        [seen] = session.scalars(select(SignedInSession.last_seen_at))
    assert seen is not None
    assert utcnow() - seen < timedelta(minutes=1)
    # 29 minutes after the first use it would have been idle for 58: it is still open.
    with world.db.session(write=True) as session:
        session.execute(update(SignedInSession).values(last_seen_at=seen - timedelta(minutes=29)))
    assert browser.client.get("/api/v1/queue").status_code == 200


def test_the_idle_time_is_configurable(world: World) -> None:
    settings = Settings.from_environment(
        {"CHILDFIRST_DEVELOPMENT": "1", "CHILDFIRST_SESSION_IDLE_MINUTES": "5"},
        database=world.db.url,
    )
    assert settings.session_idle == timedelta(minutes=5)
    assert Settings.from_environment({"CHILDFIRST_DEVELOPMENT": "1"}).session_idle == timedelta(
        minutes=30
    )
    with pytest.raises(ConfigurationError, match="CHILDFIRST_SESSION_IDLE_MINUTES must be"):
        Settings.from_environment({"CHILDFIRST_DEVELOPMENT": "1", IDLE_VARIABLE: "0"})
    app = create_app(settings, world.db)
    with TestClient(app, follow_redirects=False) as client:
        browser_for(
            client, OFFICER, world.passwords[Role.PUBLIC_PROTECTION], Role.PUBLIC_PROTECTION
        )
        _age_sessions(world.db, timedelta(minutes=4))
        assert client.get("/api/v1/queue").status_code == 200
        _age_sessions(world.db, timedelta(minutes=6))
        assert client.get("/api/v1/queue").status_code == 401


def test_a_session_ends_after_its_lifetime_however_busy(world: World, signed_in: SignIn) -> None:
    browser = signed_in(Role.SUPERVISOR)
    with world.db.session(write=True) as session:
        session.execute(update(SignedInSession).values(expires_at=utcnow()))
    assert browser.client.get("/api/v1/queue").status_code == 401
