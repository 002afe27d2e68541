"""Pseudonyms: stable under one secret, different under another, unreadable without it; and free
text with recorded names, addresses and postcodes replaced."""

from __future__ import annotations

import re

from childfirst.pseudonyms import Pseudonyms, Scrubber, address_variants, name_variants


def test_a_pseudonym_is_stable_for_one_secret_and_changes_with_the_secret() -> None:
    first, again, other = Pseudonyms("secret one"), Pseudonyms("secret one"), Pseudonyms("two")
    assert first.person("per_1", True) == again.person("per_1", True)
    assert first.person("per_1", True) != other.person("per_1", True)
    assert re.fullmatch(r"Child [A-HJ-NP-Z]{4}", first.person("per_1", True))
    assert first.person("per_1", False).startswith("Adult ")
    assert first.person("per_1", None).startswith("Person ")
    codes = {first.code("person", f"per_{n}") for n in range(2000)}
    assert len(codes) > 1990  # four letters from 24 leave few collisions among 2,000 people


def test_names_in_every_form_are_replaced_longest_first() -> None:
    child, mother = "Child AAAA", "Adult BBBB"
    variants = dict.fromkeys(name_variants("Kayleigh", "Walsh", [{"given_name": "Kayley"}]), child)
    variants |= dict.fromkeys(name_variants("Donna", None), mother)
    variants["walsh"] = "[name]"  # shared by the family
    scrub = Scrubber(variants)
    text = "KAYLEIGH WALSH told Donna; Kayley's mum (Ms Walsh) was out. Donnachie is unrelated."
    assert scrub(text) == (
        "Child AAAA told Adult BBBB; Child AAAA's mum (Ms [name]) was out. Donnachie is unrelated."
    )
    assert scrub(None) is None


def test_addresses_and_any_postcode_are_replaced() -> None:
    place = "Address CCCC"
    scrub = Scrubber(dict.fromkeys(address_variants("12 Mill Lane, Northmoor", "NM4 7QT"), place))
    assert scrub("Seen at 12 Mill Lane, Northmoor, NM4 7QT") == f"Seen at {place}, {place}"
    assert scrub("Walked along Mill Lane to SB2 9XY") == f"Walked along {place} to [postcode]"
