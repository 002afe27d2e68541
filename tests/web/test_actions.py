"""Assigning and completing actions, on the concern page and through the API: permissions, CSRF,
problem details, the concern's log and the audit log."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.pseudonyms import Pseudonyms
from childfirst.store.access import AuditEntry
from childfirst.store.models import Action
from childfirst.web import audit
from childfirst.web.services.case_review import CONCERN_KEY
from tests.web.conftest import DETAINEE, ENCOMPASS, SECRET, SignIn, World

OFFICER = "demo.public_protection"


def _action(world: World, rule_id: str) -> int:
    with world.db.session() as session:
        found = session.scalar(
            select(Action.id)
            .where(Action.concern_id == world.concerns[rule_id])
            .order_by(Action.id)
            .limit(1)
        )
    assert found is not None
    return found


def _stored(world: World, action_id: int) -> Action:
    with world.db.session() as session:
        action = session.get(Action, action_id)
        assert action is not None
        session.expunge(action)
        return action


def _seen(world: World, action_id: int) -> int:
    """The action's version now: what a person who has just read it would send."""
    return _stored(world, action_id).version


def _audited(world: World) -> list[tuple[str, str, str, str | None]]:
    with world.db.session() as session:
        return [
            (e.who, e.action, e.target_id, e.why)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))
            if e.target_kind == "action"
        ]


def test_assigning_to_an_officer_of_the_role_is_logged_and_audited(
    world: World, signed_in: SignIn
) -> None:
    supervisor = signed_in(Role.SUPERVISOR)
    action_id = _action(world, ENCOMPASS)
    response = supervisor.post_json(
        f"/api/v1/actions/{action_id}/assign", {"assignee": OFFICER, "expected_version": 1}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["assigned_to"], body["status"]) == (action_id, OFFICER, "open")
    assert body["version"] == 2
    assert _stored(world, action_id).assigned_to == OFFICER
    concern = supervisor.client.get(f"/api/v1/concerns/{world.concerns[ENCOMPASS]}").json()
    assert concern["history"][-1]["who"] == "demo.supervisor"
    assert concern["history"][-1]["what"] == "action assigned"
    assert concern["history"][-1]["why"].endswith(f"assigned to {OFFICER}")
    assert _audited(world) == [
        ("demo.supervisor", "assigned action", str(action_id), f"assigned to {OFFICER}")
    ]
    assert audit.verify_database(world.db) == []


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"assignee": "no.such.person"}, "no active account"),
        ({"assignee": "demo.custody_officer"}, "only to someone in the public protection role"),
        ({"assignee": "demo.school"}, "demo.school has the school role"),
        ({"assignee": "  "}, "assignee"),
        ({}, "assignee"),
    ],
)
def test_assigning_to_anyone_else_is_refused(
    world: World, signed_in: SignIn, body: dict[str, str], words: str
) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    action_id = _action(world, ENCOMPASS)
    response = officer.post_json(
        f"/api/v1/actions/{action_id}/assign", {**body, "expected_version": 1}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert words in response.json()["detail"]
    assert _stored(world, action_id).assigned_to is None
    assert _audited(world) == []


def test_completing_needs_a_note_and_twice_is_a_conflict(world: World, signed_in: SignIn) -> None:
    custody = signed_in(Role.CUSTODY_OFFICER)
    action_id = _action(world, DETAINEE)
    for body in ({}, {"note": ""}, {"note": "   "}):
        missing = custody.post_json(
            f"/api/v1/actions/{action_id}/complete", {**body, "expected_version": 1}
        )
        assert missing.status_code == 422
        assert "note" in missing.json()["detail"]
    assert _stored(world, action_id).status == "open"
    done = custody.post_json(
        f"/api/v1/actions/{action_id}/complete",
        {"note": "Mother attended as appropriate adult", "expected_version": 1},
    )
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["status"], body["done_by"], body["note"]) == (
        "done",
        "demo.custody_officer",
        "Mother attended as appropriate adult",
    )
    assert body["done_at"] is not None
    again = custody.post_json(
        f"/api/v1/actions/{action_id}/complete", {"note": "Once more", "expected_version": 2}
    )
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert "is done" in again.json()["detail"]
    assert _stored(world, action_id).note == "Mother attended as appropriate adult"
    assert _audited(world) == [
        (
            "demo.custody_officer",
            "completed action",
            str(action_id),
            "Mother attended as appropriate adult",
        )
    ]


