"""Interviewing: a child is interviewed in front of family or the suspect, or used as an interpreter.

Children say less, or nothing, in front of the people they live with, and nothing at all in front of
the person who hurt them. Nor should a child be asked to translate adults' accounts of abuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import timedelta

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case
from childfirst.rules.model import ActionSpec, Finding, Parameter, Rule, Severity, within

ABUSE_TYPES = frozenset(
    {
        EventType.DOMESTIC_ABUSE,
        EventType.VIOLENCE,
        EventType.SEXUAL_OFFENCE,
        EventType.DISCLOSURE,
        EventType.CONCERN_FOR_CHILD,
        EventType.INTERVIEW,
    }
)
INTERVIEWEE = frozenset({"subject", "victim", "witness"})
FAMILY_PRESENT = re.compile(
    r"\b(?:mother|mum|father|dad|parents?|step-?(?:mother|father|dad|mum)|carer|grand\w+|"
    r"partner|family)\b (?:was |were )?present",
    re.I,
)


def _child_interpreter(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not case.child.is_child_on(case.day) or "interpreter" not in event.roles_of(case.child.key):
        return
    for_whom = [case.name(k) for k in event.people() if k != case.child.key]
    between = f" for {', '.join(sorted(set(for_whom)))}" if for_whom else ""
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f"{case.child.name} (aged {case.age()}) was used as an interpreter{between} at the "
            f"{event.label}. Use a professional interpreter and take the accounts again."
        ),
        severity=Severity.HIGH if event.type in ABUSE_TYPES else None,
    )


CHILD_INTERPRETER = Rule(
    id="interviewing.child-as-interpreter",
    title="A child was used as an interpreter",
    description=(
        "A child is never asked to interpret for the police, least of all in adults' accounts of "
        "domestic or child abuse. When a record shows a child as the interpreter, accounts are "
        "taken again with a professional interpreter and a supervisor reviews why it happened."
    ),
    learning=("KI-04.5", "LP-03.1", "LP-01.0"),
    severity=Severity.MEDIUM,
    triggers=frozenset(EventType),
    check=_child_interpreter,
    actions=(
        ActionSpec(
            "Take the accounts again with a professional interpreter",
            Role.RESPONSE_OFFICER,
            within(24),
        ),
        ActionSpec("Review why a child was used to interpret", Role.SUPERVISOR, within(72)),
    ),
)


def _interviewed_with_family(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    roles = event.roles_of(case.child.key)
    if not case.child.is_child_on(case.day) or not roles & INTERVIEWEE:
        return
    if roles & {"suspect", "detainee"}:
        return  # a child suspect is interviewed with an appropriate adult, as the law requires
    window = timedelta(days=settings["lookback_days"])
    suspects = {
        s: e
        for e in case.events(within=window)
        if e.id != event.id and "victim" in e.roles_of(case.child.key)
        for s in e.people("suspect")
    }
    household = {c.person.key: c.how for c in case.household()}
    present = [
        k
        for k in event.people("present", "parent_or_carer", "appropriate_adult")
        if k != case.child.key
    ]
    culprits = [k for k in present if k in suspects]
    if culprits:
        who = culprits[0]
        offence = suspects[who]
        yield Finding(
            key=f"event:{event.id}",
            evidence=(offence.id, event.id),
            explanation=(
                f"{case.child.name} (aged {case.age()}) was interviewed ({event.label}) with "
                f"{case.name(who)} present, the suspect in the {offence.label}. Re-interview the "
                "child away from the suspect and family."
            ),
            severity=Severity.CRITICAL,
        )
        return
    family = [k for k in present if k in household or event.roles_of(k) & {"parent_or_carer"}]
    if family:
        names = ", ".join(f"{case.name(k)} ({household.get(k, 'parent or carer')})" for k in family)
        said = f"with {names} present"
    elif event.summary and (found := FAMILY_PRESENT.search(event.summary)):
        said = f'and the record says "{found.group(0)}"'
    else:
        return
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f"{case.child.name} (aged {case.age()}) was interviewed ({event.label}) {said}. "
            "Children should be interviewed away from family, by a trained interviewer."
        ),
    )


INTERVIEWED_WITH_FAMILY = Rule(
    id="interviewing.child-interviewed-with-family-present",
    title="A child was interviewed with a parent, carer or the suspect present",
    description=(
        "A child who is a victim or witness is interviewed away from family and friends, by an "
        "interviewer trained to talk to children, ideally jointly with social care. When an "
        "interview record shows a parent, carer or member of the child's household present, the "
        "interview is reviewed; when the person present is the suspect in an offence against the "
        "child, it is critical. Interviews of a child suspect, where an appropriate adult must be "
        "present, are not flagged."
    ),
    learning=("KI-04.4", "LP-03.1", "LP-03.2", "KI-04.3"),
    severity=Severity.HIGH,
    triggers=frozenset({EventType.INTERVIEW}),
    check=_interviewed_with_family,
    actions=(
        ActionSpec(
            "Plan a further interview away from family by a trained interviewer, jointly with "
            "social care",
            Role.PUBLIC_PROTECTION,
            within(72),
        ),
        ActionSpec("Review the interview arrangements", Role.SUPERVISOR, within(24)),
    ),
    parameters=(
        Parameter(
            "lookback_days", 365, "How far back (days) offences against the child are matched."
        ),
    ),
)

RULES = (CHILD_INTERPRETER, INTERVIEWED_WITH_FAMILY)
"""The interviewing rules."""
