"""Stop and search of children: recorded grounds, and extra care with younger children.

For many children a stop and search is their first contact with the police. A search of a child is
done only when necessary, above all with younger children, and its grounds are recorded. Every search
of a child is also counted for disproportionality monitoring, which is a separate report: these rules
never see who the child is beyond name, age and sex, because no view given to a rule carries more.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case
from childfirst.rules.model import ActionSpec, Finding, Parameter, Rule, Severity, within

SEARCHED = frozenset({"subject", "suspect", "detainee"})


def _grounds_missing(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not case.child.is_child_on(case.day) or not event.roles_of(case.child.key) & SEARCHED:
        return
    grounds = event.details.get("grounds")
    if (isinstance(grounds, str) and grounds.strip()) or (event.summary or "").strip():
        return
    age = case.age()
    young = age is not None and age < settings["young_age"]
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f"{case.child.name} (aged {age}) was stopped and searched ({event.label}) and no "
            "grounds for the search are recorded."
        ),
        severity=Severity.HIGH if young else None,
    )


GROUNDS_MISSING = Rule(
    id="stop-search.child-grounds-not-recorded",
    title="A child was stopped and searched with no grounds recorded",
    description=(
        "Every stop and search of a child records the grounds for it. When neither the grounds nor "
        "a summary is recorded, a supervisor asks the officer for them; it is more serious when "
        "the child is younger than a set age."
    ),
    learning=("LP-01.3", "KI-01.1", "LP-06.1"),
    severity=Severity.MEDIUM,
    triggers=frozenset({EventType.STOP_AND_SEARCH}),
    check=_grounds_missing,
    actions=(
        ActionSpec(
            "Obtain and record the grounds for the search from the officer",
            Role.SUPERVISOR,
            within(72),
        ),
    ),
    parameters=(
        Parameter("young_age", 14, "Below this age a search with no grounds is more serious."),
    ),
)


def _young_child(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not event.roles_of(case.child.key) & SEARCHED:
        return
    age = case.age()
    if age is None or age >= settings["young_age"]:
        return
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f"{case.child.name}, aged {age}, was stopped and searched ({event.label}). A search "
            "of a child this young should happen only when absolutely necessary."
        ),
    )


YOUNG_CHILD_SEARCHED = Rule(
    id="stop-search.young-child-searched",
    title="A young child was stopped and searched",
    description=(
        "A stop and search of a child under a set age is reviewed by a supervisor to confirm it "
        "was necessary and that the child was dealt with as a child, with their parent or carer "
        "told and any welfare worry followed up."
    ),
    learning=("LP-01.3", "KI-01.1", "KI-01.4", "LP-01.0"),
    severity=Severity.MEDIUM,
    triggers=frozenset({EventType.STOP_AND_SEARCH}),
    check=_young_child,
    actions=(
        ActionSpec(
            "Review whether the search was necessary and the child's welfare followed up",
            Role.SUPERVISOR,
            within(72),
        ),
    ),
    parameters=(Parameter("young_age", 14, "Searches of children below this age are reviewed."),),
)

RULES = (GROUNDS_MISSING, YOUNG_CHILD_SEARCHED)
"""The stop and search rules."""
