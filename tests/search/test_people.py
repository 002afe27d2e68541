"""Searching people and events over the store, on both backends."""

from __future__ import annotations

from datetime import date

import pytest

from childfirst.search.events import EventsQuery, search_events
from childfirst.search.people import PeopleQuery, SearchError, search_people
from tests.search.conftest import DAN, DANNY, GIRL, MASTER, TODAY, Area


def _ids(area: Area, query: PeopleQuery) -> list[str]:
    return [hit.id for hit in search_people(area.db, query, today=TODAY).hits]


def test_a_nickname_and_another_spelling_find_the_linked_person(area: Area) -> None:
    found = search_people(area.db, PeopleQuery(name="Danny Smith"), today=TODAY)
    first = found.hits[0]
    assert first.id == MASTER
    assert {r.person_id for r in first.records} == {DAN, DANNY}
    assert {r.agency for r in first.records} == {"northmoor-police", "northmoor-csc"}
    assert "given name" in first.matched_on or "given name (another form of it)" in (
        first.matched_on
    )
    # The other Daniel Smith is a different person and is listed apart.
    assert len([h for h in found.hits if h.name == "Daniel Smith"]) == 2


def test_the_date_of_birth_puts_the_right_person_first(area: Area) -> None:
    query = PeopleQuery(name="Dan Smyth", date_of_birth=date(1990, 3, 12))
    first = search_people(area.db, query, today=TODAY).hits[0]
    assert first.date_of_birth == date(1990, 3, 12)
    assert "date of birth" in first.matched_on


def test_a_transposed_date_of_birth_still_finds_the_person(area: Area) -> None:
    assert _ids(area, PeopleQuery(date_of_birth=date(1985, 9, 9))) == [MASTER]
    transposed = search_people(
        area.db, PeopleQuery(date_of_birth=date(2009, 4, 11)), today=TODAY
    ).hits
    assert [h.name for h in transposed] == ["Muhammad Khan"]
    assert transposed[0].matched_on == ["date of birth with day and month swapped"]


def test_sound_alike_family_names_are_found_and_ranked_below_exact_ones(area: Area) -> None:
    hits = search_people(area.db, PeopleQuery(name="Catherine Tomson"), today=TODAY).hits
    assert [h.name for h in hits] == ["Katharine Thomson"]
    smiths = [h.name for h in search_people(area.db, PeopleQuery(name="Smith"), today=TODAY).hits]
    assert smiths[-1] == "Dean Smithson"  # starts alike: found, but after the Smiths


def test_a_postcode_or_address_words_find_who_lives_there(area: Area) -> None:
    at_home = _ids(area, PeopleQuery(place="nm47qt"))
    assert set(at_home) == {GIRL, MASTER}
    assert _ids(area, PeopleQuery(place="canal street")) == _ids(area, PeopleQuery(place="NM2"))
    assert _ids(area, PeopleQuery(name="Smith", place="NM4 7QT")) == [MASTER]


def test_filters_narrow_to_children_or_one_agency(area: Area) -> None:
    assert _ids(area, PeopleQuery(place="NM4 7QT", ages="child")) == [GIRL]
    only_csc = search_people(area.db, PeopleQuery(name="Smyth", agency="northmoor-csc"))
    assert [h.id for h in only_csc.hits] == [MASTER]


def test_open_concerns_about_linked_children_are_flagged(area: Area) -> None:
    hit = search_people(area.db, PeopleQuery(name="Daniel Smith", date_of_birth=date(1985, 9, 9)))
    flags = hit.hits[0].flags
    assert [(f.child_id, f.name, f.open_concerns, f.severity) for f in flags] == [
        (GIRL, "Kayleigh Walsh", 1, "high")
    ]
    girl = search_people(area.db, PeopleQuery(name="Kayleigh Walsh"), today=TODAY).hits[0]
    assert girl.child
    assert girl.flags[0].how == "is this person"


def test_an_empty_search_is_refused(area: Area) -> None:
    with pytest.raises(SearchError):
        search_people(area.db, PeopleQuery(name="  "))
    with pytest.raises(SearchError):
        search_events(area.db, EventsQuery())


def test_events_by_reference_type_date_and_place(area: Area) -> None:
    exact = search_events(area.db, EventsQuery(reference="nm/25/0777"))
    assert [h.reference for h in exact.hits] == ["NM/25/0777"]
    assert exact.hits[0].people[0].child
    started = search_events(area.db, EventsQuery(reference="NM/25/0"))
    assert [h.reference for h in started.hits] == ["NM/25/0777", "NM/25/0001"]
    missing = search_events(area.db, EventsQuery(event_type="missing_reported"))
    assert [h.reference for h in missing.hits] == ["NM/25/0777"]
    window = EventsQuery(since=date(2025, 1, 1), until=date(2025, 1, 31))
    assert [h.reference for h in search_events(area.db, window).hits] == ["NM/25/0001"]
    assert [h.reference for h in search_events(area.db, EventsQuery(place="NM2")).hits] == [
        "NM/25/0777"
    ]
    assert search_events(area.db, EventsQuery(reference="NM/99")).hits == []
