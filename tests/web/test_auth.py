"""Signing in and out: passwords, cookies, throttling and settings that refuse to be unsafe."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from childfirst.domain.roles import Role
from childfirst.errors import ConfigurationError
from childfirst.web.app import create_app
from childfirst.web.auth import SESSION_COOKIE
from childfirst.web.demo import demo_username
from childfirst.web.settings import DEVELOPMENT_SECRET, Settings
from tests.web.conftest import SignIn, TestClient, World, settings_for, sign_in

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
