from __future__ import annotations

from childfirst.domain.vocab import EventType, RelationshipType
from childfirst.rules.library.partnership import (
    FAMILY_INTIMIDATED,
    INFORMAL_STRATEGY,
    MEDICAL_WEIGHT,
    PROTECTION_STATUS,
    RULES,
)
from tests.rules.library.builders import Builder, assert_cites_catalogue


def test_rules_cite_the_catalogue() -> None:
    assert_cites_catalogue(RULES)


def test_a_strategy_discussion_not_recorded_as_formal_is_raised() -> None:
    b = Builder()
    b.person("C", "Mia Price", 8)
    talk = b.event(
        EventType.STRATEGY_DISCUSSION,
        [("subject", "C")],
        summary="Phone call between PC and duty social worker about Mia.",
    )
    (found,) = b.run(INFORMAL_STRATEGY, "C", talk)
    assert found.key == f"event:{talk.id}"
    assert "does not record that it was a formal strategy discussion" in found.explanation


def test_a_formal_strategy_discussion_is_not_raised() -> None:
    b = Builder()
    b.person("C", "Mia Price", 8)
    held = b.event(
        EventType.STRATEGY_DISCUSSION,
        [("subject", "C")],
        outcome="Section 47 enquiry agreed",
        details={"formal": True},
    )
    assert b.run(INFORMAL_STRATEGY, "C", held) == []


def test_a_child_on_a_plan_attending_the_emergency_department_is_shared() -> None:
    b = Builder()
    b.person("C", "Leo Hart", 3, sex="male")
    plan = b.event(
        EventType.CHILD_PROTECTION_PLAN_STARTED,
        [("subject", "C")],
        agency="northmoor-csc",
        agency_kind="childrens_social_care",
    )
    visit = b.event(EventType.EMERGENCY_DEPARTMENT_ATTENDANCE, [("subject", "C")], days=40)
    (found,) = b.run(PROTECTION_STATUS, "C", visit)
    assert found.evidence == (plan.id, visit.id)
    assert "Leo Hart is on a child protection plan" in found.explanation


def test_a_plan_that_has_ended_is_not_shared() -> None:
    b = Builder()
    b.person("C", "Leo Hart", 3, sex="male")
    b.event(EventType.CHILD_PROTECTION_PLAN_STARTED, [("subject", "C")])
    b.event(EventType.CHILD_PROTECTION_PLAN_ENDED, [("subject", "C")], days=200)
    visit = b.event(EventType.EMERGENCY_DEPARTMENT_ATTENDANCE, [("subject", "C")], days=240)
    assert b.run(PROTECTION_STATUS, "C", visit) == []


def test_medical_opinion_is_weighed_with_the_households_history() -> None:
    b = Builder()
    b.person("C", "Ava Bell", 1)
    b.person("M", "Kerry Bell", 24)
    b.person("P", "Ryan Moss", 27, sex="male")
    b.tie("M", RelationshipType.PARENT, "C")
    b.tie("P", RelationshipType.PARTNER, "M")
    abuse = b.event(EventType.DOMESTIC_ABUSE, [("victim", "M"), ("suspect", "P")])
    injury = b.event(
        EventType.VIOLENCE,
        [("victim", "C")],
        days=60,
        summary="Bruising to infant's arm.",
        outcome="No further action: paediatrician could not say the bruising was inflicted.",
    )
    (found,) = b.run(MEDICAL_WEIGHT, "C", injury)
    assert abuse.id in found.evidence
    assert "'could not say'" in found.explanation


def test_medical_opinion_without_any_history_is_not_raised() -> None:
    b = Builder()
    b.person("C", "Ava Bell", 1)
    injury = b.event(
        EventType.VIOLENCE,
        [("victim", "C")],
        outcome="No further action: paediatrician could not say the bruising was inflicted.",
    )
    assert b.run(MEDICAL_WEIGHT, "C", injury) == []


def test_damage_by_the_reported_suspect_is_intimidation() -> None:
    b = Builder()
    b.person("C", "Ella Stone", 14)
    b.person("M", "Gail Stone", 40)
    b.person("S", "Craig Dunn", 35, sex="male")
    b.tie("M", RelationshipType.PARENT, "C")
    report = b.event(EventType.SEXUAL_OFFENCE, [("victim", "C"), ("suspect", "S")])
    damage = b.event(
        EventType.CRIMINAL_DAMAGE,
        [("victim", "M"), ("suspect", "S")],
        days=30,
        summary="Car tyres slashed outside the family home.",
    )
    (found,) = b.run(FAMILY_INTIMIDATED, "C", damage)
    assert found.evidence == (report.id, damage.id)
    assert "by the person they reported" in found.explanation


def test_unrelated_damage_to_a_family_with_no_report_is_not_intimidation() -> None:
    b = Builder()
    b.person("C", "Ella Stone", 14)
    b.person("M", "Gail Stone", 40)
    b.tie("M", RelationshipType.PARENT, "C")
    damage = b.event(
        EventType.CRIMINAL_DAMAGE, [("victim", "M")], summary="Window smashed by a stray ball."
    )
    assert b.run(FAMILY_INTIMIDATED, "C", damage) == []
