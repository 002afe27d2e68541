"""Who a concern's evidence is about, as record linkage now sees people.

A concern is about a child key: a source person record before linkage, a master person after. The
records behind that key are the record itself, the records of the master now, and the records that
have left the master since (each move is in the membership log). An evidence event is about the
person (the current master) of each of those records it links; an event that links none of them,
such as an adult's earlier incident that a rule weighs, is context and belongs to no one in
particular.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.store.models import (
    Concern,
    ConcernEvidence,
    Event,
    EventLink,
    MasterMembership,
    MasterMembershipLog,
)

CHUNK = 500
T = TypeVar("T", str, int)


def chunks(items: Collection[T]) -> Iterator[list[T]]:
    ordered = sorted(items)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


@dataclass(frozen=True)
class People:
    """The master person index as it stands, with the records that have left each master."""

    master_of: dict[str, str]
    members: dict[str, set[str]]
    left: dict[str, set[str]]
    grounds_of: dict[str, tuple[int, int | None]]

    @classmethod
    def load(cls, session: Session) -> People:
        master_of: dict[str, str] = {}
        members: dict[str, set[str]] = {}
        grounds: dict[str, tuple[int, int | None]] = {}
        for person, master, run, decision in session.execute(
            select(
                MasterMembership.person_id,
                MasterMembership.master_id,
                MasterMembership.run_id,
                MasterMembership.decision_id,
            )
        ):
            master_of[person] = master
            members.setdefault(master, set()).add(person)
            grounds[person] = (run, decision)
        left: dict[str, set[str]] = {}
        for person, old in session.execute(
            select(MasterMembershipLog.person_id, MasterMembershipLog.from_master)
            .where(MasterMembershipLog.from_master.is_not(None))
            .distinct()
        ):
            if old is not None and master_of.get(person) != old:
                left.setdefault(old, set()).add(person)
        return cls(master_of, members, left, grounds)

    def unsettled(self, key: str) -> bool:
        """Whether a concern about ``key`` may have to follow linkage: ``key`` is a record that has
        been linked, a master that is gone, or a master some of whose records are now elsewhere."""
        return key in self.left or (key not in self.members and key in self.master_of)

    def home(self, key: str) -> str | None:
        """The person ``key`` is now: itself if a master, its master if a linked record."""
        return key if key in self.members else self.master_of.get(key)

    def records(self, key: str) -> set[str]:
        found = self.members.get(key, set()) | self.left.get(key, set())
        return found | {key} if key in self.master_of else found

    def now(self, record: str) -> str:
        return self.master_of.get(record, record)

    def only_place(self, key: str) -> str | None:
        """Where every record behind ``key`` now is, when that is one person."""
        places = {self.now(r) for r in self.records(key)}
        return places.pop() if len(places) == 1 else None

    def grounds(self, records: Collection[str]) -> str:
        """The linkage runs, and decisions, that put ``records`` where they are, in words."""
        known = [self.grounds_of[r] for r in sorted(records) if r in self.grounds_of]
        runs = sorted({run for run, _ in known})
        decisions = sorted({d for _, d in known if d is not None})
        if not runs:
            return "record linkage"
        words = f"linkage run{'s' if len(runs) > 1 else ''} {', '.join(map(str, runs))}"
        if decisions:
            plural = "s" if len(decisions) > 1 else ""
            words += f" (decision{plural} {', '.join(map(str, decisions))})"
        return words


@dataclass
class Attribution:
    """A concern's evidence by the person each event is about, and the events about no one."""

    evidence: set[str]
    at: dict[str, datetime]
    parts: dict[str, set[str]] = field(default_factory=dict)
    records: dict[str, set[str]] = field(default_factory=dict)

    @property
    def context(self) -> set[str]:
        about = set().union(*self.parts.values()) if self.parts else set()
        return self.evidence - about

    def latest(self, person: str) -> datetime:
        return max(self.at[e] for e in self.parts[person])

    def span(self, events: Collection[str]) -> tuple[datetime, datetime] | None:
        times = [self.at[e] for e in events if e in self.at]
        return (min(times), max(times)) if times else None


def attribute(
    session: Session, concerns: Sequence[Concern], people: People
) -> dict[int, Attribution]:
    """Each concern's evidence, split by the person (current master) each event is about."""
    evidence: dict[int, set[str]] = {c.id: set() for c in concerns}
    for ids in chunks(list(evidence)):
        for concern_id, event_id in session.execute(
            select(ConcernEvidence.concern_id, ConcernEvidence.event_id).where(
                ConcernEvidence.concern_id.in_(ids)
            )
        ):
            evidence[concern_id].add(event_id)
    events = set().union(*evidence.values()) if evidence else set()
    links: dict[str, set[str]] = {}
    at: dict[str, datetime] = {}
    for chunk in chunks(events):
        for event_id, person_id in session.execute(
            select(EventLink.event_id, EventLink.person_id).where(
                EventLink.event_id.in_(chunk), EventLink.person_id.is_not(None)
            )
        ):
            if person_id is not None:
                links.setdefault(event_id, set()).add(person_id)
        for event_id, occurred_at in session.execute(
            select(Event.id, Event.occurred_at).where(Event.id.in_(chunk))
        ):
            at[event_id] = occurred_at
    found: dict[int, Attribution] = {}
    for concern in concerns:
        behind = people.records(concern.child_id)
        attribution = Attribution(evidence[concern.id], at)
        for event_id in attribution.evidence:
            for record in links.get(event_id, set()) & behind:
                person = people.now(record)
                attribution.parts.setdefault(person, set()).add(event_id)
                attribution.records.setdefault(person, set()).add(record)
        found[concern.id] = attribution
    return found
