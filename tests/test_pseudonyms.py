"""Pseudonyms: stable under one secret, different under another, unreadable without it; and the
keys of pseudonymised pages, which stand for one record, read back only with the secret."""

from __future__ import annotations

import re

from childfirst.pseudonyms import Pseudonyms, agency_label, place_noun


def test_a_pseudonym_is_stable_for_one_secret_and_changes_with_the_secret() -> None:
    first, again, other = Pseudonyms("secret one"), Pseudonyms("secret one"), Pseudonyms("two")
    assert first.person("per_1", True) == again.person("per_1", True)
    assert first.person("per_1", True) != other.person("per_1", True)
    assert re.fullmatch(r"Child [A-HJ-NP-Z]{4}", first.person("per_1", True))
    assert first.person("per_1", False).startswith("Adult ")
    assert first.person("per_1", None).startswith("Person ")
    codes = {first.code("person", f"per_{n}") for n in range(2000)}
    assert len(codes) > 1990  # four letters from 24 leave few collisions among 2,000 people


def test_a_key_stands_for_one_record_and_reads_back_only_with_the_secret() -> None:
    names, again, other = Pseudonyms("secret one"), Pseudonyms("secret one"), Pseudonyms("two")
    record = "per_0123456789abcdef0123"
    key = names.token("child", record)
    assert key == again.token("child", record)  # stable: the same page has the same address
    assert re.fullmatch(r"[a-z2-7]+", key)
    assert record not in key
    assert names.reveal("child", key) == record
    assert other.reveal("child", key) is None  # another secret reads nothing
    assert names.reveal("concern", key) is None  # a key of one kind opens nothing of another
    assert names.reveal("child", record) is None  # the real id is no key
    assert names.reveal("child", "") is None
    tampered = key[:-3] + ("aaa" if not key.endswith("aaa") else "bbb")
    assert names.reveal("child", tampered) is None
    keys = {names.token("concern", str(n)) for n in range(1, 1001)}
    assert len(keys) == 1000
    assert all(names.reveal("concern", k) is not None for k in keys)


def test_agencies_and_places_are_named_by_what_they_are() -> None:
    assert agency_label("childrens_social_care") == "children's social care"
    assert agency_label("northmoor-police") == "another agency"
    assert place_noun("school", "St Cuthbert's Primary School, Northmoor") == "Primary school"
    assert place_noun("school", "Fellview Academy") == "School"
    assert place_noun("dwelling", "12 Mill Lane") == "Address"
    assert Pseudonyms("s").place("loc_1", "Hospital").startswith("Hospital ")
