"""What a rule is: a small declared object with a plain-English description.

A rule names the learning it puts into practice, the event types that can set it off, its tunable
parameters and the actions it asks for, each with an owner and a deadline. Its ``check`` looks at one
child's case as it stood when one event happened and returns findings; the engine turns findings into
concerns and actions. The same declaration serves imports, recorded events and batch re-evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.calendar import Calendar

if TYPE_CHECKING:
    from childfirst.rules.case import Case, EventView


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {severity: rank for rank, severity in enumerate(Severity)}


@dataclass(frozen=True)
class Deadline:
    """When an action falls due, counted from the event that raised it."""

    kind: Literal["hours", "next_school_day"]
    hours: int = 0

    def due(self, event: EventView, calendar: Calendar) -> datetime:
        if self.kind == "next_school_day":
            return calendar.next_school_day_start(event.at)
        return event.at + timedelta(hours=self.hours)

    def describe(self) -> str:
        if self.kind == "next_school_day":
            return "before 09:00 on the next school day"
        if self.hours <= 1:
            return "immediately (within the hour)"
        return f"within {self.hours} hours"


def within(hours: int) -> Deadline:
    return Deadline("hours", hours)


NEXT_SCHOOL_DAY = Deadline("next_school_day")


@dataclass(frozen=True)
class ActionSpec:
    title: str
    owner: Role
    deadline: Deadline


@dataclass(frozen=True)
class Parameter:
    """A threshold or window a force may tune in its configuration."""

    name: str
    default: int | float
    description: str


@dataclass(frozen=True)
class Finding:
    """What a rule found for one child.

    ``key`` identifies the concern within the rule and child: findings with the same key add their
    evidence to one concern (a pattern that keeps growing); a new key is a new concern.
    """

    key: str
    evidence: tuple[str, ...]
    explanation: str
    severity: Severity | None = None


Check = Callable[["Case", Mapping[str, float]], Iterable[Finding]]


@dataclass(frozen=True)
class Wait:
    """A rule that waits to see whether something follows an event (a referral after a parent's
    arrest, say) is judged once more when the wait runs out, even if no other event comes.

    ``opens`` says which events start a wait, among events of the ``types`` given; ``hours`` names
    the rule's parameter holding its length. The check runs as of the moment the wait ends, on a
    copy of the event that opened it (``EventView.wake``).
    """

    types: frozenset[EventType]
    opens: Callable[[EventView], bool]
    hours: str

    def due(self, event: EventView, settings: Mapping[str, float]) -> datetime:
        return event.at + timedelta(hours=settings[self.hours])


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    description: str
    learning: tuple[str, ...]
    severity: Severity
    triggers: frozenset[EventType]
    check: Check
    actions: tuple[ActionSpec, ...] = ()
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    waits: Wait | None = None

    def __post_init__(self) -> None:
        if not self.triggers and self.waits is None:
            raise ValueError(f"rule {self.id} is set off by no event and waits for none")
        if self.waits is not None and self.waits.hours not in {p.name for p in self.parameters}:
            raise ValueError(
                f"rule {self.id} waits on '{self.waits.hours}', not one of its parameters"
            )

    def settings(self, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        values: dict[str, float] = {p.name: p.default for p in self.parameters}
        for name, value in (overrides or {}).items():
            if name not in values:
                raise KeyError(f"rule {self.id} has no parameter '{name}'")
            values[name] = value
        return values
