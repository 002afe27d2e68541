from __future__ import annotations

from childfirst.domain.vocab import EventType as T
from childfirst.rules.library import perpetrators
from childfirst.rules.library.perpetrators import PERPETRATOR_REPORTS_CONCERN as RULE

from .builders import Builder, assert_cites_catalogue


def _world() -> Builder:
    b = Builder()
    b.person("C", "Ella Ward", 6)
    b.person("F", "Mark Ward", 38, sex="male")
    b.person("M", "Gemma Ward", 33)
    return b


def test_cites_catalogue() -> None:
    assert_cites_catalogue(perpetrators.RULES)


def test_abuser_reporting_the_mothers_care_is_raised() -> None:
    b = _world()
    abuse = b.event(T.DOMESTIC_ABUSE, [("victim", "M"), ("suspect", "F")], days=-120)
    report = b.event(
        T.CONCERN_FOR_CHILD,
        [("subject", "C"), ("reporter", "F")],
        summary="Father reports mother drinking while caring for Ella.",
    )
    [finding] = b.run(RULE, "C", report)
    assert finding.key == f"event:{report.id}"
    assert finding.evidence == (abuse.id, report.id)
    assert "Mark Ward, the suspect in earlier domestic abuse" in finding.explanation


def test_domestic_abuse_arrest_counts() -> None:
    b = _world()
    arrest = b.event(
        T.ARREST, [("suspect", "F")], days=-30, details={"offence_group": "domestic_abuse"}
    )
    call = b.event(T.CALL_101, [("caller", "F"), ("subject", "C")])
    [finding] = b.run(RULE, "C", call)
    assert finding.evidence == (arrest.id, call.id)


def test_report_by_the_victim_or_a_stranger_is_not_raised() -> None:
    b = _world()
    b.event(T.DOMESTIC_ABUSE, [("victim", "M"), ("suspect", "F")], days=-120)
    by_victim = b.event(T.CONCERN_FOR_CHILD, [("subject", "C"), ("reporter", "M")])
    assert b.run(RULE, "C", by_victim) == []
    b.person("N", "Nora Next", 70)
    b.event(T.ARREST, [("suspect", "N")], days=-10, details={"offence_group": "theft"})
    by_other = b.event(T.CONCERN_FOR_CHILD, [("subject", "C"), ("reporter", "N")], days=1)
    assert b.run(RULE, "C", by_other) == []


def test_abuser_calling_about_their_own_safety_is_not_raised() -> None:
    b = _world()
    b.event(T.DOMESTIC_ABUSE, [("victim", "M"), ("suspect", "F")], days=-120)
    call = b.event(T.CALL_999, [("caller", "F")], summary="Partner shouting, frightened.")
    assert b.run(RULE, "C", call) == []
