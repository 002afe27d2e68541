"""Free text with recorded names, addresses and references replaced, and anything shaped like a
date, phone number, NHS number, e-mail address or postcode taken out."""

from __future__ import annotations

from datetime import date

from childfirst.scrubbing import (
    Replacements,
    Scrubber,
    address_variants,
    candidates,
    name_variants,
    nickname_variants,
)

CHILD, MOTHER, STEPFATHER = "Child AAAA", "Adult BBBB", "Adult CCCC"


def _people(*people: tuple[str, str | None, str | None, str | None, list[object]]) -> Replacements:
    terms = Replacements()
    for label, given, middle, family, aliases in people:
        recorded, nicknames = name_variants(given, family, aliases, middle=middle)
        for variant in recorded:
            terms.name(variant, label)
        for variant in nicknames:
            terms.name(variant, label, nickname=True)
    return terms


def test_names_in_every_form_are_replaced_longest_first() -> None:
    scrub = Scrubber(
        _people(
            (CHILD, "Kayleigh", "Zoë", "Walsh", [{"given_name": "Kayley"}]),
            (MOTHER, "Donna", None, "Walsh", []),
        )
    )
    text = "KAYLEIGH WALSH told Donna; Kayley's mum (Ms Walsh) was out. Donnachie is unrelated."
    assert scrub(text) == (
        "Child AAAA told Adult BBBB; Child AAAA's mum (Ms [name]) was out. Donnachie is unrelated."
    )
    # The middle name, written without its accent, and in capitals.
    assert scrub("Kayleigh Zoe Walsh; ZOE; zoë") == "Child AAAA; Child AAAA; Child AAAA"
    assert scrub(None) is None


def test_accents_hyphens_apostrophes_and_possessives() -> None:
    scrub = Scrubber(
        _people(
            (CHILD, "Siobhán", None, "O'Brien-Nowak", []),
            (MOTHER, "Zoe", None, "Lefèvre", []),
        )
    )
    said = "SIOBHAN O\u2019BRIEN NOWAK, Siobhan's aunt, OBrien; nowak's and zoë lefevre's"
    assert scrub(said) == (
        "Child AAAA, Child AAAA's aunt, Child AAAA; Child AAAA's and Adult BBBB's"
    )


def test_nicknames_of_recorded_given_names_are_replaced() -> None:
    assert {"kate", "katie", "kathy"} <= nickname_variants("Katherine")
    scrub = Scrubber(
        _people(
            (CHILD, "Katherine", "Elizabeth", "Hale", []),
            (STEPFATHER, "William", None, "Price", []),
        )
    )
    assert scrub("Katie Hale and Lizzie; Kate's friend") == (
        "Child AAAA and Child AAAA; Child AAAA's friend"
    )
    # A nickname that is an everyday word counts only with a capital.
    assert scrub("Bill said he will call; Will Price") == (
        "Adult CCCC said he will call; Adult CCCC"
    )


def test_addresses_and_any_postcode_are_replaced() -> None:
    place = "Address CCCC"
    terms = Replacements()
    for variant in address_variants("12 Mill Lane, Northmoor", "NM4 7QT"):
        terms.add(variant, place)
    scrub = Scrubber(terms)
    assert scrub("Seen at 12 Mill Lane, Northmoor, NM4 7QT") == f"Seen at {place}, {place}"
    assert scrub("Walked along mill lane to SB2 9XY") == f"Walked along {place} to [postcode]"


def test_dates_stay_only_when_they_are_an_event_shown_and_nobodys_birthday() -> None:
    scrub = Scrubber(Replacements(), event_days=[date(2025, 4, 10)], births=[date(2016, 6, 30)])
    born = "born 30/06/2016, 30.6.16, 30 June 2016, June 30th 2016, 2016-06-30, in June 2016"
    assert scrub(born) == "born [date], [date], [date], [date], [date], in [date]"
    assert scrub("her birthday, 30th June") == "her birthday, [date]"
    assert scrub("seen 10/04/2025 and 10 April; told 3 March 2024") == (
        "seen 10/04/2025 and 10 April; told [date]"
    )
    assert scrub("moved in March 2024") == "moved in March 2024"  # a month names nobody


def test_identifiers_go_whether_recorded_or_not() -> None:
    scrub = Scrubber({"NM/25/E30": "[reference]", "CX9": "[reference]"})
    text = (
        "Mum on 07700 900123, +44 7700 900 123, +44 (0)161 496 0000 and 0161-496-0000; "
        "NHS 943 476 5919 and 9434765919; e-mail k.walsh@example.org; "
        "refs NM/25/E30, NM/24/777, CRN2024556 and cx9; uprn 100012345678; age 8, 2 children"
    )
    assert scrub(text) == (
        "Mum on [phone number], [phone number], [phone number] and [phone number]; "
        "NHS [NHS number] and [NHS number]; e-mail [email]; "
        "refs [reference], [reference], [reference] and [reference]; uprn [number]; "
        "age 8, 2 children"
    )


def test_words_that_may_be_recorded_identifiers_are_offered_for_look_up() -> None:
    found = candidates(["see nm/25/e31 and P1, E30.", None, "no digits here"])
    assert {"nm/25/e31", "NM/25/E31", "P1", "E30"} <= found
    assert not any(w.isalpha() for w in found)
