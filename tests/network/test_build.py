"""The people around a child: family, the carers' partners, people at the same address (whichever
agency recorded it) and associates from shared events; and where each is drawn."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from childfirst.errors import NotFoundError
from childfirst.ingest.importer import import_files
from childfirst.network import Network, child_network, layout
from childfirst.network.layout import INNER, OUTER
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from tests.factories import AGENCY, event, location, person, relationship, source, write_jsonl

HEALTH = "northmoor-health"
CHILD = record_id("person", AGENCY, "niche", "P1")
ON = date(2026, 1, 15)


def _health(record: dict[str, Any], record_id: str) -> dict[str, Any]:
    return {**record, "source": source(record_id, HEALTH, "health")}


def _area() -> list[dict[str, Any]]:
    home = [{"location": "L1", "from_date": "2019-04-01"}]
    return [
        location(),
        person("P1", "Kayleigh", "Walsh", date_of_birth="2016-06-30", addresses=home),
        person("P2", "Donna", "Walsh", date_of_birth="1988-02-11", addresses=home),
        person("P3", "Dean", "Cole", date_of_birth="1985-09-09", sex="male"),
        person("P4", "Gary", "Price", date_of_birth="1984-03-03", sex="male"),
        person("P5", "Tyler", "Moss", date_of_birth="2009-05-05", sex="male"),
        person("P6", "Anna", "Shaw", date_of_birth="1979-01-01"),
        relationship("R1"),  # Donna is Kayleigh's parent
        relationship("R2", person="P3", other="P2", relationship_type="partner"),
        relationship(
            "R3", person="P4", other="P2", relationship_type="ex_partner", ended_on="2020-05-01"
        ),
        *(
            event(
                f"E{n}",
                event_type="missing_reported",
                occurred_at=f"2025-0{n}-10T20:00:00",
                links=[
                    {"role": "subject", "person": "P1"},
                    {"role": "found_with", "person": "P5"},
                    {"role": "professional", "person": "P6"},
                ],
                details={},
            )
            for n in (1, 2)
        ),
        # Health records the same address as its own location, and the grandmother living there.
        _health(location("HL1", address="12 mill lane,  NORTHMOOR"), "HL1"),
        _health(
            person(
                "HP7",
                "Maureen",
                "Walsh",
                date_of_birth="1960-07-07",
                addresses=[{"location": "HL1", "from_date": "2024-01-01"}],
            ),
            "HP7",
        ),
    ]


@pytest.fixture
def network(db: Database, tmp_path: Path) -> Network:
    import_files(db, [write_jsonl(tmp_path / "area.jsonl", _area())])
    with db.session() as session:
        return child_network(session, CHILD, ON)


def _by_name(network: Network) -> dict[str, Any]:
    return {p.name: p for p in network.people}


def test_family_partners_and_household_are_the_inner_circle(network: Network) -> None:
    people = _by_name(network)
    assert network.child_name == "Kayleigh Walsh"
    assert people["Donna Walsh"].description == "parent; lives at the same address"
    assert people["Donna Walsh"].age == 37
    assert people["Dean Cole"].description == "partner of Donna Walsh"
    assert people["Maureen Walsh"].description == "lives at the same address"
    assert {p.name for p in network.circle("household")} == {
        "Donna Walsh",
        "Dean Cole",
        "Maureen Walsh",
    }


def test_an_ended_relationship_and_event_associates_are_the_outer_circle(network: Network) -> None:
    people = _by_name(network)
    assert people["Gary Price"].description == "ex partner of Donna Walsh (ended 2020-05-01)"
    tyler = people["Tyler Moss"]
    assert tyler.description == "in 2 events with the child"
    assert tyler.is_child
    assert tyler.age == 16
    assert "Anna Shaw" not in people  # there for her work, not as an associate
    assert {p.name for p in network.circle("associate")} == {"Gary Price", "Tyler Moss"}


def test_layout_puts_each_circle_on_its_ring(network: Network) -> None:
    for someone, at in zip(network.people, layout(network.people), strict=True):
        radius = (at.x**2 + at.y**2) ** 0.5
        expected = INNER if someone.circle == "household" else OUTER
        assert radius == pytest.approx(expected, abs=0.2), someone.name
    positions = {(a.x, a.y) for a in layout(network.people)}
    assert len(positions) == len(network.people)  # nobody drawn on top of anyone else


def test_an_unknown_child_is_not_found(db: Database) -> None:
    with db.session() as session, pytest.raises(NotFoundError):
        child_network(session, "per_0000", ON)
