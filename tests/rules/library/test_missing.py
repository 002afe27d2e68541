"""Missing children: a return with no return home interview recorded when the wait runs out."""

from __future__ import annotations

from datetime import timedelta

import pytest

from childfirst.domain.vocab import EventType as T
from childfirst.rules.engine import Engine
from childfirst.rules.library import missing
from childfirst.rules.library.missing import INTERVIEW_MISSED
from childfirst.rules.model import Severity

from .builders import Builder, assert_cites_catalogue


def _child() -> Builder:
    b = Builder()
    b.person("C", "Maisie Kerr", 14)
    return b


def test_cites_catalogue() -> None:
    assert_cites_catalogue(missing.RULES)


def test_a_return_with_no_interview_is_raised_when_the_wait_runs_out() -> None:
    b = _child()
    returned = b.event(T.MISSING_RETURNED, [("subject", "C")], days=-10)
    assert b.run(INTERVIEW_MISSED, "C", returned) == []  # not a wake: the wait has begun
    [finding] = b.wake(INTERVIEW_MISSED, "C", returned)
    assert finding.key == f"event:{returned.id}"
    assert finding.evidence == (returned.id,)
    assert "Maisie Kerr (aged 14) came back from a missing episode" in finding.explanation
    assert "no return home interview is recorded within 72 hours" in finding.explanation
    assert finding.severity is None  # the rule's own: medium


@pytest.mark.parametrize(("hours", "raised"), [(30, False), (80, True)])
def test_an_interview_counts_only_within_the_wait(hours: int, raised: bool) -> None:
    b = _child()
    returned = b.event(T.MISSING_RETURNED, [("subject", "C")], days=-10)
    b.event(T.RETURN_HOME_INTERVIEW, [("subject", "C")], days=-10 + hours / 24)
    assert len(b.wake(INTERVIEW_MISSED, "C", returned)) == (1 if raised else 0)


def test_an_earlier_interview_does_not_cover_a_later_return() -> None:
    b = _child()
    b.event(T.RETURN_HOME_INTERVIEW, [("subject", "C")], days=-40)
    returned = b.event(T.MISSING_RETURNED, [("subject", "C")], days=-10)
    assert len(b.wake(INTERVIEW_MISSED, "C", returned)) == 1


def test_the_third_return_in_ninety_days_is_high() -> None:
    b = _child()
    b.event(T.MISSING_RETURNED, [("subject", "C")], days=-70)
    b.event(T.MISSING_RETURNED, [("subject", "C")], days=-40)
    third = b.event(T.MISSING_RETURNED, [("subject", "C")], days=-10)
    [finding] = b.wake(INTERVIEW_MISSED, "C", third)
    assert finding.severity is Severity.HIGH
    assert "the 3rd return in 90 days" in finding.explanation


def test_an_adult_or_a_mere_witness_is_not_raised() -> None:
    b = _child()
    b.person("A", "Rob Kerr", 30)
    adult = b.event(T.MISSING_RETURNED, [("subject", "A"), ("reporter", "C")], days=-10)
    assert b.wake(INTERVIEW_MISSED, "A", adult) == []
    assert b.wake(INTERVIEW_MISSED, "C", adult) == []


def test_the_engine_wakes_the_rule_for_the_child_who_returned() -> None:
    b = _child()
    returned = b.event(T.MISSING_RETURNED, [("subject", "C")])
    engine = Engine((INTERVIEW_MISSED,))
    assert list(engine.run(b.history, clock=returned.at + timedelta(hours=71))) == []
    [outcome] = engine.run(b.history, clock=returned.at + timedelta(hours=73))
    assert outcome.child.key == "C"
    assert outcome.event.wake
    assert outcome.rule is INTERVIEW_MISSED
