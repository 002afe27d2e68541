"""Children first: every incident involving an adult surfaces the children around that adult."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case
from childfirst.rules.model import ActionSpec, Finding, Rule, Severity, within

# Incidents at which officers meet adults in a child's life.
ADULT_INCIDENTS = frozenset(
    {
        EventType.DOMESTIC_ABUSE,
        EventType.VIOLENCE,
        EventType.SEXUAL_OFFENCE,
        EventType.ARREST,
        EventType.DRUGS,
        EventType.WELFARE_CHECK,
        EventType.CONCERN_FOR_CHILD,
        EventType.PUBLIC_ORDER,
        EventType.CRIMINAL_DAMAGE,
    }
)
SEEN_ROLES = frozenset({"victim", "witness", "present", "caller", "subject", "reporter"})


def _children_at_incidents(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if case.child.key in event.people():
        if "present" in event.roles_of(case.child.key) and not event.details.get(
            "children_spoken_to", False
        ):
            yield Finding(
                key=f"event:{event.id}",
                evidence=(event.id,),
                explanation=(
                    f"{case.child.name} (aged {case.age()}) was recorded as present at the "
                    f"{event.label}, but the record does not say the child was spoken to alone."
                ),
            )
        return
    adults = [
        who
        for who in event.people()
        if (person := case.person(who)) is not None and not person.is_child_on(case.day)
    ]
    linked = {c.person.key: c.how for c in case.household()}
    via = [who for who in adults if who in linked]
    if via:
        how = "; ".join(f"{case.name(who)} ({linked[who]})" for who in via)
        connection = f"lives with or is cared for by {how}"
    elif case.lives_at(event.location_id):
        connection = "lives at the address where it happened"
    else:
        return
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f"{case.child.name} (aged {case.age()}) {connection}, but is not recorded on the "
            f"{event.label}. Was the child there, seen, and spoken to alone?"
        ),
    )


CHILDREN_AT_INCIDENTS = Rule(
    id="children-first.unrecorded-child",
    title="A child connected to an incident is not on its record",
    description=(
        "When police deal with an adult, every child who lives with that adult, is in their care, "
        "or lives at the address is listed, and the officer records for each whether the child was "
        "present, seen and spoken to alone, and in the child's own words, or why not. A child "
        "recorded as present but not spoken to is raised in the same way."
    ),
    learning=("LP-01.0", "LP-01.1", "LP-01.2", "KI-03.2", "KI-04.6", "KI-05.4"),
    severity=Severity.MEDIUM,
    triggers=ADULT_INCIDENTS,
    check=_children_at_incidents,
    actions=(
        ActionSpec(
            "Record for this child: present, seen, spoken to alone, their words, or why not",
            Role.RESPONSE_OFFICER,
            within(24),
        ),
    ),
)

RULES = (CHILDREN_AT_INCIDENTS,)
