"""The search page and API: people across sources, events, permissions and the audit of searches."""

from __future__ import annotations

from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.store.access import AuditEntry
from tests.web.conftest import CHILD, SignIn, World


def test_the_search_page_offers_labelled_forms_for_people_and_events(signed_in: SignIn) -> None:
    page = signed_in(Role.RESPONSE_OFFICER).client.get("/search")
    assert page.status_code == 200
    for field in ("name", "dob", "place", "ages", "reference", "event_type", "since", "until"):
        assert f'<label for="{field}">' in page.text
    assert 'href="/search" aria-current="page"' in page.text
    assert 'href="/static/search.css"' in page.text


def test_a_nickname_finds_the_child_and_her_open_concerns(signed_in: SignIn) -> None:
    officer = signed_in(Role.RESPONSE_OFFICER)
    page = officer.client.get("/search", params={"name": "Kayleigh Welsh", "why": "NM/25/E9"})
    assert page.status_code == 200
    assert f'href="/children/{CHILD}">Kayleigh Walsh</a>' in page.text
    assert "about this child" in page.text
    assert "family name sounds alike" in page.text


def test_an_adult_is_shown_with_the_children_linked_to_him(signed_in: SignIn) -> None:
    found = signed_in(Role.PUBLIC_PROTECTION).client.get(
        "/api/v1/search/people", params={"name": "Dean Cole", "date_of_birth": "1985-09-09"}
    )
    assert found.status_code == 200
    hit = found.json()["hits"][0]
    assert hit["name"] == "Dean Cole"
    assert not hit["child"]
    assert [(f["child_id"], f["how"]) for f in hit["flags"]] == [(CHILD, "lives with them")]
    assert hit["records"][0]["agency"] == "northmoor-police"


def test_events_by_type_and_date(signed_in: SignIn) -> None:
    officer = signed_in(Role.SUPERVISOR)
    found = officer.client.get(
        "/api/v1/search/events",
        params={"event_type": "domestic_abuse", "since": "2025-03-01", "until": "2025-03-31"},
    ).json()
    assert [h["occurred_at"][:10] for h in found["hits"]] == ["2025-03-02"]
    page = officer.client.get(
        "/search", params={"kind": "events", "event_type": "custody_detention"}
    )
    assert "Jordan Hale" in page.text
    assert "Custody" in page.text


def test_every_search_is_audited_with_its_reason(world: World, signed_in: SignIn) -> None:
    analyst = signed_in(Role.ANALYST)
    analyst.client.get("/search", params={"name": "Walsh", "why": "Strategy meeting 14/01"})
    analyst.client.get("/api/v1/search/events", params={"reference": "NM/25/E1"})
    with world.db.session() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.target_kind == "search").order_by(AuditEntry.seq)
        ).all()
    assert [(e.who, e.action, e.target_id, e.why) for e in entries] == [
        ("demo.analyst", "searched people", "name=Walsh", "Strategy meeting 14/01"),
        ("demo.analyst", "searched events", "ref=NM/25/E1", None),
    ]


def test_bad_input_is_explained_not_a_server_error(signed_in: SignIn) -> None:
    officer = signed_in(Role.CALL_HANDLER)
    empty = officer.client.get("/api/v1/search/people")
    assert empty.status_code == 422
    assert empty.headers["content-type"] == "application/problem+json"
    assert "give a name" in empty.json()["detail"]
    wrong_date = officer.client.get("/api/v1/search/people", params={"date_of_birth": "31/02/x"})
    assert wrong_date.status_code == 422
    page = officer.client.get("/search", params={"name": "x", "dob": "not a date"})
    assert page.status_code == 422
    assert "is not a date" in page.text
    payload = "<script>alert(1)</script>' OR 1=1 --"
    inert = officer.client.get("/search", params={"name": payload, "place": payload})
    assert inert.status_code == 200
    assert "<script>alert(1)</script>" not in inert.text
    for path in ("/api/v1/search/people", "/api/v1/search/events"):
        nul = officer.client.get(
            path, params={"name": "Walsh\x00", "reference": "\x00", "why": "\x00"}
        )
        assert nul.status_code in (200, 422), path  # answered, whatever the backend


def test_partners_cannot_search(signed_in: SignIn) -> None:
    school = signed_in(Role.SCHOOL)
    assert school.client.get("/search", params={"name": "Walsh"}).status_code == 404
    assert school.client.get("/api/v1/search/people", params={"name": "Walsh"}).status_code == 404
    reviewer = signed_in(Role.CASE_REVIEWER)
    assert reviewer.client.get("/api/v1/search/people", params={"name": "Walsh"}).status_code == 403