def test_unknown_actions_and_partners_get_404(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    for path, body in (
        ("/api/v1/actions/999999/assign", {"assignee": OFFICER, "expected_version": 1}),
        ("/api/v1/actions/999999/complete", {"note": "Done", "expected_version": 1}),
    ):
        response = officer.post_json(path, body)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
    action_id = _action(world, ENCOMPASS)
    for role in (Role.SCHOOL, Role.CHILDRENS_SOCIAL_CARE, Role.HEALTH):
        partner = signed_in(role)
        assign = partner.post_json(
            f"/api/v1/actions/{action_id}/assign", {"assignee": OFFICER, "expected_version": 1}
        )
        complete = partner.post_json(
            f"/api/v1/actions/{action_id}/complete", {"note": "Done", "expected_version": 1}
        )
        form = partner.post_form(f"/actions/{action_id}/complete", {"note": "Done", "version": "1"})
        assert (assign.status_code, complete.status_code, form.status_code) == (404, 404, 404)
    stored = _stored(world, action_id)
    assert (stored.assigned_to, stored.status) == (None, "open")


def test_roles_outside_the_matrix_are_refused(world: World, signed_in: SignIn) -> None:
    action_id = _action(world, ENCOMPASS)
    response_officer = signed_in(Role.RESPONSE_OFFICER)
    refused = response_officer.post_json(
        f"/api/v1/actions/{action_id}/assign", {"assignee": OFFICER, "expected_version": 1}
    )
    assert refused.status_code == 403
    call_handler = signed_in(Role.CALL_HANDLER)
    refused = call_handler.post_json(
        f"/api/v1/actions/{action_id}/complete", {"note": "Done", "expected_version": 1}
    )
    assert refused.status_code == 403
    assert _stored(world, action_id).status == "open"


def test_posts_without_the_csrf_token_are_refused(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    action_id = _action(world, ENCOMPASS)
    api = officer.client.post(
        f"/api/v1/actions/{action_id}/assign", json={"assignee": OFFICER, "expected_version": 1}
    )
    form = officer.client.post(
        f"/actions/{action_id}/complete", data={"note": "Done", "version": "1"}
    )
    wrong = officer.client.post(
        f"/actions/{action_id}/assign",
        data={"assignee": OFFICER, "csrf_token": "forged", "version": "1"},
    )
    assert (api.status_code, form.status_code, wrong.status_code) == (403, 403, 403)
    stored = _stored(world, action_id)
    assert (stored.assigned_to, stored.status) == (None, "open")
    assert _audited(world) == []


def test_the_concern_page_assigns_and_completes_with_its_forms(
    world: World, signed_in: SignIn
) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    concern = world.concerns[ENCOMPASS]
    action_id = _action(world, ENCOMPASS)
    page = officer.client.get(f"/concerns/{concern}").text
    assert f'<label for="assignee-{action_id}">Assign to</label>' in page
    assert f'<label for="note-{action_id}">What was done</label>' in page
    assert f'action="/actions/{action_id}/assign"' in page
    options = re.findall(r'<option value="([^"]+)"', page)
    assert options == ["demo.public_protection", "demo.supervisor"]
    assert page.count('name="csrf_token"') >= 4
    assert page.count('<input type="hidden" name="version" value="1">') >= 2  # the version seen

    blank = officer.post_form(f"/actions/{action_id}/complete", {"note": "  ", "version": "1"})
    assert blank.status_code == 422
    assert "Say what was done" in blank.text
    wrong = officer.post_form(
        f"/actions/{action_id}/assign", {"assignee": "demo.analyst", "version": "1"}
    )
    assert wrong.status_code == 422
    assert "demo.analyst has the analyst role" in wrong.text

    assigned = officer.post_form(
        f"/actions/{action_id}/assign", {"assignee": OFFICER, "version": "1"}
    )
    assert (assigned.status_code, assigned.headers["location"]) == (303, f"/concerns/{concern}")
    stale = officer.post_form(
        f"/actions/{action_id}/complete", {"note": "Too late", "version": "1"}
    )
    assert stale.status_code == 409  # the form was read before the assignment
    assert f"changed by {OFFICER}" in stale.text
    assert _stored(world, action_id).note is None
    done = officer.post_form(
        f"/actions/{action_id}/complete", {"note": "Head teacher told", "version": "2"}
    )
    assert done.status_code == 303
    page = officer.client.get(f"/concerns/{concern}").text
    assert f"<td>{OFFICER}</td>" in page
    assert f"by {OFFICER} on" in page
    assert "Head teacher told" in page
    assert f'action="/actions/{action_id}/complete"' not in page  # done: nothing left to do
    again = officer.post_form(f"/actions/{action_id}/complete", {"note": "Again", "version": "3"})
    assert again.status_code == 409


def test_forms_show_only_to_the_roles_allowed(world: World, signed_in: SignIn) -> None:
    action_id = _action(world, DETAINEE)
    custody = signed_in(Role.CUSTODY_OFFICER).client.get(f"/concerns/{world.concerns[DETAINEE]}")
    assert f'action="/actions/{action_id}/complete"' in custody.text
    assert f'action="/actions/{action_id}/assign"' not in custody.text
    handler = signed_in(Role.CALL_HANDLER).client.get(f"/concerns/{world.concerns[DETAINEE]}")
    assert "/actions/" not in handler.text


def test_the_case_reviewer_sees_the_assignee_under_a_pseudonym(
    world: World, signed_in: SignIn
) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    action_id = _action(world, ENCOMPASS)
    officer.post_json(
        f"/api/v1/actions/{action_id}/assign", {"assignee": OFFICER, "expected_version": 1}
    )
    officer.post_json(
        f"/api/v1/actions/{action_id}/complete",
        {"note": f"Done by {OFFICER}", "expected_version": _seen(world, action_id)},
    )
    reviewer = signed_in(Role.CASE_REVIEWER)
    key = Pseudonyms(SECRET).token(CONCERN_KEY, str(world.concerns[ENCOMPASS]))
    page = reviewer.client.get(f"/case-review/concerns/{key}")
    assert page.status_code == 200
    assert OFFICER not in page.text
    assert "Practitioner " in page.text
