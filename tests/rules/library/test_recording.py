from __future__ import annotations

from childfirst.domain.vocab import EventType as T
from childfirst.rules.library import recording
from childfirst.rules.library.recording import (
    DISMISSIVE_SELF_HARM,
    DOWNPLAYED_CRIME,
    VICTIM_BLAMING,
)
from childfirst.rules.model import Severity

from .builders import Builder, assert_cites_catalogue


def _world() -> Builder:
    b = Builder()
    b.person("C", "Chloe Dunn", 14)
    b.person("A", "Paul Dunn", 41, sex="male")
    return b


def test_cites_catalogue() -> None:
    assert_cites_catalogue(recording.RULES)


def test_child_victim_closed_as_over_chastisement() -> None:
    b = _world()
    assault = b.event(
        T.VIOLENCE, [("victim", "C"), ("suspect", "A")], outcome="No-crime: Over-Chastisement"
    )
    [finding] = b.run(DOWNPLAYED_CRIME, "C", assault)
    assert finding.key == f"event:{assault.id}"
    assert finding.evidence == (assault.id,)
    assert 'closed as "No-crime"' in finding.explanation


def test_domestic_abuse_with_child_present_recorded_as_nuisance() -> None:
    b = _world()
    incident = b.event(T.DOMESTIC_ABUSE, [("present", "C")], outcome="Nuisance call, no action")
    [finding] = b.run(DOWNPLAYED_CRIME, "C", incident)
    assert '"Nuisance"' in finding.explanation


def test_child_victim_charged_or_adult_victim_is_not_raised() -> None:
    b = _world()
    charged = b.event(T.VIOLENCE, [("victim", "C"), ("suspect", "A")], outcome="charged")
    assert b.run(DOWNPLAYED_CRIME, "C", charged) == []
    adult = b.event(T.VIOLENCE, [("victim", "A"), ("witness", "C")], outcome="no crime")
    assert b.run(DOWNPLAYED_CRIME, "C", adult) == []
    non_crime = b.event(
        T.DOMESTIC_ABUSE, [("present", "C")], outcome="non-crime domestic incident recorded"
    )
    assert b.run(DOWNPLAYED_CRIME, "C", non_crime) == []


def test_self_harm_called_attention_seeking() -> None:
    b = _world()
    harm = b.event(T.SELF_HARM, [("subject", "C")], summary="Superficial cuts, Attention-Seeking.")
    [finding] = b.run(DISMISSIVE_SELF_HARM, "C", harm)
    assert '"Attention-Seeking"' in finding.explanation
    call = b.event(T.CALL_999, [("subject", "C")], summary="Overdose of paracetamol, childish.")
    [finding] = b.run(DISMISSIVE_SELF_HARM, "C", call)
    assert '"childish"' in finding.explanation


def test_self_harm_recorded_plainly_or_other_childish_behaviour_is_not_raised() -> None:
    b = _world()
    plain = b.event(T.SELF_HARM, [("subject", "C")], summary="Found with a ligature.")
    assert b.run(DISMISSIVE_SELF_HARM, "C", plain) == []
    other = b.event(T.CONCERN_FOR_CHILD, [("subject", "C")], summary="Childish name-calling.")
    assert b.run(DISMISSIVE_SELF_HARM, "C", other) == []


def test_victim_blaming_words_are_quoted_and_serious_under_16() -> None:
    b = _world()
    missing = b.event(
        T.MISSING_RETURNED,
        [("subject", "C"), ("found_with", "A")],
        summary="Found with older male, relationship appears consensual; Putting Herself At Risk.",
    )
    [finding] = b.run(VICTIM_BLAMING, "C", missing)
    assert finding.key == f"event:{missing.id}"
    assert '"consensual"' in finding.explanation
    assert finding.severity is Severity.HIGH


def test_neutral_language_or_adult_record_is_not_raised() -> None:
    b = _world()
    neutral = b.event(T.MISSING_RETURNED, [("subject", "C")], summary="Returned of own accord.")
    assert b.run(VICTIM_BLAMING, "C", neutral) == []
    adult = b.event(T.SEXUAL_OFFENCE, [("victim", "A")], summary="Consensual, no offence.")
    assert b.run(VICTIM_BLAMING, "A", adult) == []
