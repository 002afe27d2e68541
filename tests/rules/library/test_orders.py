from __future__ import annotations

import pytest

from childfirst.domain.vocab import EventType as T
from childfirst.domain.vocab import Jurisdiction
from childfirst.rules.library import orders
from childfirst.rules.library.orders import (
    ORDERS_ENGLAND_AND_WALES,
    ORDERS_NORTHERN_IRELAND,
    ORDERS_SCOTLAND,
    jurisdiction_of,
)

from .builders import Builder, assert_cites_catalogue


def _world() -> Builder:
    b = Builder()
    b.person("C", "Isla Grant", 13)
    b.person("S", "Roy Kemp", 52, sex="male")
    return b


def test_cites_catalogue() -> None:
    assert_cites_catalogue(orders.RULES)
    assert "REF-ORDERS-EW" in ORDERS_ENGLAND_AND_WALES.learning
    assert "REF-ORDERS-SCOT" in ORDERS_SCOTLAND.learning
    assert "REF-ORDERS-NI" in ORDERS_NORTHERN_IRELAND.learning


@pytest.mark.parametrize(
    ("agency", "expected"),
    [
        ("police-scotland", Jurisdiction.SCOTLAND),
        ("psni", Jurisdiction.NORTHERN_IRELAND),
        ("northern-ireland-health", Jurisdiction.NORTHERN_IRELAND),
        ("northmoor-police", Jurisdiction.ENGLAND_AND_WALES),
    ],
)
def test_jurisdiction_from_agency(agency: str, expected: Jurisdiction) -> None:
    assert jurisdiction_of(agency) is expected


def test_english_offence_against_a_child_asks_for_shpo_only() -> None:
    b = _world()
    offence = b.event(T.SEXUAL_OFFENCE, [("victim", "C"), ("suspect", "S")])
    [finding] = b.run(ORDERS_ENGLAND_AND_WALES, "C", offence)
    assert finding.key == "suspect:S"
    assert finding.evidence == (offence.id,)
    assert "Sexual Harm Prevention Order" in finding.explanation
    assert b.run(ORDERS_SCOTLAND, "C", offence) == []
    assert b.run(ORDERS_NORTHERN_IRELAND, "C", offence) == []


def test_scottish_and_northern_irish_offences() -> None:
    b = _world()
    scottish = b.event(
        T.SEXUAL_OFFENCE, [("victim", "C"), ("suspect", "S")], agency="police-scotland"
    )
    assert "2016 Scottish Act" in b.run(ORDERS_SCOTLAND, "C", scottish)[0].explanation
    irish = b.event(T.SEXUAL_OFFENCE, [("victim", "C"), ("suspect", "S")], agency="psni", days=1)
    assert "Risk of Sexual Harm Order" in b.run(ORDERS_NORTHERN_IRELAND, "C", irish)[0].explanation


def test_order_already_made_or_adult_victim_is_not_raised() -> None:
    b = _world()
    b.event(T.ORDER, [("subject", "S")], days=-5, summary="Sexual Harm Prevention Order granted.")
    offence = b.event(T.SEXUAL_OFFENCE, [("victim", "C"), ("suspect", "S")])
    assert b.run(ORDERS_ENGLAND_AND_WALES, "C", offence) == []
    b.person("W", "Wendy Adult", 30)
    adult = b.event(T.SEXUAL_OFFENCE, [("victim", "W"), ("suspect", "C")], days=1)
    assert b.run(ORDERS_ENGLAND_AND_WALES, "W", adult) == []
