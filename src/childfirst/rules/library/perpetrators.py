"""Perpetrators: a domestic abuse perpetrator reports worries about the other parent's care.

In domestic abuse the police tend to focus on the adult victim, and a concern raised by the abuser
about the partner's parenting is easily dismissed as part of the conflict. It may be true, and it may
also be a way of continuing the abuse: either way it is recorded and assessed for the child.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import timedelta

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case, EventView
from childfirst.rules.model import ActionSpec, Finding, Parameter, Rule, Severity, within

REPORTS = frozenset(
    {
        EventType.CONCERN_FOR_CHILD,
        EventType.CALL_999,
        EventType.CALL_101,
        EventType.WELFARE_CHECK,
        EventType.REFERRAL,
    }
)
ABUSE_TYPES = (EventType.DOMESTIC_ABUSE, EventType.ARREST, EventType.CUSTODY_DETENTION)

CALLS = frozenset({EventType.CALL_999, EventType.CALL_101})
CHILD_WORDS = re.compile(
    r"\b(?:child(?:ren)?|kids?|son|daughter|baby|toddler|parenting|care of|neglect\w*)\b", re.I
)


def _abuse(event: EventView, key: str) -> bool:
    roles = event.roles_of(key)
    if event.type is EventType.DOMESTIC_ABUSE:
        return "suspect" in roles
    return (
        event.type in (EventType.ARREST, EventType.CUSTODY_DETENTION)
        and bool(roles & {"suspect", "detainee"})
        and event.details.get("offence_group") == "domestic_abuse"
    )


def _perpetrator_reports(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not case.child.is_child_on(case.day):
        return
    if event.type in CALLS and not (
        event.roles_of(case.child.key) - {"caller"} or CHILD_WORDS.search(event.summary or "")
    ):
        return  # a call about something else, such as the caller's own safety
    window = timedelta(days=settings["lookback_days"])
    for who in sorted(set(event.people("caller", "reporter"))):
        if who == case.child.key:
            continue
        earlier = [
            e
            for e in case.events(who, types=ABUSE_TYPES, within=window)
            if e.id != event.id and _abuse(e, who)
        ]
        if not earlier:
            continue
        shown = "; ".join(e.label for e in earlier[-3:])
        yield Finding(
            key=f"event:{event.id}",
            evidence=(*(e.id for e in earlier), event.id),
            explanation=(
                f"{case.name(who)}, the suspect in earlier domestic abuse ({shown}), raised the "
                f"{event.label} touching on {case.child.name} (aged {case.age()}). Record the "
                "worry and assess it for the child on its merits; do not dismiss it as part of the "
                "conflict, and consider whether it is part of the abuse."
            ),
        )
        return


PERPETRATOR_REPORTS_CONCERN = Rule(
    id="perpetrators.abuser-reports-concern",
    title="A domestic abuse suspect raises a concern about a child",
    description=(
        "When someone recorded as the suspect in earlier domestic abuse calls the police or "
        "reports a worry about a child, usually about the other parent's care, the worry is "
        "recorded and assessed for the child on its merits rather than dismissed. The assessment "
        "also considers whether the report is itself part of the abuse of the other parent."
    ),
    learning=("KI-05.2", "KI-03.2", "LP-01.2"),
    severity=Severity.MEDIUM,
    triggers=REPORTS,
    check=_perpetrator_reports,
    actions=(
        ActionSpec(
            "Record the concern and check the child's welfare, speaking to the child",
            Role.PUBLIC_PROTECTION,
            within(72),
        ),
        ActionSpec(
            "Share the concern with children's social care with the domestic abuse history",
            Role.PUBLIC_PROTECTION,
            within(72),
        ),
    ),
    parameters=(
        Parameter(
            "lookback_days", 1825, "How far back (days) the reporter's domestic abuse is counted."
        ),
    ),
)

RULES = (PERPETRATOR_REPORTS_CONCERN,)
"""The perpetrator rules."""
