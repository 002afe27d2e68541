from __future__ import annotations

from childfirst.domain.vocab import EventType as T
from childfirst.domain.vocab import RelationshipType as R
from childfirst.rules.library import disclosure
from childfirst.rules.library.disclosure import (
    DISCLOSURE_STARTS_PROTECTION,
    NOT_PROCEEDED_ACCESS,
    RETRACTION_NEEDS_DECISION,
)

from .builders import Builder, assert_cites_catalogue


def _world() -> Builder:
    b = Builder()
    b.person("C", "Maya Cole", 12)
    b.person("S", "Ian Cole", 40, sex="male")
    b.person("K", "Finn Cole", 7, sex="male")
    b.tie("S", R.PARENT, "K")
    return b


def test_cites_catalogue() -> None:
    assert_cites_catalogue(disclosure.RULES)


def test_disclosure_starts_protection_and_interview_plan() -> None:
    b = _world()
    told = b.event(T.DISCLOSURE, [("victim", "C"), ("suspect", "S")])
    [finding] = b.run(DISCLOSURE_STARTS_PROTECTION, "C", told)
    assert finding.key == f"event:{told.id}"
    assert finding.evidence == (told.id,)
    assert "made a disclosure about Ian Cole" in finding.explanation
    titles = [a.title for a in DISCLOSURE_STARTS_PROTECTION.actions]
    assert any("strategy discussion" in t for t in titles)
    assert any("ABE" in t for t in titles)


def test_disclosure_by_an_adult_is_not_this_rule() -> None:
    b = _world()
    told = b.event(T.DISCLOSURE, [("victim", "S")])
    assert b.run(DISCLOSURE_STARTS_PROTECTION, "S", told) == []


def test_retraction_after_disclosure_needs_a_supervisor_decision() -> None:
    b = _world()
    told = b.event(T.DISCLOSURE, [("victim", "C"), ("suspect", "S")], days=-20)
    withdrawn = b.event(T.RETRACTION, [("subject", "C")], outcome="no further action")
    [finding] = b.run(RETRACTION_NEEDS_DECISION, "C", withdrawn)
    assert finding.key == f"disclosure:{told.id}"
    assert finding.evidence == (told.id, withdrawn.id)
    assert "supervisor records a decision" in finding.explanation


def test_retraction_without_an_earlier_disclosure_is_not_raised() -> None:
    b = _world()
    withdrawn = b.event(T.RETRACTION, [("subject", "C")])
    assert b.run(RETRACTION_NEEDS_DECISION, "C", withdrawn) == []


def test_insufficient_evidence_raises_the_suspects_access_for_victim_and_his_children() -> None:
    b = _world()
    offence = b.event(
        T.SEXUAL_OFFENCE,
        [("victim", "C"), ("suspect", "S")],
        outcome="No further action: insufficient evidence",
    )
    [for_victim] = b.run(NOT_PROCEEDED_ACCESS, "C", offence)
    assert for_victim.key == f"event:{offence.id}"
    assert '"No further action: insufficient evidence"' in for_victim.explanation
    assert "is the victim" in for_victim.explanation
    [for_son] = b.run(NOT_PROCEEDED_ACCESS, "K", offence)
    assert "living with them (parent)" in for_son.explanation


def test_charged_or_minor_offence_is_not_raised() -> None:
    b = _world()
    charged = b.event(T.SEXUAL_OFFENCE, [("victim", "C"), ("suspect", "S")], outcome="charged")
    assert b.run(NOT_PROCEEDED_ACCESS, "C", charged) == []
    theft = b.event(
        T.ARREST,
        [("suspect", "S")],
        outcome="no further action: insufficient evidence",
        details={"offence": "shoplifting"},
    )
    assert b.run(NOT_PROCEEDED_ACCESS, "K", theft) == []


def test_domestic_assault_between_adults_closed_nfa_is_not_this_rule() -> None:
    b = _world()
    b.person("W", "Wife Cole", 38)
    custody = b.event(
        T.CUSTODY_DETENTION,
        [("detainee", "S")],
        outcome="no further action: insufficient evidence",
        details={"offence": "assault (domestic)"},
    )
    assert b.run(NOT_PROCEEDED_ACCESS, "K", custody) == []
    cruelty = b.event(
        T.ARREST,
        [("suspect", "S")],
        days=1,
        outcome="NFA - insufficient evidence",
        details={"offence": "cruelty to a child"},
    )
    assert len(b.run(NOT_PROCEEDED_ACCESS, "K", cruelty)) == 1
