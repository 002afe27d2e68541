"""Missing children: repeat episodes escalate, every return gets an interview (and a return with no
interview recorded when its wait runs out is raised), and signs of exploitation are added up."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case, EventView
from childfirst.rules.model import ActionSpec, Finding, Parameter, Rule, Severity, Wait, within

MISSING = frozenset({EventType.MISSING_REPORTED, EventType.MISSING_RETURNED})
SUBSTANCE_WORDS = ("drunk", "intoxicated", "cannabis", "drugs", "alcohol", "smelled of")


SUBJECT_ROLES = frozenset({"subject", "victim"})


def _is_subject(event: EventView, key: str) -> bool:
    return bool(event.roles_of(key) & SUBJECT_ROLES)


def _repeat_missing(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if event.type is not EventType.MISSING_REPORTED or not _is_subject(event, case.child.key):
        return
    window = timedelta(days=settings["window_days"])
    episodes = [
        e
        for e in case.events(types=[EventType.MISSING_REPORTED], within=window)
        if _is_subject(e, case.child.key)
    ]
    if len(episodes) < settings["episodes"]:
        return
    severity = Severity.HIGH if len(episodes) < settings["escalate_at"] else Severity.CRITICAL
    yield Finding(
        key="repeat-missing",
        evidence=tuple(e.id for e in episodes),
        explanation=(
            f"{case.child.name} (aged {case.age()}) has been reported missing "
            f"{len(episodes)} times in {settings['window_days']:.0f} days, the latest on "
            f"{event.day.isoformat()}. Each episode raises the concern; repeats are never routine."
        ),
        severity=severity,
    )


REPEAT_MISSING = Rule(
    id="missing.repeat-episodes",
    title="Repeat missing episodes",
    description=(
        "Counts the times a child has been reported missing over a rolling window. Once the count "
        "reaches the threshold, one concern follows the child and rises in severity with every "
        "further episode, so that going missing again never becomes normal; a strategy "
        "discussion is asked for to find out why the child goes missing."
    ),
    learning=("KI-03.3", "LP-09.0", "LP-08.0", "REF-DFE-MISSING-2014"),
    severity=Severity.HIGH,
    triggers=frozenset({EventType.MISSING_REPORTED}),
    check=_repeat_missing,
    parameters=(
        Parameter("episodes", 3, "missing episodes in the window that make a repeat pattern"),
        Parameter("window_days", 90, "length of the rolling window, in days"),
        Parameter("escalate_at", 5, "episodes in the window at which the concern is critical"),
    ),
    actions=(
        ActionSpec(
            "Hold a multi-agency strategy discussion on why the child keeps going missing",
            Role.MISSING_COORDINATOR,
            within(72),
        ),
    ),
)


def _return_interview(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not _is_subject(event, case.child.key):
        return
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f"{case.child.name} (aged {case.age()}) came back from a missing episode "
            f"({event.label}); an independent return home interview is due within 72 hours."
        ),
    )


RETURN_HOME_INTERVIEW = Rule(
    id="missing.return-home-interview",
    title="Return home interview after a missing episode",
    description=(
        "Every child who returns from being missing is offered an independent return home "
        "interview within 72 hours, and the missing episode is recorded on the Police National "
        "Computer within 48 hours of the report."
    ),
    learning=("REF-RHI-72H", "REF-DFE-MISSING-2014", "REF-PNC-48H", "LP-08.0"),
    severity=Severity.MEDIUM,
    triggers=frozenset({EventType.MISSING_RETURNED}),
    check=_return_interview,
    actions=(
        ActionSpec(
            "Arrange an independent return home interview", Role.MISSING_COORDINATOR, within(72)
        ),
    ),
)


def _returned(event: EventView) -> bool:
    return any(role in SUBJECT_ROLES for role, _ in event.links)


def _interview_missed(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    returned = case.opened  # judged only when the wait after a return runs out
    child = case.child.key
    if (
        returned is None
        or not _is_subject(returned, child)
        or not case.child.is_child_on(returned.day)
    ):
        return
    interviews = [
        e for e in case.events(types=[EventType.RETURN_HOME_INTERVIEW]) if e.order >= returned.order
    ]
    if interviews:
        return  # held, offered or declined: recorded within the wait
    hours = int(settings["window_hours"])
    window = timedelta(days=settings["repeat_window_days"])
    before = [
        e
        for e in case.events(types=[EventType.MISSING_RETURNED], within=window)
        if e.order < returned.order and _is_subject(e, child)
    ]
    repeat = f", the {_nth(len(before) + 1)} return in {window.days} days" if before else ""
    yield Finding(
        key=f"event:{returned.id}",
        evidence=(returned.id,),
        explanation=(
            f"{case.child.name} (aged {case.age()}) came back from a missing episode "
            f"({returned.label}{repeat}), and no return home interview is recorded within "
            f"{hours} hours."
        ),
        severity=Severity.HIGH if len(before) + 1 >= settings["escalate_at"] else None,
    )


def _nth(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


INTERVIEW_MISSED = Rule(
    id="missing.return-home-interview-missed",
    title="No return home interview is recorded after a missing episode",
    description=(
        "Waits after a child's return from a missing episode for the return home interview (held, "
        "offered or declined) to be recorded. If none is recorded when the wait runs out, the "
        "concern is raised, whether or not anything else has happened; it is high when the child "
        "keeps coming back from episodes, the pattern the interviews are there to explain."
    ),
    learning=("REF-RHI-72H", "REF-DFE-MISSING-2014", "LP-08.0"),
    severity=Severity.MEDIUM,
    triggers=frozenset(),
    check=_interview_missed,
    actions=(
        ActionSpec(
            "Find out why no return home interview was recorded and arrange one now",
            Role.MISSING_COORDINATOR,
            within(24),
        ),
    ),
    parameters=(
        Parameter(
            "window_hours", 72, "How long (hours) after the return the interview may follow."
        ),
        Parameter("repeat_window_days", 90, "The period (days) over which returns are counted."),
        Parameter("escalate_at", 3, "Returns in that period at which the concern is high."),
    ),
    waits=Wait(frozenset({EventType.MISSING_RETURNED}), _returned, "window_hours"),
)


def _exploitation_signs(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    window = timedelta(days=settings["window_days"])
    signs: list[tuple[EventView, str]] = []
    for event in case.events(types=MISSING, within=window):
        if not _is_subject(event, case.child.key):
            continue
        for other in event.people("found_with"):
            person = case.person(other)
            age, child_age = case.age(other), case.age()
            if (
                person is not None
                and age is not None
                and child_age is not None
                and age - child_age >= settings["older_by"]
            ):
                signs.append((event, f"found with {person.name}, aged {age}"))
        if event.details.get("cse_flag"):
            signs.append((event, "flagged for child sexual exploitation"))
        text = f"{event.summary or ''} {event.outcome or ''}".lower()
        if any(word in text for word in SUBSTANCE_WORDS):
            signs.append((event, "alcohol or drugs mentioned"))
    if not signs or case.trigger.id not in {e.id for e, _ in signs}:
        return
    listed = "; ".join(f"{e.day.isoformat()}: {why}" for e, why in signs)
    yield Finding(
        key="exploitation-signs",
        evidence=tuple(dict.fromkeys(e.id for e, _ in signs)),
        explanation=(
            f"{case.child.name} (aged {case.age()}) shows signs of exploitation around missing "
            f"episodes ({listed}). Consider the child a possible victim and share what police know "
            "about the associates with children's social care."
        ),
        severity=Severity.CRITICAL if len(signs) >= settings["critical_at"] else Severity.HIGH,
    )


EXPLOITATION_SIGNS = Rule(
    id="missing.exploitation-signs",
    title="Signs of exploitation around missing episodes",
    description=(
        "Adds up the signs of exploitation recorded around a child's missing episodes: being found "
        "with an adult several years older, an exploitation flag, or alcohol or drugs. Any sign "
        "raises a concern that the child may be a victim; police knowledge of the associates is "
        "shared with children's social care."
    ),
    learning=("KI-06.1", "KI-02.4", "LP-05.2", "LP-09.0", "KI-03.1"),
    severity=Severity.HIGH,
    triggers=MISSING,
    check=_exploitation_signs,
    parameters=(
        Parameter("older_by", 4, "years older than the child that make an associate a concern"),
        Parameter("window_days", 365, "how far back signs are added up, in days"),
        Parameter("critical_at", 3, "signs at which the concern is critical"),
    ),
    actions=(
        ActionSpec(
            "Refer to children's social care as a possible victim of exploitation, sharing what "
            "police know about the associates",
            Role.PUBLIC_PROTECTION,
            within(24),
        ),
    ),
)

RULES = (REPEAT_MISSING, RETURN_HOME_INTERVIEW, INTERVIEW_MISSED, EXPLOITATION_SIGNS)
