"""Every change needs the session's CSRF token: forms without it, or with another, are refused."""

from __future__ import annotations

from childfirst.domain.roles import Role
from childfirst.store.models import Concern
from tests.web.conftest import PATTERN, SignIn, World


def _status(world: World) -> str:
    with world.db.session() as session:
        concern = session.get(Concern, world.concerns[PATTERN])
        assert concern is not None
        return concern.status


def test_form_posts_without_the_token_are_refused(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    concern = world.concerns[PATTERN]
    bare = officer.client.post(f"/concerns/{concern}/acknowledge", data={})
    forged = officer.client.post(
        f"/concerns/{concern}/close", data={"reason": "done", "csrf_token": "forged"}
    )
    assert bare.status_code == forged.status_code == 403
    assert "Form expired" in bare.text
    assert _status(world) == "open"
    assert officer.client.post("/sign-out").status_code == 403


def test_api_changes_without_the_token_header_are_refused(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    response = officer.client.post(f"/api/v1/concerns/{world.concerns[PATTERN]}/acknowledge")
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert _status(world) == "open"


def test_a_form_with_the_token_goes_through(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    response = officer.post_form(f"/concerns/{world.concerns[PATTERN]}/acknowledge", {})
    assert response.status_code == 303
    assert _status(world) == "acknowledged"
