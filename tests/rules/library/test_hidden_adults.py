from __future__ import annotations

from childfirst.domain.vocab import EventType as T
from childfirst.domain.vocab import RelationshipType as R
from childfirst.rules.library import hidden_adults
from childfirst.rules.library.hidden_adults import VIOLENT_ADULT_AROUND_CHILD as RULE
from childfirst.rules.model import Severity

from .builders import Builder, assert_cites_catalogue


def _world() -> Builder:
    b = Builder()
    b.person("C", "Ruby Lane", 2)
    b.person("M", "Kerry Lane", 27)
    b.person("P", "Gary Shaw", 31, sex="male")
    b.person("V", "Sam Bell", 30, sex="male")
    b.tie("M", R.PARENT, "C")
    b.tie("P", R.PARTNER, "M")
    return b


def test_cites_catalogue() -> None:
    assert_cites_catalogue(hidden_adults.RULES)


def test_mothers_partner_with_violence_history_raised_when_child_comes_to_notice() -> None:
    b = _world()
    assault = b.event(T.VIOLENCE, [("victim", "V"), ("suspect", "P")], days=-300)
    arrest = b.event(T.ARREST, [("suspect", "P")], days=-299, details={"offence": "assault"})
    visit = b.event(T.HEALTH_SAFEGUARDING_CONCERN, [("subject", "C")], agency_kind="health")
    [finding] = b.run(RULE, "C", visit)
    assert finding.key == "adult:P"
    assert finding.evidence == (assault.id, arrest.id)
    assert "Gary Shaw (partner of Kerry Lane)" in finding.explanation
    assert finding.severity is None


def test_raised_once_not_at_every_later_event_of_the_child() -> None:
    b = _world()
    b.event(T.VIOLENCE, [("victim", "V"), ("suspect", "P")], days=-300)
    b.event(T.HEALTH_SAFEGUARDING_CONCERN, [("subject", "C")], days=-10)
    later = b.event(T.HEALTH_SAFEGUARDING_CONCERN, [("subject", "C")])
    assert b.run(RULE, "C", later) == []


def test_new_violence_by_the_adult_is_raised_and_child_victims_are_critical() -> None:
    b = _world()
    b.event(T.SEXUAL_OFFENCE, [("victim", "C"), ("suspect", "P")], days=-50)
    fight = b.event(T.VIOLENCE, [("victim", "V"), ("suspect", "P")], summary="Pub fight.")
    [finding] = b.run(RULE, "C", fight)
    assert fight.id in finding.evidence
    assert finding.severity is Severity.CRITICAL


def test_adult_without_violence_or_not_around_the_child_is_not_raised() -> None:
    b = _world()
    b.event(
        T.PUBLIC_ORDER, [("suspect", "P")], days=-100, details={"offence": "breach of the peace"}
    )
    visit = b.event(T.HEALTH_SAFEGUARDING_CONCERN, [("subject", "C")])
    assert b.run(RULE, "C", visit) == []
    b.event(T.VIOLENCE, [("victim", "P"), ("suspect", "V")], days=1)
    other = b.event(T.CONCERN_FOR_CHILD, [("subject", "C")], days=2)
    assert b.run(RULE, "C", other) == []


def test_domestic_abuse_recorded_as_not_violent_does_not_count() -> None:
    b = _world()
    b.event(
        T.DOMESTIC_ABUSE, [("victim", "M"), ("suspect", "P")], days=-30, details={"violent": False}
    )
    visit = b.event(T.HEALTH_SAFEGUARDING_CONCERN, [("subject", "C")])
    assert b.run(RULE, "C", visit) == []


def test_domestic_abuse_and_the_arrest_for_it_are_left_to_the_domestic_abuse_rules() -> None:
    b = _world()
    b.event(T.VIOLENCE, [("victim", "V"), ("suspect", "P")], days=-100)
    b.event(T.CONCERN_FOR_CHILD, [("subject", "C")], days=-90)
    fight = b.event(T.DOMESTIC_ABUSE, [("victim", "M"), ("suspect", "P")], summary="He hit her.")
    assert b.run(RULE, "C", fight) == []
    arrest = b.event(T.ARREST, [("suspect", "P")], days=0.05, details={"offence": "assault"})
    assert b.run(RULE, "C", arrest) == []
    street = b.event(T.ARREST, [("suspect", "P")], days=30, details={"offence": "assault"})
    [finding] = b.run(RULE, "C", street)
    assert street.id in finding.evidence
