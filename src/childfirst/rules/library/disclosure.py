"""Disclosure: a child's account of abuse starts protection, and a retraction or a decision not to
prosecute does not end it without a recorded decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import timedelta

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case, EventView
from childfirst.rules.model import ActionSpec, Finding, Parameter, Rule, Severity, within

TELLER = frozenset({"victim", "subject", "reporter"})
HARM_TYPES = frozenset({EventType.DISCLOSURE, EventType.SEXUAL_OFFENCE, EventType.VIOLENCE})
NOT_PROCEEDED = re.compile(
    r"insufficient evidence|no further action|\bnfa\b|no charge|not charged|not proceeded|"
    r"discontinued|no realistic prospect",
    re.I,
)
HARMFUL_OFFENCE = re.compile(r"sexual|rape|indecen|cruelty|neglect|child", re.I)


def _disclosure(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not case.child.is_child_on(case.day) or not event.roles_of(case.child.key) & TELLER:
        return
    suspects = [case.name(s) for s in event.people("suspect")]
    about = f" about {', '.join(suspects)}" if suspects else ""
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f"{case.child.name} (aged {case.age()}) made a disclosure{about} ({event.label}). "
            "It starts protection and support for the child and an evidential interview plan."
        ),
    )


DISCLOSURE_STARTS_PROTECTION = Rule(
    id="disclosure.protection-and-interview-plan",
    title="A child's disclosure starts protection and an interview plan",
    description=(
        "When a child tells someone about abuse, the disclosure is taken seriously from the "
        "start: a strategy discussion with children's social care decides how the child will be "
        "kept safe and supported, and an evidential interview is planned with a trained "
        "interviewer, away from family, as soon as the child is ready."
    ),
    learning=(
        "LP-02.1",
        "LP-02.2",
        "LP-02.0",
        "KI-04.0",
        "KI-04.1",
        "KI-04.2",
        "KI-07.4",
        "LP-03.3",
        "LP-03.2",
    ),
    severity=Severity.HIGH,
    triggers=frozenset({EventType.DISCLOSURE}),
    check=_disclosure,
    actions=(
        ActionSpec("Hold a strategy discussion", Role.PUBLIC_PROTECTION, within(24)),
        ActionSpec(
            "Plan an evidential (ABE) interview with a trained interviewer, jointly with social "
            "care where possible",
            Role.PUBLIC_PROTECTION,
            within(72),
        ),
        ActionSpec(
            "Put support and a safety plan in place for the child",
            Role.CHILDRENS_SOCIAL_CARE,
            within(24),
        ),
    ),
)


def _retraction(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not case.child.is_child_on(case.day) or case.child.key not in event.people():
        return
    window = timedelta(days=settings["lookback_days"])
    told = [
        e
        for e in case.events(types=HARM_TYPES, within=window)
        if e.id != event.id and e.roles_of(case.child.key) & TELLER
    ]
    if not told:
        return
    first = told[-1]
    yield Finding(
        key=f"disclosure:{first.id}",
        evidence=(first.id, event.id),
        explanation=(
            f"{case.child.name} (aged {case.age()}) withdrew an allegation ({event.label}) after "
            f"the {first.label}. A withdrawal does not mean it was untrue: a supervisor records a "
            "decision, with reasons, before the investigation or protection is closed."
        ),
    )


RETRACTION_NEEDS_DECISION = Rule(
    id="disclosure.retraction-needs-decision",
    title="A child withdrew an allegation",
    description=(
        "When a child withdraws what they said about abuse, the withdrawal is not taken as proof "
        "that the first account was untrue: children retract out of fear, shame or loyalty. The "
        "case stays open until a supervisor records a decision, with reasons, and the child "
        "keeps the protection and support already in place."
    ),
    learning=("LP-02.1", "KI-02.1", "LP-04.1", "KI-08.1"),
    severity=Severity.HIGH,
    triggers=frozenset({EventType.RETRACTION}),
    check=_retraction,
    actions=(
        ActionSpec(
            "Record a supervisor's decision, with reasons, on the investigation and protection",
            Role.SUPERVISOR,
            within(72),
        ),
        ActionSpec(
            "Keep protection and support in place for the child",
            Role.CHILDRENS_SOCIAL_CARE,
            within(72),
        ),
    ),
    parameters=(Parameter("lookback_days", 365, "How far back (days) a disclosure is matched."),),
)


def _harmful(case: Case, event: EventView) -> bool:
    """A sexual offence, violence against a child, or an offence of child abuse."""
    if event.type in (EventType.SEXUAL_OFFENCE, EventType.DISCLOSURE):
        return True
    if any(
        (victim := case.person(v)) is not None and victim.is_child_on(event.day)
        for v in event.people("victim")
    ):
        return True
    offence = event.details.get("offence")
    return isinstance(offence, str) and HARMFUL_OFFENCE.search(offence) is not None


def _not_proceeded(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not case.child.is_child_on(case.day) or not event.outcome:
        return
    if NOT_PROCEEDED.search(event.outcome) is None or not _harmful(case, event):
        return
    home = {c.person.key: c.how for c in case.household()}
    for suspect in event.people("suspect", "detainee"):
        person = case.person(suspect)
        if person is None or person.is_child_on(case.day) or suspect == case.child.key:
            continue
        if "victim" in event.roles_of(case.child.key):
            link = "the victim"
        elif suspect in home:
            link = f"living with them ({home[suspect]})"
        else:
            continue
        yield Finding(
            key=f"event:{event.id}",
            evidence=(event.id,),
            explanation=(
                f'The {event.label} was closed "{event.outcome.strip()[:120]}" with {case.name(suspect)} as '
                f"the suspect; {case.child.name} (aged {case.age()}) is {link}. That is a decision "
                "about evidence, not a finding that the child is safe: assess the suspect's "
                "continuing access to children."
            ),
        )
        return


NOT_PROCEEDED_ACCESS = Rule(
    id="disclosure.no-prosecution-suspect-access",
    title="No prosecution: the suspect's access to children is assessed",
    description=(
        "When a sexual offence, violence against a child or an offence of child abuse or neglect "
        "is closed with no further action, for example for insufficient evidence, the suspect's "
        "continuing access to the "
        "victim and to any children living with them is assessed, and partners are told plainly "
        "that the decision is about the standard of evidence, not a finding that there is no risk."
    ),
    learning=("KI-08.1", "KI-07.1", "LP-11.0", "LP-02.1"),
    severity=Severity.HIGH,
    triggers=HARM_TYPES
    | frozenset({EventType.ARREST, EventType.CUSTODY_DETENTION, EventType.COURT_OUTCOME}),
    check=_not_proceeded,
    actions=(
        ActionSpec(
            "Assess the suspect's continuing access to children and agree safety measures",
            Role.PUBLIC_PROTECTION,
            within(72),
        ),
        ActionSpec(
            "Tell children's social care that 'no further action' is an evidential decision, "
            "not an assessment of risk",
            Role.PUBLIC_PROTECTION,
            within(24),
        ),
    ),
)

RULES = (DISCLOSURE_STARTS_PROTECTION, RETRACTION_NEEDS_DECISION, NOT_PROCEEDED_ACCESS)
"""The disclosure rules."""
