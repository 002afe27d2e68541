from __future__ import annotations

from childfirst.domain.vocab import EventType as T
from childfirst.domain.vocab import RelationshipType as R
from childfirst.rules.library import looked_after
from childfirst.rules.library.looked_after import PLACEMENT_INCIDENT as RULE
from childfirst.rules.model import Severity

from .builders import Builder, assert_cites_catalogue

CSC = {"agency": "northmoor-csc", "agency_kind": "childrens_social_care"}


def _world(in_care: bool = True) -> Builder:
    b = Builder()
    b.person("C", "Tyler Reid", 14, sex="male")
    b.person("S", "Jo Staff", 40)
    b.lives("C", "HOME")
    if in_care:
        b.event(T.LOOKED_AFTER_STARTED, [("subject", "C")], days=-200, agency="northmoor-csc")
    return b


def test_cites_catalogue() -> None:
    assert_cites_catalogue(looked_after.RULES)


def test_damage_reported_by_home_staff_is_raised() -> None:
    b = _world()
    start = b.history.by_person["C"][0]
    damage = b.event(
        T.CRIMINAL_DAMAGE,
        [("suspect", "C"), ("caller", "S")],
        details={"offence": "criminal damage", "reported_by": "residential staff"},
    )
    [finding] = b.run(RULE, "C", damage)
    assert finding.key == f"event:{damage.id}"
    assert finding.evidence == (start.id, damage.id)
    assert "reported by residential staff" in finding.explanation
    assert finding.severity is None


def test_flag_on_a_missing_report_and_the_placement_address_count() -> None:
    b = _world(in_care=False)
    flag = b.event(T.MISSING_REPORTED, [("subject", "C")], days=-30, details={"looked_after": True})
    first = b.event(T.PUBLIC_ORDER, [("suspect", "C")], days=-20, location="HOME")
    second = b.event(T.PUBLIC_ORDER, [("suspect", "C")], days=-10, location="HOME")
    third = b.event(
        T.VIOLENCE, [("suspect", "C")], location="HOME", details={"offence": "common assault"}
    )
    [finding] = b.run(RULE, "C", third)
    assert finding.evidence == (flag.id, first.id, second.id, third.id)
    assert finding.severity is Severity.HIGH
    assert "at the child's placement" in finding.explanation


def test_foster_carer_as_caller_counts() -> None:
    b = _world()
    b.tie("S", R.FOSTER_CARER, "C")
    damage = b.event(T.CRIMINAL_DAMAGE, [("suspect", "C"), ("caller", "S")], location="ELSEWHERE")
    [finding] = b.run(RULE, "C", damage)
    assert "reported by the child's carer Jo Staff" in finding.explanation


def test_child_living_at_home_is_not_raised() -> None:
    b = _world(in_care=False)
    damage = b.event(T.CRIMINAL_DAMAGE, [("suspect", "C")], location="HOME")
    assert b.run(RULE, "C", damage) == []


def test_care_ended_is_not_raised() -> None:
    b = _world()
    b.event(T.LOOKED_AFTER_ENDED, [("subject", "C")], days=-5)
    damage = b.event(T.CRIMINAL_DAMAGE, [("suspect", "C")], location="HOME")
    assert b.run(RULE, "C", damage) == []


def test_serious_violence_or_unconnected_incident_is_not_raised() -> None:
    b = _world()
    serious = b.event(
        T.VIOLENCE, [("suspect", "C")], location="HOME", details={"offence": "wounding with intent"}
    )
    assert b.run(RULE, "C", serious) == []
    street = b.event(T.PUBLIC_ORDER, [("suspect", "C")], location="TOWN", summary="Shouting.")
    assert b.run(RULE, "C", street) == []


def test_record_naming_the_childrens_home_is_enough_without_care_records() -> None:
    b = _world(in_care=False)
    damage = b.event(
        T.CRIMINAL_DAMAGE,
        [("suspect", "C"), ("caller", "S")],
        summary="Staff at the children's home report Tyler damaged a door.",
    )
    [finding] = b.run(RULE, "C", damage)
    assert finding.evidence == (damage.id,)
    assert "living in residential care" in finding.explanation
