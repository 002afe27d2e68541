"""Recording: words in a record that play down harm to a child or blame the child for it.

A record is what other officers and agencies act on later. Crimes against children closed as "no
crime" or "over-chastisement", a suicide attempt called "childish", or an exploited child described
as "consenting" all hide harm; each is flagged for a supervisor with the exact words quoted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case
from childfirst.rules.model import ActionSpec, Finding, Rule, Severity, within

DOWNPLAYED = re.compile(
    r"\bno[- ]?crim(?:e|ed)\b|over[- ]?chastis\w+|over[- ]?chastiz\w+|\bnuisance\b|verbal only",
    re.I,
)
DISMISSIVE = re.compile(r"childish|attention[- ]seek\w*|manipulative", re.I)
BLAMING = re.compile(
    r"\bconsenting\b|\bconsensual\b|child prostitut\w*|lifestyle choice|"
    r"putting (?:herself|himself|themselves) at risk|promiscuous",
    re.I,
)
SELF_HARM_WORDS = re.compile(r"self[- ]harm|overdose|ligature|suicid|cutting", re.I)
CRIME_TYPES = frozenset(
    {
        EventType.VIOLENCE,
        EventType.SEXUAL_OFFENCE,
        EventType.DOMESTIC_ABUSE,
        EventType.CONCERN_FOR_CHILD,
        EventType.DISCLOSURE,
    }
)
SELF_HARM_TYPES = frozenset(
    {
        EventType.SELF_HARM,
        EventType.EMERGENCY_DEPARTMENT_ATTENDANCE,
        EventType.CONCERN_FOR_CHILD,
        EventType.CALL_999,
        EventType.CALL_101,
        EventType.WELFARE_CHECK,
        EventType.HEALTH_SAFEGUARDING_CONCERN,
        EventType.SCHOOL_SAFEGUARDING_CONCERN,
    }
)
REVIEW = ActionSpec(
    "Review the record with the officer, correct it and re-assess the decision it supported",
    Role.SUPERVISOR,
    within(72),
)


def quote(pattern: re.Pattern[str], *texts: str | None) -> str | None:
    """The words of the record that match, exactly as written."""
    for text in texts:
        if text and (found := pattern.search(text)):
            return found.group(0)
    return None


def _downplayed(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    roles = event.roles_of(case.child.key)
    if not case.child.is_child_on(case.day):
        return
    if not ("victim" in roles or (event.type is EventType.DOMESTIC_ABUSE and "present" in roles)):
        return
    said = quote(DOWNPLAYED, event.outcome)
    if said is None:
        return
    role = "victim" if "victim" in roles else "present"
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f"The {event.label}, where {case.child.name} (aged {case.age()}) was {role}, was "
            f'closed as "{said}". Check that the record reflects the harm to the child.'
        ),
    )


DOWNPLAYED_CRIME = Rule(
    id="recording.downplayed-crime",
    title="A crime against a child was closed in words that play it down",
    description=(
        "When violence, abuse or a sexual offence against a child, or domestic abuse a child was "
        'present at, is closed as "no crime", "over-chastisement", a "nuisance" or '
        '"verbal only", a supervisor checks the record against what happened and corrects it, '
        "because partners will read the closure as the final word on the child's safety."
    ),
    learning=("KI-02.3", "LP-06.1", "KI-07.1"),
    severity=Severity.MEDIUM,
    triggers=CRIME_TYPES,
    check=_downplayed,
    actions=(REVIEW,),
)


def _dismissive_self_harm(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not case.child.is_child_on(case.day) or case.child.key not in event.people():
        return
    if event.type is not EventType.SELF_HARM and not quote(
        SELF_HARM_WORDS, event.summary, event.outcome
    ):
        return
    said = quote(DISMISSIVE, event.summary, event.outcome)
    if said is None:
        return
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f'{case.child.name}\'s (aged {case.age()}) self-harm is described as "{said}" in the '
            f"{event.label}. Record what happened plainly and make sure the child is offered help."
        ),
    )


DISMISSIVE_SELF_HARM = Rule(
    id="recording.dismissive-self-harm",
    title="A child's self-harm was recorded dismissively",
    description=(
        'When a child\'s self-harm or suicide attempt is described as "childish", "attention '
        'seeking" or "manipulative", a supervisor corrects the record and checks that the '
        "child has been referred for help: words like these have led others to take the next "
        "attempt less seriously."
    ),
    learning=("KI-02.3", "LP-06.1", "LP-05.2"),
    severity=Severity.HIGH,
    triggers=SELF_HARM_TYPES,
    check=_dismissive_self_harm,
    actions=(
        REVIEW,
        ActionSpec(
            "Check the child has been referred to mental health support",
            Role.SUPERVISOR,
            within(24),
        ),
    ),
)


def _blaming(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not case.child.is_child_on(case.day) or case.child.key not in event.people():
        return
    said = quote(BLAMING, event.summary, event.outcome)
    if said is None:
        return
    age = case.age()
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f'The {event.label} describes {case.child.name} (aged {age}) with the words "{said}". '
            "A child who is exploited is a victim; record what was done to the child."
        ),
        severity=Severity.HIGH if age is not None and age < 16 else None,
    )


VICTIM_BLAMING = Rule(
    id="recording.victim-blaming-language",
    title="A record uses words that blame a child for their exploitation",
    description=(
        'Words such as "consenting", "consensual", "child prostitute", "lifestyle '
        'choice", "promiscuous" or "putting herself at risk" in a record about a child treat '
        "the child as responsible for abuse done to them. A supervisor reviews the record and the "
        "decisions that followed from it; it is more serious when the child is under 16."
    ),
    learning=("KI-02.2", "KI-02.3", "LP-06.1", "KI-02.1"),
    severity=Severity.MEDIUM,
    triggers=frozenset(EventType),
    check=_blaming,
    actions=(REVIEW,),
)

RULES = (DOWNPLAYED_CRIME, DISMISSIVE_SELF_HARM, VICTIM_BLAMING)
"""The recording rules."""
