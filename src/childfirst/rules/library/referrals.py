"""Referrals: a parent's drug use or offending with children at home reaches children's social care.

Serious parental substance misuse is sometimes referred only to drug treatment services, and a
parent's arrest dealt with as the adult's matter. When children live with the adult, children's
social care is told too. The rule waits for a window after the adult's event (``model.Wait``): if a
referral for the child has been recorded by then it stays quiet; if not, it raises the concern as of
the moment the window closes, whether or not anything else has happened (judged on a schedule, or by
an import or re-evaluation run later).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case, EventView
from childfirst.rules.model import ActionSpec, Finding, Parameter, Rule, Severity, Wait, within

DRUG_WORDS = re.compile(
    r"drug|cannabis|heroin|cocaine|crack|opiat|methadone|amphetamine|supply|possession", re.I
)
SERIOUS_DRUGS = re.compile(
    r"heroin|cocaine|crack|opiat|methadone|amphetamine|ketamine|needle|class a|supply|"
    r"intent to supply|dealing|cultivat",
    re.I,
)
CSC_WORDS = re.compile(
    r"children'?s (?:social care|services)|social services|social care|\bcsc\b|\bmash\b", re.I
)
CSC_INVOLVEMENT = frozenset(
    {
        EventType.REFERRAL,
        EventType.CHILD_IN_NEED_ASSESSMENT,
        EventType.STRATEGY_DISCUSSION,
        EventType.CHILD_PROTECTION_PLAN_STARTED,
    }
)
HELD = ("suspect", "detainee")
DRUG_EVENTS = frozenset(
    {
        EventType.SUBSTANCE_MISUSE_TREATMENT,
        EventType.DRUGS,
        EventType.ARREST,
        EventType.CUSTODY_DETENTION,
    }
)
PROSECUTED = re.compile(r"charged|remanded|recalled|sentenced|custody", re.I)


def _text(event: EventView) -> str:
    offence = event.details.get("offence")
    parts = (event.summary, event.outcome, offence if isinstance(offence, str) else None)
    return " ".join(p for p in parts if p)


def substance_misuse(event: EventView, key: str) -> bool:
    """The adult's drug offence, arrest for drugs, or start of substance misuse treatment."""
    if event.type not in DRUG_EVENTS:
        return False
    roles = event.roles_of(key)
    if event.type is EventType.SUBSTANCE_MISUSE_TREATMENT:
        return "subject" in roles
    if event.type is EventType.DRUGS:
        return bool(roles & set(HELD)) and _serious(event)
    if event.type in (EventType.ARREST, EventType.CUSTODY_DETENTION) and roles & set(HELD):
        group = event.details.get("offence_group")
        offence = event.details.get("offence")
        drugs = group == "drugs" or (isinstance(offence, str) and bool(DRUG_WORDS.search(offence)))
        return drugs and _serious(event)
    return False


def _serious(event: EventView) -> bool:
    """Drug use beyond a small amount of cannabis: class A drugs, supply, or children there."""
    if event.details.get("children_present") is True or event.people("present"):
        return True
    return bool(SERIOUS_DRUGS.search(_text(event)))


def parental_offending(event: EventView, key: str) -> bool:
    """The adult was held overnight, or charged or remanded, after an arrest."""
    if event.type is not EventType.CUSTODY_DETENTION or not event.roles_of(key) & set(HELD):
        return False
    return event.details.get("overnight") is True or bool(PROSECUTED.search(event.outcome or ""))


def referred(event: EventView, child: str) -> bool:
    """Whether the event shows children's social care told about, or working with, the child."""
    if event.type in CSC_INVOLVEMENT and child in event.people():
        if event.type is not EventType.REFERRAL or event.agency_kind == "childrens_social_care":
            return True
        text = _text(event)  # a police referral: to social care unless it names drug services
        return bool(CSC_WORDS.search(text)) or not DRUG_WORDS.search(text)
    return bool(CSC_WORDS.search(event.outcome or ""))


def _unreferred(
    case: Case, settings: Mapping[str, float], matches: Callable[[EventView, str], bool]
) -> Iterator[Finding]:
    found = case.opened  # judged only when the wait after an adult's event runs out
    child = case.child.key
    if found is None or not case.child.is_child_on(found.day):
        return
    home = case.history.household(child, found.day)
    for key in sorted({who for _, who in found.links}):
        adult = case.person(key)
        if adult is None or adult.is_child_on(found.day) or key not in home:
            continue
        if not matches(found, key):
            continue
        later = [
            e for e in (*case.events(), *case.events(key)) if found.order <= e.order <= case.until
        ]
        if any(referred(e, child) for e in later):
            continue
        hours = int(settings["window_hours"])
        present = "present" in found.roles_of(child) or found.details.get("children_present")
        yield Finding(
            key=f"event:{found.id}",
            evidence=(found.id,),
            explanation=(
                f"{adult.name} ({home[key]}) was the subject of the {found.label} while "
                f"{case.child.name} (aged {case.age(child)}) lived with them, and no referral of "
                f"the child to children's social care is recorded within {hours} hours."
            ),
            severity=Severity.HIGH if present else None,
        )


