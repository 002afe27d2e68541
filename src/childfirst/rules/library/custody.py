"""Children in custody: every detainee under 18 is a child, 17-year-olds included."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case
from childfirst.rules.model import ActionSpec, Finding, Rule, Severity, within


def _child_detainee(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if "detainee" not in event.roles_of(case.child.key) and not (
        event.type is EventType.CUSTODY_DETENTION and "subject" in event.roles_of(case.child.key)
    ):
        return
    age = case.age()
    overnight = bool(event.details.get("overnight"))
    missing = []
    if not event.details.get("appropriate_adult_called"):
        missing.append("no appropriate adult is recorded")
    if not event.details.get("parent_informed"):
        missing.append("the person responsible for the child's welfare is not recorded as told")
    gaps = f" So far {' and '.join(missing)}." if missing else ""
    night = " The child was held overnight, which must be justified." if overnight else ""
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f"{case.child.name} is {age} and was detained ({event.label}): a child under PACE, "
            f"whatever the age looks like.{gaps}{night}"
        ),
        severity=Severity.CRITICAL if overnight or (age is not None and age <= 12) else None,
    )


CHILD_DETAINEE = Rule(
    id="custody.child-detainee",
    title="A child in custody",
    description=(
        "Any detainee under 18, including 17-year-olds, is a child. The custody officer secures an "
        "appropriate adult, tells the person responsible for the child's welfare, keeps the child "
        "out of adult cells where a juvenile room exists, and records why any overnight detention "
        "was necessary; a charged child refused bail moves to local authority accommodation."
    ),
    learning=("REF-PACE-CHILD", "REF-PACE-38-6", "KI-09.2", "LP-07.1", "KI-09.1", "KI-09.3"),
    severity=Severity.HIGH,
    triggers=frozenset({EventType.CUSTODY_DETENTION, EventType.ARREST}),
    check=_child_detainee,
    actions=(
        ActionSpec("Secure an appropriate adult", Role.CUSTODY_OFFICER, within(1)),
        ActionSpec(
            "Inform the person responsible for the child's welfare", Role.CUSTODY_OFFICER, within(1)
        ),
        ActionSpec(
            "Place the child in a juvenile room, not an adult cell, and offer health, mental "
            "health and substance misuse support suited to a child",
            Role.CUSTODY_OFFICER,
            within(1),
        ),
        ActionSpec(
            "Record why detention (and any overnight stay) is necessary; if charged and refused "
            "bail, arrange local authority accommodation",
            Role.CUSTODY_OFFICER,
            within(4),
        ),
    ),
)

RULES = (CHILD_DETAINEE,)
