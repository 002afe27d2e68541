from __future__ import annotations

from childfirst.domain.vocab import EventType as T
from childfirst.domain.vocab import RelationshipType as R
from childfirst.rules.library import interviewing
from childfirst.rules.library.interviewing import CHILD_INTERPRETER, INTERVIEWED_WITH_FAMILY
from childfirst.rules.model import Severity

from .builders import Builder, assert_cites_catalogue


def _world() -> Builder:
    b = Builder()
    b.person("C", "Amira Said", 11)
    b.person("M", "Nadia Said", 36)
    b.person("S", "Karim Said", 40, sex="male")
    b.tie("M", R.PARENT, "C")
    return b


def test_cites_catalogue() -> None:
    assert_cites_catalogue(interviewing.RULES)


def test_child_used_as_interpreter_at_domestic_abuse() -> None:
    b = _world()
    incident = b.event(T.DOMESTIC_ABUSE, [("victim", "M"), ("suspect", "S"), ("interpreter", "C")])
    [finding] = b.run(CHILD_INTERPRETER, "C", incident)
    assert finding.key == f"event:{incident.id}"
    assert finding.evidence == (incident.id,)
    assert "used as an interpreter for Karim Said, Nadia Said" in finding.explanation
    assert finding.severity is Severity.HIGH


def test_adult_interpreter_is_not_raised() -> None:
    b = _world()
    b.person("I", "Professional Interpreter", 50)
    incident = b.event(T.DOMESTIC_ABUSE, [("victim", "M"), ("interpreter", "I"), ("present", "C")])
    assert b.run(CHILD_INTERPRETER, "C", incident) == []


def test_child_interviewed_with_the_suspect_present_is_critical() -> None:
    b = _world()
    offence = b.event(T.SEXUAL_OFFENCE, [("victim", "C"), ("suspect", "S")], days=-3)
    interview = b.event(T.INTERVIEW, [("subject", "C"), ("present", "S")])
    [finding] = b.run(INTERVIEWED_WITH_FAMILY, "C", interview)
    assert finding.evidence == (offence.id, interview.id)
    assert finding.severity is Severity.CRITICAL
    assert "the suspect in the Sexual offence" in finding.explanation


def test_child_interviewed_with_mother_present() -> None:
    b = _world()
    interview = b.event(T.INTERVIEW, [("witness", "C"), ("present", "M")])
    [finding] = b.run(INTERVIEWED_WITH_FAMILY, "C", interview)
    assert finding.key == f"event:{interview.id}"
    assert "with Nadia Said (parent) present" in finding.explanation


def test_summary_saying_mother_present_counts() -> None:
    b = _world()
    interview = b.event(
        T.INTERVIEW,
        [("subject", "C")],
        summary="Initial account taken at home with mother present. Child quiet.",
    )
    [finding] = b.run(INTERVIEWED_WITH_FAMILY, "C", interview)
    assert '"mother present"' in finding.explanation


def test_child_suspect_with_appropriate_adult_or_interview_alone_is_not_raised() -> None:
    b = _world()
    suspect = b.event(T.INTERVIEW, [("suspect", "C"), ("appropriate_adult", "M")])
    assert b.run(INTERVIEWED_WITH_FAMILY, "C", suspect) == []
    alone = b.event(T.INTERVIEW, [("victim", "C")], summary="ABE interview at the suite.")
    assert b.run(INTERVIEWED_WITH_FAMILY, "C", alone) == []
