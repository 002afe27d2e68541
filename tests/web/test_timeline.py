"""The child's timeline narrowed by agency and event type: a plain form for every browser, and an
in-place update for browsers running htmx; both audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from childfirst.domain.roles import Role
from childfirst.ingest.importer import import_files
from childfirst.web import audit
from tests.factories import AGENCY, event, write_jsonl
from tests.web.conftest import CHILD, SignIn, World

HTMX = {"HX-Request": "true"}


@pytest.fixture
def episodes(world: World, tmp_path: Path) -> World:
    """Kayleigh goes missing, comes back, and the police record a concern for her."""
    subject = [{"role": "subject", "person": "P1"}]
    records = [
        event("E20", event_type="missing_reported", occurred_at="2025-04-01T18:00:00"),
        event("E21", event_type="missing_returned", occurred_at="2025-04-02T09:00:00"),
        event("E22", event_type="concern_for_child", occurred_at="2025-05-01T12:00:00"),
    ]
    for record in records:
        record.update(links=subject, details={})
    import_files(world.db, [write_jsonl(tmp_path / "episodes.jsonl", records)])
    return world


def _listed(page: str) -> str:
    return page[page.index('<div id="timeline-results"') :]


def test_the_plain_form_narrows_the_timeline_by_type(episodes: World, signed_in: SignIn) -> None:
    client = signed_in(Role.PUBLIC_PROTECTION).client
    page = client.get(
        f"/children/{CHILD}", params={"type": ["missing_reported", "missing_returned"]}
    ).text
    assert f'<form class="filters" method="get" action="/children/{CHILD}#timeline"' in page
    assert 'name="type" value="missing_reported" checked' in page
    assert 'name="type" value="concern_for_child">' in page
    listed = _listed(page)
    assert "2 events matching the filters" in listed
    assert "Missing person reported" in listed
    assert "Missing person returned" in listed
    assert "Concern for a child" not in listed


def test_the_agency_filter_offers_the_agencies_with_their_counts(
    episodes: World, signed_in: SignIn
) -> None:
    client = signed_in(Role.PUBLIC_PROTECTION).client
    page = client.get(f"/children/{CHILD}").text
    assert f"{AGENCY} (3)" in page
    elsewhere = _listed(client.get(f"/children/{CHILD}", params={"agency": "another-force"}).text)
    assert "0 events matching the filters" in elsewhere
    assert "<li>No events.</li>" in elsewhere


def test_htmx_gets_only_the_list_and_the_address_to_show(
    episodes: World, signed_in: SignIn
) -> None:
    client = signed_in(Role.PUBLIC_PROTECTION).client
    part = client.get(
        f"/children/{CHILD}/timeline", params={"type": "concern_for_child"}, headers=HTMX
    )
    assert part.status_code == 200
    assert part.text.lstrip().startswith('<div id="timeline-results"')
    assert "<html" not in part.text
    assert "Concern for a child" in part.text
    assert "Missing person" not in part.text
    assert part.headers["HX-Push-Url"] == f"/children/{CHILD}?type=concern_for_child"
    with episodes.db.session() as session:
        latest = audit.about_child(session, {CHILD}, limit=1)[0]
    assert (latest.action, latest.role) == ("viewed child timeline", "public_protection")


def test_without_htmx_the_timeline_address_leads_to_the_whole_page(
    episodes: World, signed_in: SignIn
) -> None:
    client = signed_in(Role.PUBLIC_PROTECTION).client
    response = client.get(f"/children/{CHILD}/timeline", params={"type": "missing_reported"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/children/{CHILD}?type=missing_reported#timeline"


def test_nonsense_filters_are_refused_or_ignored_never_an_error(
    episodes: World, signed_in: SignIn
) -> None:
    client = signed_in(Role.PUBLIC_PROTECTION).client
    long_value = client.get(f"/children/{CHILD}", params={"type": "x" * 500})
    assert long_value.status_code in (200, 422)
    many = client.get(f"/children/{CHILD}", params={"agency": [str(n) for n in range(500)]})
    assert many.status_code in (200, 422)
    injected = client.get(f"/children/{CHILD}", params={"type": "' OR 1=1 --"})
    assert "0 events matching the filters" in _listed(injected.text)
