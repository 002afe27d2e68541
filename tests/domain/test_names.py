"""Names, nicknames and postcodes as the record, search, linkage and scrubbing all read them: one
pattern, one table, one way of writing a name, so the parts of the system cannot disagree."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from childfirst.domain import nicknames, postcodes
from childfirst.domain.names import UNKNOWN_NAME, full_name
from childfirst.domain.places import place_key
from childfirst.domain.records import LocationRecord
from childfirst.linkage.frame import linkage_row
from childfirst.scrubbing import Scrubber, nickname_variants
from childfirst.search import keys
from tests.factories import location

WRITTEN = ["nm47qt", "NM4 7QT", " nm4  7qt ", "B1 1AA", "EC1A 1BB", "w1a0ax", "M60 1NW"]
NOT_POSTCODES = ["NM4", "7QT", "NM4 7Q", "1NM 7QT", "NM4 7QTX", "", "  "]


def _location(code: str) -> LocationRecord:
    return LocationRecord.model_validate_json(json.dumps(location(postcode=code)))


@pytest.mark.parametrize("written", WRITTEN)
def test_import_linkage_search_and_scrubbing_read_a_postcode_alike(written: str) -> None:
    standard = postcodes.standard(written)
    assert standard is not None
    assert _location(written).postcode == standard
    assert keys.postcode(written) == standard
    row = linkage_row("p", "a", "Ann", None, "Lee", None, None, None, None, [(None, written)])
    assert row["postcode"] == standard
    in_text = " ".join(written.split())
    assert Scrubber({})(f"lives at {in_text} now") == "lives at [postcode] now"


@pytest.mark.parametrize("text", NOT_POSTCODES)
def test_text_that_is_not_a_postcode_is_refused_everywhere(text: str) -> None:
    assert postcodes.standard(text) is None
    with pytest.raises(ValidationError):
        _location(text)
    row = linkage_row("p", "a", "Ann", None, "Lee", None, None, None, None, [(None, text)])
    assert row["postcode"] is None


def test_a_search_may_give_a_postcode_district_alone() -> None:
    assert keys.postcode("nm4") == postcodes.outward("nm4") == "NM4"
    assert postcodes.district("NM4 7QT") == "NM4"


def test_the_nickname_table_gives_a_names_other_forms_to_search_linkage_and_scrubbing() -> None:
    assert {"kate", "katie", "cathy"} <= nicknames.variants("Katherine")
    assert "katherine" not in nicknames.variants("Katherine")
    assert nickname_variants("Katherine") == set(nicknames.variants("Katherine"))
    assert nicknames.canonical("Katie") == nicknames.canonical("Kathryn") == "katherine"
    assert keys.given_key("Katie") == keys.given_key("Katherine")
    assert nicknames.variants("Zebedee") == frozenset()
    assert nicknames.variants(None) == frozenset()


def test_a_full_name_is_given_and_family_name_or_says_none_is_recorded() -> None:
    assert full_name("Kayleigh", "Walsh") == "Kayleigh Walsh"
    assert full_name("Kayleigh", "Walsh", "Ann") == "Kayleigh Ann Walsh"
    assert full_name(None, "Walsh") == "Walsh"
    assert full_name(None, None) == UNKNOWN_NAME == "(name not recorded)"
    assert full_name("", None, unknown="") == ""


def test_two_agencies_records_of_one_address_share_a_place_key() -> None:
    assert place_key("12 Mill Lane, Northmoor", "NM4 7QT", None) == place_key(
        "12 MILL LANE   NORTHMOOR.", "NM4 7QT", None
    )
    assert place_key("12 Mill Lane", "NM4 7QT", None) != place_key("14 Mill Lane", "NM4 7QT", None)
    assert place_key("anything", None, "100023336956") == "uprn:100023336956"
