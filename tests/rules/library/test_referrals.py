from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from childfirst.domain.vocab import EventType as T
from childfirst.domain.vocab import RelationshipType as R
from childfirst.rules.engine import Engine
from childfirst.rules.library import referrals
from childfirst.rules.library.referrals import (
    OFFENDING_NOT_REFERRED,
    SELF_HARM_SUPPORT,
    SUBSTANCE_NOT_REFERRED,
)
from childfirst.rules.model import Severity, Wait

from .builders import Builder, assert_cites_catalogue


def _world() -> Builder:
    b = Builder()
    b.person("C", "Lily Hope", 5)
    b.person("M", "Dawn Hope", 29)
    b.tie("M", R.PARENT, "C")
    return b


def test_cites_catalogue() -> None:
    assert_cites_catalogue(referrals.RULES)


def test_drug_warrant_with_no_referral_is_raised_when_the_wait_runs_out() -> None:
    b = _world()
    warrant = b.event(
        T.DRUGS,
        [("suspect", "M"), ("present", "C")],
        days=-10,
        summary="Heroin and needles in the kitchen.",
        outcome="Referred to drug treatment service",
    )
    assert b.run(SUBSTANCE_NOT_REFERRED, "C", warrant) == []  # the wait has only begun
    [finding] = b.wake(SUBSTANCE_NOT_REFERRED, "C", warrant)
    assert finding.key == f"event:{warrant.id}"
    assert finding.evidence == (warrant.id,)
    assert "Dawn Hope (parent) was the subject of the" in finding.explanation
    assert "no referral of the child to children's social care" in finding.explanation
    assert "within 72 hours" in finding.explanation
    assert finding.severity is Severity.HIGH  # the child was there


@pytest.mark.parametrize(("referral_days", "raised"), [(1, False), (5, True)])
def test_a_referral_counts_only_within_the_wait(referral_days: int, raised: bool) -> None:
    b = _world()
    treatment = b.event(
        T.SUBSTANCE_MISUSE_TREATMENT, [("subject", "M")], days=-10, agency_kind="health"
    )
    b.event(
        T.REFERRAL,
        [("subject", "C")],
        days=-10 + referral_days,
        agency_kind="childrens_social_care",
    )
    found = b.wake(SUBSTANCE_NOT_REFERRED, "C", treatment)
    assert len(found) == (1 if raised else 0)
    assert all(f.severity is None for f in found)  # the child was not there: the rule's own


@pytest.mark.parametrize(
    ("outcome", "raised"), [("Referral to children's social care made", False), (None, True)]
)
def test_referral_recorded_on_the_event_itself_stays_quiet(
    outcome: str | None, raised: bool
) -> None:
    b = _world()
    warrant = b.event(
        T.DRUGS, [("suspect", "M")], days=-10, summary="Crack cocaine found.", outcome=outcome
    )
    assert len(b.wake(SUBSTANCE_NOT_REFERRED, "C", warrant)) == (1 if raised else 0)


def test_adult_without_children_at_home_is_not_raised() -> None:
    b = _world()
    b.person("X", "Stranger Jones", 50)
    warrant = b.event(T.DRUGS, [("suspect", "X")], days=-10, summary="Heroin supply.")
    assert b.wake(SUBSTANCE_NOT_REFERRED, "C", warrant) == []


def test_parent_held_overnight_with_no_referral_is_raised() -> None:
    b = _world()
    custody = b.event(
        T.CUSTODY_DETENTION, [("detainee", "M")], days=-5, details={"overnight": True}
    )
    [finding] = b.wake(OFFENDING_NOT_REFERRED, "C", custody)
    assert finding.key == f"event:{custody.id}"
    assert "Dawn Hope (parent)" in finding.explanation


@pytest.mark.parametrize(
    ("outcome", "raised"), [("released, no further action", False), ("charged, remanded", True)]
)
def test_parent_released_the_same_day_without_charge_is_not_raised(
    outcome: str, raised: bool
) -> None:
    b = _world()
    custody = b.event(
        T.CUSTODY_DETENTION,
        [("detainee", "M")],
        days=-5,
        details={"overnight": False},
        outcome=outcome,
    )
    assert len(b.wake(OFFENDING_NOT_REFERRED, "C", custody)) == (1 if raised else 0)


