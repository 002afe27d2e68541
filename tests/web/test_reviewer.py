"""The case reviewer reads concerns and children's records pseudonymised, and changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from childfirst.domain.roles import Role
from childfirst.ingest.importer import import_files
from childfirst.pseudonyms import Pseudonyms
from childfirst.store.identity import record_id
from childfirst.web import audit
from childfirst.web.services.case_review import CHILD_KEY, CONCERN_KEY
from tests.factories import AGENCY, event, write_jsonl
from tests.web.conftest import CHILD, PATTERN, SECRET, SignIn, World

MOTHER = record_id("person", AGENCY, "niche", "P2")
NAMES = Pseudonyms(SECRET)


def child_key(person: str = CHILD) -> str:
    return NAMES.token(CHILD_KEY, person)


def concern_key(concern: int) -> str:
    return NAMES.token(CONCERN_KEY, str(concern))


IDENTIFYING = ("Kayleigh", "Walsh", "Donna", "Dean", "Cole", "Mill Lane", "NM4 7QT", "2016")


@pytest.fixture
def told(world: World, tmp_path: Path) -> World:
    """A welfare visit whose free text names the family, the street and the postcode."""
    visit = event(
        "E30",
        event_type="welfare_check",
        occurred_at="2025-04-10T10:00:00",
        summary="Donna Walsh and Dean Cole at 12 Mill Lane, NM4 7QT; Kayleigh seen and spoken to.",
        outcome="Kayleigh safe and well",
        links=[{"role": "subject", "person": "P1"}, {"role": "parent_or_carer", "person": "P2"}],
        details={},
    )
    import_files(world.db, [write_jsonl(tmp_path / "visit.jsonl", [visit])])
    return world


def _main(page: str) -> str:
    return page[page.index('<main id="main"') :]


def test_the_child_is_shown_under_a_stable_pseudonym(told: World, signed_in: SignIn) -> None:
    reviewer = signed_in(Role.CASE_REVIEWER).client
    child = Pseudonyms(SECRET).person(CHILD, True)
    listing = _main(reviewer.get("/case-review").text)
    assert f'<a href="/case-review/children/{child_key()}">{child}</a>' in listing
    concern = _main(
        reviewer.get(f"/case-review/concerns/{concern_key(told.concerns[PATTERN])}").text
    )
    assert f'About <a href="/case-review/children/{child_key()}">{child}</a>' in concern
    assert f"{child} (aged 8) lives with 2 domestic abuse incidents" in concern
    profile = _main(reviewer.get(f"/case-review/children/{child_key()}").text)
    assert f"<h1>{child}</h1>" in profile
    for page in (listing, concern, profile):
        for word in IDENTIFYING:
            assert word not in page, word


def test_free_text_names_people_and_places_by_pseudonym(told: World, signed_in: SignIn) -> None:
    reviewer = signed_in(Role.CASE_REVIEWER).client
    profile = _main(reviewer.get(f"/case-review/children/{child_key()}").text)
    names = Pseudonyms(SECRET)
    mother, child = names.person(MOTHER, False), names.person(CHILD, True)
    visit = profile[profile.index("Welfare") :]
    assert re.search(rf"{mother} and Adult [A-Z]{{4}} at Address [A-Z]{{4}}", visit), visit[:300]
    assert f"{child} seen and spoken to" in visit
    assert f"Outcome: {child} safe and well" in visit
    assert "NM/25/" not in profile  # references are left out, in free text too
    assert "incident [reference] on 2025-03-02" in profile


def test_the_network_is_drawn_with_pseudonyms(told: World, signed_in: SignIn) -> None:
    profile = signed_in(Role.CASE_REVIEWER).client.get(f"/case-review/children/{child_key()}").text
    mother = Pseudonyms(SECRET).person(MOTHER, False)
    svg = profile[profile.index("<svg") : profile.index("</svg>")]
    assert f">{mother} (" in svg
    assert "Household and associates of Child " in svg


def test_a_reviewer_changes_nothing_and_sees_no_named_record(
    told: World, signed_in: SignIn
) -> None:
    reviewer = signed_in(Role.CASE_REVIEWER)
    concern = told.concerns[PATTERN]
    assert reviewer.post_form(f"/concerns/{concern}/close", {"reason": "x"}).status_code == 403
    assert reviewer.post_json(f"/api/v1/concerns/{concern}/acknowledge").status_code == 403
    assert reviewer.client.get(f"/children/{CHILD}").status_code == 403
    assert reviewer.client.get(f"/concerns/{concern}").status_code == 403
    assert signed_in(Role.SUPERVISOR).client.get("/case-review").status_code == 403


def test_every_pseudonymised_view_is_audited(told: World, signed_in: SignIn) -> None:
    reviewer = signed_in(Role.CASE_REVIEWER).client
    reviewer.get(f"/case-review/concerns/{concern_key(told.concerns[PATTERN])}")
    reviewer.get(f"/case-review/children/{child_key()}")
    with told.db.session() as session:
        entries = audit.about_child(session, {CHILD}, limit=2)
    assert [(e.action, e.role) for e in entries] == [
        ("viewed child (pseudonymised)", "case_reviewer"),
        ("viewed concern (pseudonymised)", "case_reviewer"),
    ]
