"""The engine: which children an event touches, and what each rule finds for them.

The same code runs when an event is recorded or imported (online) and when the whole store is
re-evaluated (batch): both walk events in time order and judge each against the history as it stood.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from childfirst.domain.vocab import EventType
from childfirst.rules.calendar import Calendar
from childfirst.rules.case import Case, EventView, History, PersonView
from childfirst.rules.model import Finding, Rule

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Outcome:
    """A finding of one rule for one child, raised by one event."""

    rule: Rule
    child: PersonView
    event: EventView
    finding: Finding


def affected_children(history: History, event: EventView) -> list[PersonView]:
    """Every child the event touches: linked to it, living with someone linked to it, or living
    where it happened, on the day it happened."""
    day = event.day
    keys: set[str] = set()
    for key in {who for _, who in event.links}:
        keys.add(key)
        keys.update(history.household(key, day))
    if event.location_id is not None:
        keys.update(
            who for who, spell in history.residents.get(event.location_id, []) if spell.covers(day)
        )
    children = [
        person
        for key in sorted(keys)
        if (person := history.persons.get(key)) is not None and person.is_child_on(day)
    ]
    return children


@dataclass
class Engine:
    rules: tuple[Rule, ...]
    calendar: Calendar = field(default_factory=Calendar)
    overrides: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    incident_only: bool = False  # the incident-by-incident baseline, for comparison only

    def __post_init__(self) -> None:
        self._by_trigger: dict[EventType, list[tuple[Rule, dict[str, float]]]] = {}
        for rule in self.rules:
            settings = rule.settings(self.overrides.get(rule.id))
            for trigger in rule.triggers:
                self._by_trigger.setdefault(trigger, []).append((rule, settings))

    def triggered_by(self, event_type: EventType) -> bool:
        return event_type in self._by_trigger

    def judge(self, history: History, event: EventView) -> Iterator[Outcome]:
        """What every rule finds for every child the event touches."""
        rules = self._by_trigger.get(event.type)
        if not rules:
            return
        for child in affected_children(history, event):
            case = Case(child, event, history, self.calendar, self.incident_only)
            for rule, settings in rules:
                for finding in rule.check(case, settings):
                    yield Outcome(rule, child, event, finding)

    def run(
        self,
        history: History,
        events: Iterable[EventView] | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Outcome]:
        """Judge ``events`` (all of the history's by default) in time order."""
        chosen = sorted(
            history.events.values() if events is None else events, key=lambda e: e.order
        )
        for done, event in enumerate(chosen, start=1):
            yield from self.judge(history, event)
            if progress is not None and done % 5000 == 0:
                progress("evaluating", done, len(chosen))
        if progress is not None:
            progress("evaluating", len(chosen), len(chosen))