def test_small_amount_of_cannabis_alone_is_not_serious() -> None:
    b = _world()
    cannabis = b.event(
        T.DRUGS, [("suspect", "M")], days=-10, summary="Found with a small amount of cannabis."
    )
    assert b.wake(SUBSTANCE_NOT_REFERRED, "C", cannabis) == []


def test_self_harm_after_other_concerns_without_a_referral() -> None:
    b = _world()
    b.person("T", "Tia Hope", 15)
    missing = b.event(T.MISSING_REPORTED, [("subject", "T")], days=-60)
    harm = b.event(T.SELF_HARM, [("subject", "T")], summary="Cuts to arms.", outcome="advice")
    [finding] = b.run(SELF_HARM_SUPPORT, "T", harm)
    assert finding.key == f"event:{harm.id}"
    assert finding.evidence == (missing.id, harm.id)
    assert "no referral for support is recorded" in finding.explanation


def test_self_harm_referred_or_without_other_concerns_is_not_raised() -> None:
    b = _world()
    b.person("T", "Tia Hope", 15)
    alone = b.event(T.SELF_HARM, [("subject", "T")], days=-100)
    assert b.run(SELF_HARM_SUPPORT, "T", alone) == []
    b.event(T.MISSING_REPORTED, [("subject", "T")], days=-60)
    referred = b.event(T.SELF_HARM, [("subject", "T")], outcome="Referred to CAMHS")
    assert b.run(SELF_HARM_SUPPORT, "T", referred) == []


def test_a_family_heard_from_no_more_is_raised_when_the_wait_runs_out() -> None:
    b = _world()
    warrant = b.event(
        T.DRUGS,
        [("suspect", "M"), ("present", "C")],
        summary="Heroin and needles in the kitchen.",
        outcome="Referred to drug treatment service",
    )
    engine = Engine((SUBSTANCE_NOT_REFERRED, OFFENDING_NOT_REFERRED))
    assert list(engine.run(b.history, clock=warrant.at + timedelta(hours=71))) == []
    [outcome] = engine.run(b.history, clock=warrant.at + timedelta(days=30))
    assert outcome.rule is SUBSTANCE_NOT_REFERRED  # a drug warrant opens no wait for custody
    assert outcome.child.key == "C"
    assert outcome.event.wake
    assert outcome.event.id == warrant.id
    assert outcome.event.at == warrant.at + timedelta(hours=72)
    assert outcome.finding.key == f"event:{warrant.id}"
    assert outcome.finding.evidence == (warrant.id,)
    assert outcome.finding.severity is Severity.HIGH
    # Only the waits, as the scheduled run judges them: the same finding.
    [again] = engine.run(
        b.history, [warrant], clock=warrant.at + timedelta(days=30), wakes_only=True
    )
    assert again.finding == outcome.finding


def test_a_referral_within_the_wait_keeps_the_wait_quiet() -> None:
    b = _world()
    warrant = b.event(T.DRUGS, [("suspect", "M")], summary="Crack cocaine found at the flat.")
    b.event(T.REFERRAL, [("subject", "C")], days=2, agency_kind="childrens_social_care")
    engine = Engine((SUBSTANCE_NOT_REFERRED,))
    assert list(engine.run(b.history, clock=warrant.at + timedelta(days=30))) == []


def test_only_the_events_the_rule_waits_on_open_a_wait() -> None:
    b = _world()
    cannabis = b.event(T.DRUGS, [("suspect", "M")], summary="A small bag of cannabis.")
    held = b.event(T.CUSTODY_DETENTION, [("detainee", "M")], days=1, details={"overnight": True})
    engine = Engine((SUBSTANCE_NOT_REFERRED, OFFENDING_NOT_REFERRED))
    clock = held.at + timedelta(days=30)
    assert engine.wakes(cannabis, clock) == []
    [(woken, [(rule, _)])] = engine.wakes(held, clock)
    assert rule is OFFENDING_NOT_REFERRED
    assert woken.wake
    assert woken.id == held.id
    assert engine.wakes(held, held.at + timedelta(hours=1)) == []  # not yet run out
    assert engine.longest_wait_hours == 72


def test_a_wait_must_name_one_of_the_rules_parameters() -> None:
    with pytest.raises(ValueError, match="waits on 'days'"):
        replace(SUBSTANCE_NOT_REFERRED, waits=Wait(frozenset(T), lambda event: True, "days"))
