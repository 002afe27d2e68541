"""Orders: protective orders are considered against a suspect of sexual offences against children.

The orders differ by jurisdiction. England and Wales have the Sexual Harm Prevention Order and the
Sexual Risk Order; Scotland has orders of the same names under its own 2016 Act; Northern Ireland has
the Risk of Sexual Harm Order. An event carries its agency but not its jurisdiction, so the
jurisdiction is read from the agency code: ``police-scotland`` is Scotland, a code naming ``psni`` or
``northern-ireland`` is Northern Ireland, and any other agency is taken as England and Wales.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import timedelta

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType, Jurisdiction
from childfirst.rules.case import Case, EventView
from childfirst.rules.model import ActionSpec, Check, Finding, Parameter, Rule, Severity, within

SEXUAL = re.compile(r"sexual|rape|indecen|grooming|exploitation", re.I)
ORDER_WORDS = re.compile(
    r"sexual harm prevention|sexual risk order|risk of sexual harm|\bshpo\b|\bsro\b|\brosho\b",
    re.I,
)
OFFENCE_TYPES = frozenset({EventType.SEXUAL_OFFENCE, EventType.DISCLOSURE})
TRIGGERS = OFFENCE_TYPES | frozenset(
    {EventType.ARREST, EventType.CUSTODY_DETENTION, EventType.COURT_OUTCOME}
)


def jurisdiction_of(agency: str) -> Jurisdiction:
    """The jurisdiction of an agency, read from its code."""
    code = agency.lower()
    if code == "police-scotland" or "scotland" in code:
        return Jurisdiction.SCOTLAND
    if "psni" in code or "northern-ireland" in code:
        return Jurisdiction.NORTHERN_IRELAND
    return Jurisdiction.ENGLAND_AND_WALES


def _against_child(case: Case, event: EventView) -> bool:
    if "victim" not in event.roles_of(case.child.key) or not case.child.is_child_on(event.day):
        return False
    offence = event.details.get("offence")
    return event.type is EventType.SEXUAL_OFFENCE or (
        isinstance(offence, str) and SEXUAL.search(offence) is not None
    )


def _orders_check(jurisdiction: Jurisdiction, name: str) -> Check:
    def check(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
        event = case.trigger
        if jurisdiction_of(event.agency) is not jurisdiction:
            return
        window = timedelta(days=settings["lookback_days"])
        offences = [
            e for e in case.events(types=OFFENCE_TYPES, within=window) if _against_child(case, e)
        ]
        for suspect in sorted(set(event.people("suspect", "detainee"))):
            person = case.person(suspect)
            if person is None or person.is_child_on(case.day) or suspect == case.child.key:
                continue
            against = [e for e in offences if suspect in e.people("suspect")]
            if not against:
                continue
            if any(
                e.type is EventType.ORDER and ORDER_WORDS.search(f"{e.summary} {e.outcome}")
                for e in case.events(suspect)
            ):
                continue
            yield Finding(
                key=f"suspect:{suspect}",
                evidence=tuple(e.id for e in against),
                explanation=(
                    f"{case.name(suspect)} is the suspect in the {against[-1].label} against "
                    f"{case.child.name} (aged {case.age()}). Consider applying for a {name} to "
                    "protect the child and other children, whatever the outcome of the case."
                ),
            )

    return check


def _rule(
    jurisdiction: Jurisdiction, rule_id: str, place: str, name: str, learning: tuple[str, ...]
) -> Rule:
    return Rule(
        id=rule_id,
        title=f"Protective orders against a suspect of sexual offences against a child ({place})",
        description=(
            f"When an adult is the suspect in a sexual offence against a child recorded by an "
            f"agency in {place}, the police consider applying for a {name}, so that the child and "
            "other children are protected whether or not there is a conviction. The jurisdiction "
            "is taken from the recording agency. An order already recorded against the suspect "
            "closes the question."
        ),
        learning=learning,
        severity=Severity.HIGH,
        triggers=TRIGGERS,
        check=_orders_check(jurisdiction, name),
        actions=(
            ActionSpec(
                f"Consider and record a decision on a {name}",
                Role.PUBLIC_PROTECTION,
                within(24 * 7),
            ),
        ),
        parameters=(
            Parameter(
                "lookback_days", 730, "How far back (days) offences against the child are matched."
            ),
        ),
    )


ORDERS_ENGLAND_AND_WALES = _rule(
    Jurisdiction.ENGLAND_AND_WALES,
    "orders.england-and-wales",
    "England and Wales",
    "Sexual Harm Prevention Order or Sexual Risk Order",
    ("REF-ORDERS-EW", "LP-10.1", "LP-10.0", "KI-08.1"),
)
ORDERS_SCOTLAND = _rule(
    Jurisdiction.SCOTLAND,
    "orders.scotland",
    "Scotland",
    "Sexual Harm Prevention Order or Sexual Risk Order under the 2016 Scottish Act",
    ("REF-ORDERS-SCOT", "LP-10.3", "LP-10.0", "KI-08.1"),
)
ORDERS_NORTHERN_IRELAND = _rule(
    Jurisdiction.NORTHERN_IRELAND,
    "orders.northern-ireland",
    "Northern Ireland",
    "Risk of Sexual Harm Order",
    ("REF-ORDERS-NI", "LP-10.2", "LP-10.0", "KI-08.1"),
)

RULES = (ORDERS_ENGLAND_AND_WALES, ORDERS_SCOTLAND, ORDERS_NORTHERN_IRELAND)
"""The protective order rules, one per jurisdiction because each asks for a different order."""
