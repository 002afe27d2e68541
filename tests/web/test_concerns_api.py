"""Acknowledging and closing concerns through the API, with problem-details errors."""

from __future__ import annotations

import pytest

from childfirst.domain.roles import Role
from tests.web.conftest import CHILD, DETAINEE, PATTERN, TEEN, SignIn, World


def test_acknowledge_then_close_with_a_reason(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    concern = world.concerns[PATTERN]
    before = officer.client.get(f"/api/v1/concerns/{concern}").json()
    assert before["status"] == "open"
    assert "lives with 2 domestic abuse incidents" in before["explanation"]
    assert len(before["evidence"]) == 2
    assert any(item["id"] == "REF-MARAC" for item in before["learning"])

    acknowledged = officer.post_json(
        f"/api/v1/concerns/{concern}/acknowledge", {"expected_version": before["version"]}
    )
    assert acknowledged.status_code == 200
    assert acknowledged.json()["acknowledged_by"] == "demo.public_protection"
    assert acknowledged.json()["version"] == before["version"] + 1

    closed = officer.post_json(
        f"/api/v1/concerns/{concern}/close",
        {"reason": "Referred to MARAC; plan in place", "expected_version": before["version"] + 1},
    )
    assert closed.status_code == 200
    body = closed.json()
    assert (body["status"], body["closed_reason"]) == ("closed", "Referred to MARAC; plan in place")
    assert [h["what"] for h in body["history"]] == ["raised", "acknowledged", "closed"]


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_closing_without_a_reason_is_a_problem(
    world: World, signed_in: SignIn, reason: str | None
) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    body: dict[str, object] = {"expected_version": 1}
    if reason is not None:
        body["reason"] = reason
    response = officer.post_json(f"/api/v1/concerns/{world.concerns[PATTERN]}/close", body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert "reason" in problem["detail"]
    assert officer.client.get(f"/api/v1/concerns/{world.concerns[PATTERN]}").json()["status"] == (
        "open"
    )


def test_stale_or_repeated_changes_are_conflicts(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    concern = world.concerns[DETAINEE]
    stale = officer.post_json(f"/api/v1/concerns/{concern}/acknowledge", {"expected_version": 99})
    assert stale.status_code == 409
    problem = stale.json()
    assert "was changed by childfirst rules engine" in problem["detail"]
    assert (problem["expected_version"], problem["current_version"]) == (99, 1)
    assert (problem["changed_by"], problem["current_status"]) == ("childfirst rules engine", "open")
    assert officer.post_json(f"/api/v1/concerns/{concern}/acknowledge").status_code == 200
    again = officer.post_json(f"/api/v1/concerns/{concern}/acknowledge")
    assert again.status_code == 409
    assert again.json()["title"] == "Not possible now"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/concerns/0",
        "/api/v1/concerns/abc",
        "/api/v1/concerns/99999999999999999999",
        "/api/v1/children/per_NOT-AN-ID",
        "/api/v1/children/" + "a" * 300,
    ],
)
def test_bad_ids_are_problems_not_server_errors(signed_in: SignIn, path: str) -> None:
    response = signed_in(Role.SUPERVISOR).client.get(path)
    assert response.status_code in (404, 422)
    assert response.headers["content-type"] == "application/problem+json"


def test_malformed_json_is_a_problem(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    response = officer.client.post(
        f"/api/v1/concerns/{world.concerns[PATTERN]}/close",
        content=b"{not json",
        headers={"content-type": "application/json", "X-CSRF-Token": officer.csrf},
    )
    assert response.status_code == 422
    assert response.json()["title"] == "Check your input"


def test_the_queue_puts_overdue_first_then_deadline(signed_in: SignIn) -> None:
    items = signed_in(Role.PUBLIC_PROTECTION).client.get("/api/v1/queue").json()["items"]
    assert items, "the household gives public protection work to do"
    keys = [(not i["overdue"], i["due_at"]) for i in items]
    assert keys == sorted(keys)
    assert all(i["owner_role"] == "public_protection" for i in items)


def test_the_child_profile_shows_records_concerns_and_timeline(signed_in: SignIn) -> None:
    child = signed_in(Role.PUBLIC_PROTECTION).client.get(f"/api/v1/children/{CHILD}").json()
    assert child["name"] == "Kayleigh Walsh"
    assert [r["agency"] for r in child["records"]] == ["northmoor-police"]
    assert {c["rule_id"] for c in child["concerns"]} >= {PATTERN}


def test_the_timeline_shows_the_childs_events_and_role(signed_in: SignIn) -> None:
    teen = signed_in(Role.CUSTODY_OFFICER).client.get(f"/api/v1/children/{TEEN}").json()
    assert [(e["label"], e["roles"]) for e in teen["timeline"]] == [
        ("Custody detention", ["detainee"])
    ]


def test_the_openapi_document_is_published(signed_in: SignIn) -> None:
    schema = signed_in(Role.ANALYST).client.get("/api/v1/openapi.json").json()
    assert "/api/v1/concerns/{concern_id}/close" in schema["paths"]
    assert "/queue" not in schema["paths"]
