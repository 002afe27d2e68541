"""Single sign-on against a real OpenID Connect provider served on a loopback port.

The provider (tests/web/oidc_provider.py) and the application both run under Uvicorn, and an HTTP
client follows the redirects between them the way a browser does, keeping cookies for both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import httpx
import pytest
from sqlalchemy import func, select

from childfirst.domain.roles import Role
from childfirst.errors import ConfigurationError
from childfirst.store.access import AuditEntry, SignedInSession
from childfirst.store.database import Database
from childfirst.web import auth
from childfirst.web.app import create_app
from childfirst.web.oidc import FLOW_COOKIE
from childfirst.web.permissions import OPTIONAL, PERMISSIONS, PUBLIC, all_routes
from childfirst.web.settings import OidcSettings, Settings
from childfirst.web.views import oidc as views
from tests.web.conftest import AUDIT_KEY, SECRET, TestClient, settings_for
from tests.web.oidc_provider import Behaviour, Provider, listener, serve, url_of

CLIENT_ID = "childfirst-test"
CLIENT_SECRET = "a client secret: with / characters that need encoding"
OFFICER = "pp.officer"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    sock = listener()
    found = Provider(issuer=url_of(sock), client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    with serve(found.app(), sock):
        yield found


@dataclass
class Site:
    """The application served with single sign-on, and the store behind it."""

    url: str
    db: Database
    provider: Provider

    def browser(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, follow_redirects=True, timeout=30)

    def sessions(self) -> int:
        with self.db.session() as session:
            return session.scalar(select(func.count()).select_from(SignedInSession)) or 0

    def audit(self) -> list[tuple[str, str, str, str | None]]:
        with self.db.session() as session:
            entries = session.scalars(select(AuditEntry).order_by(AuditEntry.seq))
            return [(e.who, e.action, e.target_id, e.why) for e in entries]


def _accounts(db: Database) -> None:
    with db.session(write=True) as session:
        auth.create_account(
            session,
            username=OFFICER,
            display_name="Priya Patel",
            role=Role.PUBLIC_PROTECTION,
            password="not-used-for-single-sign-on",
        )
        auth.create_account(
            session,
            username="priya.patel@force.example",
            display_name="Priya Patel (by email)",
            role=Role.SUPERVISOR,
            password="not-used-for-single-sign-on",
        )
        left = auth.create_account(
            session,
            username="left.the.force",
            display_name="Former Officer",
            role=Role.RESPONSE_OFFICER,
            password="not-used-for-single-sign-on",
        )
        left.active = False


def _site(db: Database, provider: Provider, claim: str = "preferred_username") -> Iterator[Site]:
    sock = listener()
    url = url_of(sock)
    oidc = OidcSettings(
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_url=f"{url}/sign-in/oidc/callback",
        username_claim=claim,
    )
    settings = replace(settings_for(db), oidc=oidc)
    provider.redirect_uris = {oidc.redirect_url}
    provider.behaviour = Behaviour()
    provider.refusals.clear()
    _accounts(db)
    with serve(create_app(settings, db), sock):
        yield Site(url, db, provider)


@pytest.fixture
def site(db: Database, provider: Provider) -> Iterator[Site]:
    yield from _site(db, provider)


@pytest.fixture
def site_by_email(db: Database, provider: Provider) -> Iterator[Site]:
    yield from _site(db, provider, claim="email")


def _is_signed_in(browser: httpx.Client) -> bool:
    queue = browser.get("/catalogue", follow_redirects=False)
    return queue.status_code == 200


def test_an_existing_account_signs_in_and_lands_on_its_first_page(site: Site) -> None:
    with site.browser() as browser:
        form = browser.get("/sign-in")
        assert "Sign in with single sign-on" in form.text
        page = browser.get("/sign-in/oidc")
        assert page.status_code == 200, page.text
        assert page.url.path == "/queue"
        assert [r.url.path for r in page.history] == [
            "/sign-in/oidc",
            "/authorize",
            "/sign-in/oidc/callback",
            "/",
        ]
        assert f"Priya Patel ({Role.PUBLIC_PROTECTION.label})" in page.text
        assert browser.cookies.get(auth.SESSION_COOKIE)
        assert not browser.cookies.get(FLOW_COOKIE)
        assert _is_signed_in(browser)
    assert site.sessions() == 1
    assert site.provider.refusals == []
    assert site.audit() == [
        (OFFICER, "signed in", OFFICER, "method=oidc"),
        (OFFICER, "viewed work queue", "work queue", None),  # the page it landed on
    ]


def test_the_page_asked_for_is_where_single_sign_on_ends(site: Site) -> None:
    with site.browser() as browser:
        start = browser.get("/queue?x=1", follow_redirects=False)
        assert start.headers["location"].startswith("/sign-in?next=")
        page = browser.get("/sign-in/oidc", params={"next": "/catalogue"})
        assert page.url.path == "/catalogue"
        # Never a page on another site.
        elsewhere = browser.get("/sign-in/oidc", params={"next": "//evil.example/"})
        assert elsewhere.url.host == "127.0.0.1"
        assert elsewhere.url.path == "/queue"


def test_the_email_claim_can_name_the_account(site_by_email: Site) -> None:
    site_by_email.provider.behaviour = Behaviour(email="Priya.Patel@force.example")
    with site_by_email.browser() as browser:
        refused = browser.get("/sign-in/oidc")  # usernames are matched exactly
        assert refused.status_code == 403
        site_by_email.provider.behaviour = Behaviour(email="priya.patel@force.example")
        page = browser.get("/sign-in/oidc")
        assert page.status_code == 200
        assert "Priya Patel (by email)" in page.text
        site_by_email.provider.behaviour = Behaviour(
            email="priya.patel@force.example", email_verified=False
        )
        browser.cookies.clear()
        unverified = browser.get("/sign-in/oidc")
        assert unverified.status_code == 401
        assert not _is_signed_in(browser)
    assert site_by_email.sessions() == 1


@pytest.mark.parametrize(
    "behaviour",
    [
        pytest.param(Behaviour(nonce="a-nonce-from-another-sign-in"), id="wrong-nonce"),
        pytest.param(Behaviour(audience="another-application"), id="wrong-audience"),
        pytest.param(Behaviour(lifetime=-3600), id="expired"),
        pytest.param(Behaviour(forged=True), id="bad-signature"),
    ],
)
def test_an_id_token_that_does_not_verify_is_refused(site: Site, behaviour: Behaviour) -> None:
    site.provider.behaviour = behaviour
    with site.browser() as browser:
        page = browser.get("/sign-in/oidc")
        assert page.status_code == 401
        assert page.url.path == "/sign-in/oidc/callback"
        assert views.NOT_VERIFIED in page.text
        assert not browser.cookies.get(auth.SESSION_COOKIE)
        assert not _is_signed_in(browser)
    assert site.provider.refusals == []  # the provider gave a token; the application refused it
    assert site.sessions() == 0
    assert site.audit() == []


def test_a_code_taken_from_another_browser_fails_its_pkce_check(site: Site) -> None:
    """A code intercepted on its way back cannot be redeemed by a browser with another verifier."""
    with site.browser() as victim, site.browser() as attacker:
        victim.follow_redirects = attacker.follow_redirects = False
        to_provider = victim.get("/sign-in/oidc").headers["location"]
        back = httpx.get(to_provider).headers["location"]
        stolen = httpx.URL(back).params["code"]
        # The attacker starts a sign-in of their own, then brings the victim's code back with it.
        own = httpx.get(attacker.get("/sign-in/oidc").headers["location"]).headers["location"]
        state = httpx.URL(own).params["state"]
        page = attacker.get("/sign-in/oidc/callback", params={"code": stolen, "state": state})
        assert page.status_code == 401
        assert views.NOT_VERIFIED in page.text
        assert not attacker.cookies.get(auth.SESSION_COOKIE)
    assert site.provider.refusals == ["code_verifier"]
    assert site.sessions() == 0


def test_a_callback_without_the_flow_that_started_it_is_refused(site: Site) -> None:
    with site.browser() as browser, site.browser() as other:
        browser.follow_redirects = False
        back = httpx.get(browser.get("/sign-in/oidc").headers["location"]).headers["location"]
        # Another browser (without the flow's cookie), then the right browser with a wrong state.
        assert other.get(back).status_code == 400
        code = httpx.URL(back).params["code"]
        wrong = browser.get("/sign-in/oidc/callback", params={"code": code, "state": "guessed"})
        assert wrong.status_code == 400
        assert views.EXPIRED in wrong.text
        # The provider's own refusal comes back as an error, not a code.
        state = httpx.URL(browser.get("/sign-in/oidc").headers["location"]).params["state"]
        denied = browser.get(
            "/sign-in/oidc/callback", params={"error": "access_denied", "state": state}
        )
        assert denied.status_code == 401
        assert views.NOT_SIGNED_IN in denied.text
    assert site.sessions() == 0


@pytest.mark.parametrize("username", ["no.such.officer", "left.the.force"])
def test_someone_without_an_active_account_is_refused_and_audited(
    site: Site, username: str
) -> None:
    site.provider.behaviour = Behaviour(username=username)
    with site.browser() as browser:
        page = browser.get("/sign-in/oidc")
        assert page.status_code == 403
        assert f"knows you as {username}, but there is no active childfirst account" in page.text
        assert not _is_signed_in(browser)
    assert site.sessions() == 0
    assert site.audit() == [
        (
            username,
            "sign-in refused",
            username,
            "method=oidc; no active account with this username",
        )
    ]


def test_an_unreachable_provider_leaves_password_sign_in_working(db: Database) -> None:
    sock = listener()  # bound but never served: nothing answers there
    oidc = OidcSettings(
        issuer=url_of(sock), client_id=CLIENT_ID, redirect_url="http://127.0.0.1/cb"
    )
    app = create_app(replace(settings_for(db), oidc=oidc), db)
    sock.close()
    with TestClient(app, follow_redirects=False) as client:
        page = client.get("/sign-in/oidc")
        assert page.status_code == 503
        assert views.UNAVAILABLE in page.text
        assert 'action="/sign-in"' in page.text


def test_without_settings_there_is_no_single_sign_on(db: Database) -> None:
    app = create_app(settings_for(db), db)
    names = {route.name for route in all_routes(app.routes)}
    assert names == set(PERMISSIONS) - OPTIONAL
    with TestClient(app, follow_redirects=False) as client:
        assert "single sign-on" not in client.get("/sign-in").text
        assert client.get("/sign-in/oidc").status_code == 404
        assert client.get("/sign-in/oidc/callback?code=x&state=y").status_code == 404


def test_single_sign_on_routes_are_public_and_served_when_configured(db: Database) -> None:
    oidc = OidcSettings("http://127.0.0.1:9", CLIENT_ID, "http://127.0.0.1/sign-in/oidc/callback")
    app = create_app(replace(settings_for(db), oidc=oidc), db)
    names = {route.name for route in all_routes(app.routes)}
    assert names == set(PERMISSIONS)
    assert all(PERMISSIONS[name] is PUBLIC for name in OPTIONAL)


ENVIRONMENT = {
    "CHILDFIRST_SECRET_KEY": SECRET,
    "CHILDFIRST_AUDIT_KEY": AUDIT_KEY,
    "CHILDFIRST_OIDC_ISSUER": "https://login.force.example/realms/police",
    "CHILDFIRST_OIDC_CLIENT_ID": "childfirst",
    "CHILDFIRST_OIDC_CLIENT_SECRET": "s3cret",
    "CHILDFIRST_OIDC_REDIRECT_URL": "https://childfirst.force.example/sign-in/oidc/callback",
}


def test_single_sign_on_settings_come_from_the_environment() -> None:
    plain = {"CHILDFIRST_SECRET_KEY": SECRET, "CHILDFIRST_AUDIT_KEY": AUDIT_KEY}
    assert Settings.from_environment(plain).oidc is None
    oidc = Settings.from_environment(ENVIRONMENT).oidc
    assert oidc == OidcSettings(
        issuer="https://login.force.example/realms/police",
        client_id="childfirst",
        client_secret="s3cret",
        redirect_url="https://childfirst.force.example/sign-in/oidc/callback",
    )
    assert "s3cret" not in repr(oidc)
    chosen = Settings.from_environment(
        {
            **ENVIRONMENT,
            "CHILDFIRST_OIDC_USERNAME_CLAIM": "email",
            "CHILDFIRST_OIDC_SCOPES": "openid, email",
        }
    ).oidc
    assert chosen is not None
    assert (chosen.username_claim, chosen.scopes) == ("email", ("openid", "email"))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"CHILDFIRST_OIDC_ISSUER": ""}, "needs CHILDFIRST_OIDC_ISSUER"),
        ({"CHILDFIRST_OIDC_CLIENT_ID": ""}, "needs CHILDFIRST_OIDC_CLIENT_ID"),
        ({"CHILDFIRST_OIDC_ISSUER": "http://login.force.example"}, "must be an https address"),
        ({"CHILDFIRST_OIDC_REDIRECT_URL": "/sign-in/oidc/callback"}, "must be an https address"),
        ({"CHILDFIRST_OIDC_SCOPES": "profile email"}, "must include openid"),
    ],
)
def test_incomplete_or_insecure_single_sign_on_settings_are_refused(
    change: dict[str, str], problem: str
) -> None:
    with pytest.raises(ConfigurationError, match=problem):
        Settings.from_environment({**ENVIRONMENT, **change})
