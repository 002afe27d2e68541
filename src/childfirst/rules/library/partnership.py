"""Working with partners: formal strategy discussions, protection status shared, medical opinion
weighed with what police know, and families who report abuse kept safe."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case, EventView
from childfirst.rules.model import ActionSpec, Finding, Parameter, Rule, Severity, within

FORMAL_WORDS = ("section 47", "s47", "strategy discussion held", "strategy meeting held")


def _informal_strategy(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if case.child.key not in event.people():
        return
    formal = event.details.get("formal")
    text = f"{event.summary or ''} {event.outcome or ''}".lower()
    if formal is True or any(word in text for word in FORMAL_WORDS):
        return
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f"The {event.label} about {case.child.name} does not record that it was a formal "
            "strategy discussion (who took part, and the decision on a section 47 enquiry). "
            "An informal conversation must not be taken for one."
        ),
    )


INFORMAL_STRATEGY = Rule(
    id="partnership.strategy-discussion-not-formal",
    title="A strategy discussion not recorded as formal",
    description=(
        "A discussion about a child recorded as a strategy discussion must say that it was the "
        "formal multi-agency discussion, with police and children's social care taking part and "
        "a decision on a section 47 enquiry; otherwise each agency may believe the others are "
        "treating the case more seriously than they are."
    ),
    learning=("KI-07.2", "LP-05.1"),
    severity=Severity.MEDIUM,
    triggers=frozenset({EventType.STRATEGY_DISCUSSION}),
    check=_informal_strategy,
    actions=(
        ActionSpec(
            "Record whether this was a formal strategy discussion, who took part and what was "
            "decided, or convene one",
            Role.PUBLIC_PROTECTION,
            within(24),
        ),
    ),
)

PROTECTION_STARTS = frozenset(
    {EventType.CHILD_PROTECTION_PLAN_STARTED, EventType.LOOKED_AFTER_STARTED}
)
PROTECTION_ENDS = {
    EventType.CHILD_PROTECTION_PLAN_STARTED: EventType.CHILD_PROTECTION_PLAN_ENDED,
    EventType.LOOKED_AFTER_STARTED: EventType.LOOKED_AFTER_ENDED,
}
UNPLANNED = frozenset(
    {
        EventType.EMERGENCY_DEPARTMENT_ATTENDANCE,
        EventType.MISSING_REPORTED,
        EventType.ARREST,
        EventType.CUSTODY_DETENTION,
        EventType.DOMESTIC_ABUSE,
        EventType.VIOLENCE,
        EventType.SEXUAL_OFFENCE,
        EventType.SELF_HARM,
    }
)


def _protected_status(case: Case) -> EventView | None:
    """The child protection plan or care episode in force for the child, if any."""
    current: dict[EventType, EventView] = {}
    for event in case.events(types=[*PROTECTION_STARTS, *PROTECTION_ENDS.values()]):
        if event.type in PROTECTION_STARTS:
            current[event.type] = event
        else:
            for start, end in PROTECTION_ENDS.items():
                if event.type is end:
                    current.pop(start, None)
    return max(current.values(), key=lambda e: e.order) if current else None


def _status_shared(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if case.child.key not in event.people():
        return
    status = _protected_status(case)
    if status is None:
        return
    what = (
        "on a child protection plan"
        if status.type is EventType.CHILD_PROTECTION_PLAN_STARTED
        else "looked after"
    )
    yield Finding(
        key=f"event:{event.id}",
        evidence=(status.id, event.id),
        explanation=(
            f"{case.child.name} is {what} (since {status.day.isoformat()}, {status.agency}) and "
            f"has just come to notice: {event.label}. Whoever is dealing with the child must know, "
            "and the allocated social worker must be told."
        ),
    )


PROTECTION_STATUS = Rule(
    id="partnership.protection-status-shared",
    title="A child on a protection plan or in care comes to notice",
    description=(
        "When a child who is on a child protection plan or looked after comes to notice without "
        "warning (an emergency department visit, a missing episode, an arrest, an incident), "
        "the people dealing with the child are shown that status and the allocated social "
        "worker is told, as child protection information sharing does for unscheduled care."
    ),
    learning=("REF-CPIS", "LP-06.1", "KI-06.2"),
    severity=Severity.MEDIUM,
    triggers=UNPLANNED,
    check=_status_shared,
    actions=(
        ActionSpec(
            "Tell the child's allocated social worker what has happened",
            Role.PUBLIC_PROTECTION,
            within(24),
        ),
    ),
)

MEDICAL_WORDS = (
    "no medical evidence",
    "medical opinion",
    "could not say",
    "cannot say",
    "inconclusive",
    "consistent with an accident",
    "consistent with accidental",
    "not attributed",
)
HARM_EVENTS = frozenset(
    {
        EventType.DOMESTIC_ABUSE,
        EventType.VIOLENCE,
        EventType.SEXUAL_OFFENCE,
        EventType.CONCERN_FOR_CHILD,
        EventType.HEALTH_SAFEGUARDING_CONCERN,
        EventType.SCHOOL_SAFEGUARDING_CONCERN,
        EventType.CHILD_PROTECTION_PLAN_STARTED,
    }
)


def _medical_weight(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if "victim" not in event.roles_of(case.child.key) and "subject" not in event.roles_of(
        case.child.key
    ):
        return
    text = f"{event.summary or ''} {event.outcome or ''}".lower()
    words = [w for w in MEDICAL_WORDS if w in text]
    if not words:
        return
    window = timedelta(days=settings["context_days"])
    context = [e for e in case.events(types=HARM_EVENTS, within=window) if e.id != event.id]
    for adult in case.adults_around():
        context += [
            e for e in case.events(adult.person.key, HARM_EVENTS, window) if e.id != event.id
        ]
    context = sorted({e.id: e for e in context}.values(), key=lambda e: e.order)
    if not context:
        return
    listed = "; ".join(e.label for e in context[-3:])
    yield Finding(
        key=f"event:{event.id}",
        evidence=(*(e.id for e in context), event.id),
        explanation=(
            f"The {event.label} about {case.child.name} leans on medical opinion "
            f"('{words[0]}'), but police and partners already hold {len(context)} earlier "
            f"concern(s) about this child's household ({listed}). A doctor not attributing an "
            "injury to abuse does not show there was none; weigh it with that history."
        ),
        severity=Severity.HIGH,
    )


MEDICAL_WEIGHT = Rule(
    id="partnership.medical-opinion-weighed-with-history",
    title="Medical opinion weighed against what police know",
    description=(
        "When a record about a child's injury or abuse turns on a doctor being unable to say it "
        "was abuse, and the child's household already has concerns on record, the decision is "
        "reviewed with that history in view rather than settled by the medical opinion alone."
    ),
    learning=("KI-07.3", "KI-03.0"),
    severity=Severity.HIGH,
    triggers=frozenset(
        {
            EventType.VIOLENCE,
            EventType.CONCERN_FOR_CHILD,
            EventType.EMERGENCY_DEPARTMENT_ATTENDANCE,
            EventType.SEXUAL_OFFENCE,
        }
    ),
    check=_medical_weight,
    parameters=(Parameter("context_days", 730, "how far back earlier concerns count, in days"),),
    actions=(
        ActionSpec(
            "Review the decision with the household's history, and discuss it with the "
            "paediatrician and children's social care",
            Role.SUPERVISOR,
            within(72),
        ),
    ),
)

INTIMIDATION = frozenset(
    {
        EventType.CRIMINAL_DAMAGE,
        EventType.VIOLENCE,
        EventType.ANTISOCIAL_BEHAVIOUR,
        EventType.PUBLIC_ORDER,
        EventType.CALL_999,
    }
)
REPORTS = frozenset({EventType.SEXUAL_OFFENCE, EventType.DISCLOSURE, EventType.VIOLENCE})
THREAT_WORDS = ("threat", "intimidat", "harass", "brick", "window", "daub", "graffiti", "grass")


def _intimidation(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    family = {case.child.key} | {c.person.key for c in case.household()}
    if not family & set(event.people("victim", "caller", "reporter")):
        return
    window = timedelta(days=settings["window_days"])
    reports = [
        e
        for e in case.events(types=REPORTS, within=window)
        if "victim" in e.roles_of(case.child.key) and e.id != event.id
    ]
    if not reports:
        return
    suspects = {who for e in reports for who in e.people("suspect")}
    text = f"{event.summary or ''} {event.outcome or ''}".lower()
    by_suspect = bool(suspects & set(event.people("suspect")))
    if not by_suspect and not any(word in text for word in THREAT_WORDS):
        return
    yield Finding(
        key="intimidation",
        evidence=(*(e.id for e in reports), event.id),
        explanation=(
            f"{case.child.name}'s family reported abuse ({reports[-1].label}) and has since been "
            f"targeted: {event.label}"
            + (" by the person they reported." if by_suspect else ".")
            + " Families who report abuse must be protected from intimidation."
        ),
        severity=Severity.HIGH,
    )


FAMILY_INTIMIDATED = Rule(
    id="partnership.reporting-family-intimidated",
    title="A family that reported abuse is being intimidated",
    description=(
        "After a child is recorded as the victim of abuse, later damage, threats, harassment or "
        "violence against the child's household, by the reported suspect or described as "
        "intimidation, is linked back to the report so that the family is protected and the "
        "intimidation is investigated as part of the case."
    ),
    learning=("KI-01.2", "KI-01.0", "LP-10.0"),
    severity=Severity.HIGH,
    triggers=INTIMIDATION,
    check=_intimidation,
    parameters=(Parameter("window_days", 730, "how long after a report it is watched, in days"),),
    actions=(
        ActionSpec(
            "Put a safety plan in place for the family and investigate the intimidation with "
            "the original case",
            Role.PUBLIC_PROTECTION,
            within(24),
        ),
    ),
)

RULES = (INFORMAL_STRATEGY, PROTECTION_STATUS, MEDICAL_WEIGHT, FAMILY_INTIMIDATED)
