"""Hostile input and forged requests: SQL and script in every free-text field are kept exactly as
typed and shown as text; no change goes through without the session's CSRF token; a partner's
requests for records not shared with it are 404, the same as for records that do not exist.

(The incident form and the events API have their own hostile-text tests, in test_incident_form.py
and test_events_api.py.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from sqlalchemy import func, select, text

from childfirst.domain.roles import Role
from childfirst.store.access import AuditEntry
from childfirst.store.database import Database
from childfirst.store.models import Concern, Event
from childfirst.store.sharing import Notification
from childfirst.web.app import create_app
from childfirst.web.audit import verify
from childfirst.web.permissions import PERMISSIONS, PUBLIC, all_routes, allows
from childfirst.web.views import session as session_views
from tests.web.area import ST_CUTHBERTS, build_area, domestic_abuse
from tests.web.conftest import CHILD, PATTERN, SignIn, TestClient, World, settings_for

PAYLOADS = [
    "'; DROP TABLE concerns; --",
    "1' OR '1'='1",
    "Robert'); DELETE FROM audit_log WHERE ('1'='1",
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "<a href=\"javascript:alert('x')\">details</a>",
    "{{ 7 * 7 }} {% raw %}",  # template syntax stays text
]


def _rendered_inert(page: str, payload: str) -> None:
    """The payload is on the page, escaped, and nowhere as live markup."""
    assert str(escape(payload)) in page
    if any(c in payload for c in "<>\"'"):
        assert payload not in page


def _tables_intact(db: Database) -> None:
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Concern))
        assert session.scalar(select(func.count()).select_from(AuditEntry))
        assert verify(session) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_close_reason_is_kept_as_typed_and_shown_as_text(
    world: World, signed_in: SignIn, payload: str
) -> None:
    supervisor = signed_in(Role.SUPERVISOR)
    concern = world.concerns[PATTERN]
    assert (
        supervisor.post_form(
            f"/concerns/{concern}/close", {"reason": payload, "version": "1"}
        ).status_code
        == 303
    )
    with world.db.session() as session:
        stored = session.get(Concern, concern)
        assert stored is not None
        assert stored.closed_reason == payload
    _rendered_inert(supervisor.client.get(f"/concerns/{concern}").text, payload)
    _rendered_inert(supervisor.client.get(f"/children/{CHILD}/audit").text, payload)
    assert supervisor.client.get(f"/api/v1/concerns/{concern}").json()["closed_reason"] == payload
    _tables_intact(world.db)


def test_a_close_reason_through_the_api_is_kept_as_typed(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    reason = " ".join(PAYLOADS)
    response = officer.post_json(
        f"/api/v1/concerns/{world.concerns[PATTERN]}/close",
        {"reason": reason, "expected_version": 1},
    )
    assert response.status_code == 200
    assert response.json()["closed_reason"] == reason
    assert response.headers["content-type"] == "application/json"
    _rendered_inert(officer.client.get(f"/concerns/{world.concerns[PATTERN]}").text, reason)
    _tables_intact(world.db)


def test_an_acknowledgement_note_is_kept_as_typed_and_shown_as_text(
    db: Database, tmp_path: Path
) -> None:
    area = build_area(db, tmp_path)
    officer = area.browser("pc.response", Role.RESPONSE_OFFICER)
    assert officer.post_json("/api/v1/events", domestic_abuse()).status_code == 201
    school = area.browser("dsl.stcuthberts", Role.SCHOOL, ST_CUTHBERTS)
    [item] = school.client.get("/api/v1/notifications").json()["items"]
    note = " ".join(PAYLOADS)
    notification = item["notification"]["id"]
    done = school.post_form(f"/notifications/{notification}/acknowledge", {"note": note})
    assert done.status_code == 303
    with db.session() as session:
        stored = session.get(Notification, notification)
        assert stored is not None
        assert stored.note == note
    _rendered_inert(school.client.get("/notifications").text, note)
    supervisor = area.browser("sgt.supervisor", Role.SUPERVISOR)
    _rendered_inert(supervisor.client.get("/notifications").text, note)
    _tables_intact(db)


def test_search_terms_are_never_read_as_sql(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.RESPONSE_OFFICER)
    for payload in PAYLOADS:
        people = officer.client.get(
            "/api/v1/search/people", params={"name": payload, "why": payload}
        )
        events = officer.client.get("/api/v1/search/events", params={"reference": payload})
        assert people.status_code == events.status_code == 200, payload
        assert people.json()["hits"] == events.json()["hits"] == []
        page = officer.client.get("/search", params={"name": payload, "why": payload})
        assert page.status_code == 200
        _rendered_inert(page.text, payload)
    # A NUL character, which PostgreSQL cannot hold: read as a space, or refused as input; never a
    # server error.
    nul = officer.client.get("/api/v1/search/people", params={"name": "Walsh\x00", "why": "\x00"})
    assert nul.status_code in (200, 422)
    with world.db.session() as session:
        whys = session.scalars(select(AuditEntry.why).where(AuditEntry.action == "searched people"))
        assert set(PAYLOADS) <= set(whys)
        assert session.execute(text("select count(*) from events")).scalar_one() > 0
    _tables_intact(world.db)


def _sample(path: str, world: World, real: bool = True) -> str:
    """The path with a real record for each parameter, or one that does not exist."""
    with world.db.session() as session:
        event = session.scalar(select(Event.id).order_by(Event.id))
    values = {
        "{concern_id}": (str(world.concerns[PATTERN]), "999999"),
        "{child_id}": (CHILD, "per_ffffffffffffffffffff"),
        "{event_id}": (str(event), "evt_ffffffffffffffffffff"),
        "{notification_id}": ("1", "999999"),
        "{pair_id}": ("1", "999999"),
        "{path:path}": ("childfirst.css", "childfirst.css"),
    }
    for key, (existing, missing) in values.items():
        path = path.replace(key, existing if real else missing)
    return path


def _changes(app_routes: Any) -> list[tuple[str, str]]:
    return [
        (route.name or "", method)
        for route in all_routes(app_routes)
        for method in route.methods
        if method in {"POST", "PUT", "PATCH", "DELETE"}
        and PERMISSIONS.get(route.name or "") is not PUBLIC
    ]


def test_no_change_goes_through_without_the_csrf_token(
    app: Any, world: World, signed_in: SignIn
) -> None:
    routes = {r.name: r for r in all_routes(app.routes)}
    changes = _changes(app.routes)
    assert len(changes) >= 10  # every form and API change the application has
    # A practitioner where one may make the change; the administrator for what only they may do.
    users = {
        name: min((r for r in Role if allows(name, r)), key=lambda r: r is Role.ADMINISTRATOR)
        for name, _ in changes
    }
    browsers = {role: signed_in(role) for role in set(users.values())}
    with world.db.session() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry))
    for name, method in changes:
        browser = browsers[users[name]]
        path = _sample(routes[name].path, world)
        api = path.startswith("/api/")
        for token in (None, "forged-token"):
            where = f"{method} {path} as {browser.role.value}, token {token}"
            if api:
                headers = {"X-CSRF-Token": token} if token else {}
                body = {"reason": "x", "note": "x", "decision": "match"}
                response = browser.client.request(method, path, json=body, headers=headers)
            else:
                form = {"csrf_token": token} if token else {}
                response = browser.client.request(method, path, data={**form, "reason": "x"})
            assert response.status_code == 403, where
    with world.db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == before
        concern = session.get(Concern, world.concerns[PATTERN])
        assert concern is not None
        assert concern.status == "open"


def test_a_partners_requests_for_unshared_records_look_like_missing_ones(
    app: Any, world: World, signed_in: SignIn
) -> None:
    """The demo school account's school knows none of the world's children: to it, every record
    is as if it did not exist, whichever page or API route asks."""
    school = signed_in(Role.SCHOOL)
    checked = 0
    for route in all_routes(app.routes):
        if "{" not in route.path or "{path:path}" in route.path or "GET" not in route.methods:
            continue
        real = school.client.get(_sample(route.path, world))
        missing = school.client.get(_sample(route.path, world, real=False))
        assert real.status_code == missing.status_code == 404, route.path
        if route.path.startswith("/api/"):
            assert real.json()["detail"] == missing.json()["detail"] == "There is nothing here."
        else:
            assert "There is nothing here." in real.text
        checked += 1
    assert checked >= 8


def _assert_secured(response: Any, where: str, static: bool = False) -> None:
    """The response tells the browser: this site's scripts only, never in a frame, no sniffing,
    no referrer, and (unless a static asset) keep no copy."""
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy, where
    assert "script-src 'self'" in policy, where
    assert "frame-ancestors 'none'" in policy, where
    assert "unsafe-inline" not in policy, where
    assert "unsafe-eval" not in policy, where
    assert headers.get("x-frame-options") == "DENY", where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "no-referrer", where
    if static:
        assert "no-store" not in headers.get("cache-control", ""), where
    else:
        assert headers.get("cache-control") == "no-store", where


def test_every_page_and_api_answer_carries_the_security_headers(
    app: Any, world: World, signed_in: SignIn
) -> None:
    browsers: dict[Role, Any] = {}
    checked = 0
    for route in all_routes(app.routes):
        if "GET" not in route.methods or route.path.startswith("/static"):
            continue
        allowed = PERMISSIONS.get(route.name or "")
        path = _sample(route.path, world)
        if allowed is PUBLIC or allowed is None:
            response = TestClient(app, follow_redirects=False).get(path)
        else:
            assert isinstance(allowed, frozenset)
            role = sorted(allowed - {Role.ADMINISTRATOR} or allowed)[0]
            if role not in browsers:
                browsers[role] = signed_in(role)
            response = browsers[role].client.get(path)
        assert response.status_code < 500, path
        _assert_secured(response, f"GET {path}")
        checked += response.status_code == 200
    assert checked >= 20  # pages, API answers and exports, opened for real


def test_error_answers_and_static_files_carry_them_too(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(settings_for(world.db), world.db)
    with TestClient(app, follow_redirects=False, raise_server_exceptions=False) as client:
        answers = {
            "page needing sign-in (303)": client.get("/queue"),
            "API needing sign-in (401)": client.get("/api/v1/queue"),
            "missing page (404)": client.get("/no-such-page"),
            "missing API route (404)": client.get("/api/v1/no-such-thing"),
            "sign-in without its token (403)": client.post(
                "/sign-in", data={"username": "x", "password": "y"}
            ),
            "invalid sign-in form (422)": client.post("/sign-in", data={}),
        }
        for where, response in answers.items():
            _assert_secured(response, where)
        static = client.get("/static/childfirst.css")
        assert static.status_code == 200
        _assert_secured(static, "static file", static=True)

        def broken() -> str:
            raise RuntimeError("an unexpected failure")

        monkeypatch.setattr(session_views, "new_sign_in_token", broken)
        failed = client.get("/sign-in")
        assert failed.status_code == 500
        assert "an unexpected failure" not in failed.text
        _assert_secured(failed, "unexpected error (500)")


def test_browsers_are_told_to_use_https_outside_development_only(world: World) -> None:
    production = create_app(settings_for(world.db, development=False), world.db)
    development = create_app(settings_for(world.db, development=True), world.db)
    for path in ("/sign-in", "/api/v1/queue", "/static/childfirst.css", "/no-such-page"):
        with TestClient(production, base_url="https://testserver") as client:
            hsts = client.get(path).headers.get("strict-transport-security", "")
            assert hsts.startswith("max-age=31536000"), path
        with TestClient(development) as client:
            assert "strict-transport-security" not in client.get(path).headers, path


INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_pages_have_no_inline_script_or_style_for_the_policy_to_block(
    app: Any, world: World, signed_in: SignIn
) -> None:
    """The policy allows no inline script or style, so the pages must not need any."""
    supervisor = signed_in(Role.SUPERVISOR)
    pages = ["/queue", f"/concerns/{world.concerns[PATTERN]}", f"/children/{CHILD}", "/search"]
    pages += ["/catalogue", "/dashboards", "/notifications", "/incidents/new"]
    seen = 0
    for path in pages:
        response = supervisor.client.get(path)
        if response.status_code != 200:
            continue
        assert "text/html" in response.headers["content-type"]
        assert INLINE.search(response.text) is None, (path, INLINE.search(response.text))
        seen += 1
    assert seen >= 5
    form = TestClient(app).get("/sign-in").text
    assert '<script src="/static/htmx.min.js"' in form
    assert INLINE.search(form) is None
