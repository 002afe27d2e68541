"""Phonetic keys: spellings of one name share a key, different names do not."""

from __future__ import annotations

import pytest

from childfirst.search.keys import family_key, given_key, postcode, sound


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Smith", "Smyth"),
        ("Stephens", "Stevens"),
        ("Mohammed", "Muhammad"),
        ("Catherine", "Katharine"),
        ("Thompson", "Tomson"),
        ("Phillips", "Philips"),
        ("Macdonald", "McDonald"),
        ("Knight", "Night"),
        ("Lowe", "Low"),
        ("Geoffrey", "Jeffrey"),
        ("O'Brien", "OBrien"),
        ("Walsh", "Welsh"),
    ],
)
def test_spellings_of_one_name_share_a_key(a: str, b: str) -> None:
    assert sound(a) == sound(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Smith", "Jones"), ("Walsh", "Wallace"), ("Hale", "Hughes"), ("Dean", "Daniel")],
)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert sound(a) != sound(b)


def test_given_names_are_keyed_through_the_nickname_table() -> None:
    assert given_key("Danny") == given_key("Daniel") == given_key("dan")
    assert given_key("Beth") == given_key("Elizabeth")
    assert given_key("Kate") == given_key("Catherine")
    assert given_key("Danny") != given_key("Dean")


def test_no_name_has_no_key() -> None:
    assert sound(None) is None
    assert sound(" - ") is None
    assert family_key("") is None


def test_postcodes_are_read_whole_or_by_their_first_part() -> None:
    assert postcode("nm47qt") == "NM4 7QT"
    assert postcode(" NM4  7QT ") == "NM4 7QT"
    assert postcode("nm4") == "NM4"
    assert postcode("Mill Lane") is None
