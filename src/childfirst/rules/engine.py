"""The engine: which children an event touches, and what each rule finds for them.

The same code runs when an event is recorded or imported (online) and when the whole store is
re-evaluated (batch): both walk events in time order and judge each against the history as it stood.
Rules that wait to see whether something follows an event are judged again when their wait runs out
(``model.Wait``), as of that moment, whether or not anything else has happened by then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from childfirst.domain.vocab import EventType
from childfirst.rules.calendar import Calendar
from childfirst.rules.case import Case, EventView, History, PersonView
from childfirst.rules.model import Finding, Rule, Wait

Progress = Callable[[str, int, int], None]
Judged = tuple[Rule, dict[str, float]]  # a rule and its settings


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
        self._by_trigger: dict[EventType, list[Judged]] = {}
        self._waiting: list[tuple[Wait, Judged]] = []
        for rule in self.rules:
            settings = rule.settings(self.overrides.get(rule.id))
            for trigger in rule.triggers:
                self._by_trigger.setdefault(trigger, []).append((rule, settings))
            if rule.waits is not None:
                self._waiting.append((rule.waits, (rule, settings)))

    def triggered_by(self, event_type: EventType) -> bool:
        return event_type in self._by_trigger

    @property
    def wait_types(self) -> frozenset[EventType]:
        """The types of event that may start a wait."""
        return frozenset(t for wait, _ in self._waiting for t in wait.types)

    @property
    def longest_wait_hours(self) -> float:
        """The longest wait any rule keeps (0 when none waits)."""
        return max((settings[wait.hours] for wait, (_, settings) in self._waiting), default=0.0)

    def wakes(self, event: EventView, clock: datetime) -> list[tuple[EventView, list[Judged]]]:
        """The waits ``event`` opened that had run out by ``clock``: the event as of the end of
        each wait (``EventView.wake``), with the rule that waited."""
        found = []
        for wait, judged in self._waiting:
            if event.type not in wait.types or not wait.opens(event):
                continue
            if (due := wait.due(event, judged[1])) <= clock:
                found.append((replace(event, at=due, wake=True), [judged]))
        return found

    def judge(
        self, history: History, event: EventView, rules: Sequence[Judged] | None = None
    ) -> Iterator[Outcome]:
        """What every rule (``rules``, else those the event's type triggers) finds for every
        child the event touches."""
        chosen = self._by_trigger.get(event.type) if rules is None else rules
        if not chosen:
            return
        for child in affected_children(history, event):
            case = Case(child, event, history, self.calendar, self.incident_only)
            for rule, settings in chosen:
                for finding in rule.check(case, settings):
                    yield Outcome(rule, child, event, finding)

    def run(
        self,
        history: History,
        events: Iterable[EventView] | None = None,
        progress: Progress | None = None,
        *,
        clock: datetime | None = None,
        wakes_only: bool = False,
    ) -> Iterator[Outcome]:
        """Judge ``events`` (all of the history's by default) in time order. With ``clock``,
        also the waits they opened that had run out by then; with ``wakes_only``, only those."""
        given = list(history.events.values() if events is None else events)
        moments: list[tuple[EventView, Sequence[Judged] | None]] = []
        if not wakes_only:
            moments.extend((event, None) for event in given)
        # Judging each incident on its own has no follow-up: the baseline never wakes.
        if clock is not None and self._waiting and not self.incident_only:
            for event in given:
                moments.extend(self.wakes(event, clock))
        moments.sort(key=lambda moment: moment[0].order)
        for done, (event, rules) in enumerate(moments, start=1):
            yield from self.judge(history, event, rules)
            if progress is not None and done % 5000 == 0:
                progress("evaluating", done, len(moments))
        if progress is not None:
            progress("evaluating", len(moments), len(moments))
