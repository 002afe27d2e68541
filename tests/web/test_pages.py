"""The server-rendered pages: what a practitioner sees and the forms they use."""

from __future__ import annotations

from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.rules.registry import RULES
from childfirst.store.access import Account
from childfirst.web.app import create_app
from childfirst.web.demo import demo_username, ensure_demo_accounts
from tests.web.conftest import CHILD, PATTERN, SignIn, TestClient, World, settings_for, sign_in


def test_the_queue_links_each_action_to_its_concern(world: World, signed_in: SignIn) -> None:
    page = signed_in(Role.PUBLIC_PROTECTION).client.get("/queue")
    assert page.status_code == 200
    assert f'href="/concerns/{world.concerns[PATTERN]}"' in page.text
    assert "Kayleigh Walsh" in page.text
    assert '<a class="skip-link" href="#main">' in page.text


def test_the_concern_page_explains_and_offers_its_forms(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    page = officer.client.get(f"/concerns/{world.concerns[PATTERN]}").text
    assert "Why this concern was raised" in page
    assert "lives with 2 domestic abuse incidents" in page
    assert '<label for="reason">Reason for closing</label>' in page
    assert (
        page.count(f'name="csrf_token" value="{officer.csrf}"') >= 3
    )  # sign out, acknowledge, close


def test_closing_through_the_form_needs_a_reason(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.SUPERVISOR)
    path = f"/concerns/{world.concerns[PATTERN]}"
    refused = officer.post_form(f"{path}/close", {"reason": "  ", "version": "1"})
    assert refused.status_code == 422
    assert "Give the reason for closing the concern." in refused.text
    done = officer.post_form(
        f"{path}/close", {"reason": "Family moved; case transferred", "version": "1"}
    )
    assert done.status_code == 303
    assert "Family moved; case transferred" in officer.client.get(path).text


def test_free_text_is_shown_inert(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.SUPERVISOR)
    path = f"/concerns/{world.concerns[PATTERN]}"
    payload = "<script>alert(1)</script>'; DROP TABLE concerns; --"
    officer.post_form(f"{path}/close", {"reason": payload, "version": "1"})
    page = officer.client.get(path).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_child_profile_names_the_child_and_sources(signed_in: SignIn) -> None:
    page = signed_in(Role.PUBLIC_PROTECTION).client.get(f"/children/{CHILD}")
    assert page.status_code == 200
    assert "<h1>Kayleigh Walsh</h1>" in page.text
    assert "northmoor-police" in page.text


def test_the_catalogue_lists_every_rule(signed_in: SignIn) -> None:
    page = signed_in(Role.CASE_REVIEWER).client.get("/catalogue").text
    for rule in RULES:
        assert f'id="{rule.id}"' in page


def test_demo_accounts_one_per_role_and_their_passwords_work(world: World) -> None:
    again = ensure_demo_accounts(world.db, deterministic=True)
    assert {role for _, _, role in again} == set(Role)
    with world.db.session() as session:
        school = session.scalar(
            select(Account).where(Account.username == demo_username(Role.SCHOOL))
        )
        assert school is not None
        assert school.agency_code == "northmoor-primary"
    app = create_app(settings_for(world.db), world.db)
    username, password, _ = again[0]
    with TestClient(app, follow_redirects=False) as client:
        assert sign_in(client, username, password).status_code == 303
        assert sign_in(client, username, world.passwords[again[0][2]]).status_code == 401