def _opens(types: frozenset[EventType], matches: Callable[[EventView, str], bool]) -> Wait:
    """A wait for a referral after an event that marks someone linked to it."""

    def opens(event: EventView) -> bool:
        return any(matches(event, key) for key in {who for _, who in event.links})

    return Wait(types, opens, "window_hours")


def _substance(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    return _unreferred(case, settings, substance_misuse)


def _offending(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    return _unreferred(case, settings, parental_offending)


def _parameters() -> tuple[Parameter, ...]:
    return (
        Parameter(
            "window_hours",
            72,
            "How long (hours) after the adult's event a referral of the child may follow.",
        ),
    )


REFER = ActionSpec(
    "Refer the child to children's social care, not only the adult to adult services",
    Role.PUBLIC_PROTECTION,
    within(24),
)

SUBSTANCE_NOT_REFERRED = Rule(
    id="referrals.parental-substance-misuse",
    title="A parent's substance misuse was not referred to children's social care",
    description=(
        "When an adult a child lives with is dealt with for serious drug use (class A drugs, "
        "supply, or drugs found with children there, but not a small amount of cannabis alone) "
        "or starts drug or alcohol treatment, the child is referred to "
        "children's social care as well as the adult to treatment services. If no referral or "
        "social care involvement for the child is recorded within the window, the concern is "
        "raised; it is more serious when the child was there at the time. Social care records "
        "count only once they are linked to the police record of the same child."
    ),
    learning=("KI-06.3", "LP-01.1", "KI-06.2"),
    severity=Severity.MEDIUM,
    triggers=frozenset(),
    check=_substance,
    actions=(REFER,),
    parameters=_parameters(),
    waits=_opens(DRUG_EVENTS, substance_misuse),
)

OFFENDING_NOT_REFERRED = Rule(
    id="referrals.parental-offending",
    title="A parent held in custody was not referred to children's social care",
    description=(
        "When an adult a child lives with is kept in custody overnight, or charged or remanded, "
        "the child's care may change overnight. The child is referred to children's social care "
        "unless a referral or social care involvement is already recorded within the window."
    ),
    learning=("KI-06.3", "LP-01.1", "LP-01.0"),
    severity=Severity.MEDIUM,
    triggers=frozenset(),
    check=_offending,
    actions=(REFER,),
    parameters=_parameters(),
    waits=_opens(frozenset({EventType.CUSTODY_DETENTION}), parental_offending),
)

RISKS = frozenset(
    {
        EventType.MISSING_REPORTED,
        EventType.DRUGS,
        EventType.ARREST,
        EventType.SELF_HARM,
        EventType.SEXUAL_OFFENCE,
        EventType.DOMESTIC_ABUSE,
        EventType.SCHOOL_EXCLUSION,
        EventType.SCHOOL_ATTENDANCE_CONCERN,
        EventType.EMERGENCY_DEPARTMENT_ATTENDANCE,
    }
)
SUPPORT = re.compile(r"camhs|mental health|referr|counsell|support worker|crisis team", re.I)


def _self_harm(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not case.child.is_child_on(case.day) or "subject" not in event.roles_of(case.child.key):
        return
    if SUPPORT.search(event.outcome or ""):
        return
    window = timedelta(days=settings["lookback_days"])
    others = [e for e in case.events(types=RISKS, within=window) if e.id != event.id]
    if len(others) < settings["min_other_events"]:
        return
    shown = "; ".join(e.label for e in others[-3:])
    more = f" and {len(others) - 3} more" if len(others) > 3 else ""
    yield Finding(
        key=f"event:{event.id}",
        evidence=(*(e.id for e in others), event.id),
        explanation=(
            f"{case.child.name} (aged {case.age()}) self-harmed ({event.label}) after other "
            f"recent concerns ({shown}{more}), and no referral for support is recorded."
        ),
    )


SELF_HARM_SUPPORT = Rule(
    id="referrals.self-harm-support",
    title="A child who self-harms amid other risks is referred for support",
    description=(
        "When a child self-harms and has other recent concerns on record, such as going missing, "
        "drugs, arrests, abuse at home or exclusion from school, the child is referred to mental "
        "health and other support services, unless the record of the self-harm already shows a "
        "referral."
    ),
    learning=("LP-05.2", "KI-03.1", "KI-09.3"),
    severity=Severity.HIGH,
    triggers=frozenset({EventType.SELF_HARM}),
    check=_self_harm,
    actions=(
        ActionSpec(
            "Refer the child to mental health support and tell children's social care",
            Role.PUBLIC_PROTECTION,
            within(24),
        ),
    ),
    parameters=(
        Parameter("lookback_days", 365, "How far back (days) other concerns are counted."),
        Parameter("min_other_events", 1, "How many other concerns make a referral necessary."),
    ),
)

RULES = (SUBSTANCE_NOT_REFERRED, OFFENDING_NOT_REFERRED, SELF_HARM_SUPPORT)
"""The referral rules."""
