"""Small builders for rule tests: a ``History`` of people, events, addresses and ties, and a ``Case``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from childfirst.domain.vocab import DobPrecision, EventType, RelationshipType
from childfirst.learning import entry
from childfirst.rules.case import Case, EventView, History, PersonView, Spell, Tie
from childfirst.rules.model import Finding, Rule

START = datetime(2025, 3, 3, 14, 0)  # a Monday afternoon (stored times are UTC)
POLICE = "northmoor-police"


def born(age: int, on: datetime = START) -> date:
    """A date of birth giving ``age`` completed years at ``on`` (a birthday well in the past)."""
    return date(on.year - age - 1, 6, 1) if on.month < 6 else date(on.year - age, 1, 1)


@dataclass
class Builder:
    history: History = field(default_factory=History)
    _count: int = 0

    def person(self, key: str, name: str, age: int | None, sex: str = "female") -> str:
        dob = born(age) if age is not None else None
        self.history.persons[key] = PersonView(key, name, dob, DobPrecision.EXACT, sex)
        return key

    def event(
        self,
        kind: EventType,
        links: Sequence[tuple[str, str]],
        *,
        days: float = 0,
        summary: str | None = None,
        outcome: str | None = None,
        details: Mapping[str, object] | None = None,
        agency: str = POLICE,
        agency_kind: str = "police",
        location: str | None = None,
        reference: str | None = None,
    ) -> EventView:
        self._count += 1
        event = EventView(
            id=f"E{self._count}",
            type=kind,
            at=START + timedelta(days=days),
            ended_at=None,
            agency=agency,
            agency_kind=agency_kind,
            reference=reference if reference is not None else f"NM/25/{self._count:04d}",
            location_id=location,
            summary=summary,
            outcome=outcome,
            details=dict(details or {}),
            links=tuple(links),
        )
        self.history.add_event(event)
        return event

    def tie(self, person: str, kind: RelationshipType, other: str) -> None:
        self.history.add_tie(Tie(person, kind, other, None, None))

    def lives(self, person: str, location: str) -> None:
        self.history.add_spell(person, Spell(location, None, None))

    def case(self, child: str, trigger: EventView) -> Case:
        return Case(self.history.persons[child], trigger, self.history)

    def run(self, rule: Rule, child: str, trigger: EventView, **overrides: float) -> list[Finding]:
        return list(rule.check(self.case(child, trigger), rule.settings(overrides)))

    def wake(self, rule: Rule, child: str, opened: EventView, **overrides: float) -> list[Finding]:
        """What a waiting rule finds for the child when its wait after ``opened`` runs out."""
        assert rule.waits is not None
        settings = rule.settings(overrides)
        woken = replace(opened, at=rule.waits.due(opened, settings), wake=True)
        return list(rule.check(self.case(child, woken), settings))


def assert_cites_catalogue(rules: Sequence[Rule]) -> None:
    """Every learning id the rules cite is in the catalogue, and each rule cites some."""
    for rule in rules:
        assert rule.learning, rule.id
        for entry_id in rule.learning:
            assert entry(entry_id).id == entry_id
