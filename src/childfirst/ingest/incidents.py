"""A children-first incident: the officer's account of every child, recorded as one event.

The officer names the people dealt with and the address; ``rules.around`` lists the children the
incident touches; for each child the officer records whether the child was present, seen, spoken to
alone, and the child's own words, or why not. This module checks that account (a child not seen or
not spoken to alone needs the reason) and turns it into records in the import format, recorded by
``recording.record_batch`` like any other batch, so the rules judge it at once.

The event is recorded in the source of the records the officer chose (the force's own system): the
import format refers only to records of the same source. A child known to that source is linked by
that record; a child known only to another agency gets a record in this source, made from the
other agency's record and matched back to the child by record linkage.

A child who was present is linked as ``present`` (or in the role the officer gave); a child who was
not there is linked as ``not_present``, so the record shows the child was asked about. Each child's
account is kept in the event's details, under ``child.<source id>.<item>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.vocab import EventType, LinkRole
from childfirst.errors import ImportValidationError, RecordProblem
from childfirst.ingest.recording import Recorded, record_batch
from childfirst.store.database import Database
from childfirst.store.models import Location, Person

WHERE = "incident"
MAX_TEXT = 4000
MAX_CHILDREN = 15  # each child's account takes six details; an event holds at most 100


@dataclass(frozen=True)
class Involved:
    """A person the officer dealt with (a person record), in a role."""

    person: str
    role: LinkRole


@dataclass(frozen=True)
class ChildAccount:
    """What the officer recorded about one child (``records``: the child's person records)."""

    child: str
    records: tuple[str, ...]
    present: bool
    seen: bool
    spoken_alone: bool
    words: str = ""
    why_not_seen: str = ""
    why_not_spoken: str = ""


@dataclass(frozen=True)
class Incident:
    submission: str  # unique per form: the event's source id, so a double submission is harmless
    event_type: EventType
    occurred_at: datetime
    location: str | None
    people: Sequence[Involved]
    children: Sequence[ChildAccount] = ()
    reference: str | None = None
    summary: str | None = None
    outcome: str | None = None
    flags: dict[str, bool] = field(default_factory=dict)


def _text(value: str) -> str | None:
    return value.strip() or None


def account_problems(incident: Incident) -> list[RecordProblem]:
    """What is missing from the children's accounts: a reason wherever a child was not seen or
    not spoken to alone; and the length of what was written."""
    problems: list[RecordProblem] = []

    def problem(field: str, reason: str) -> None:
        problems.append(RecordProblem(WHERE, 0, field, reason))

    if not incident.people and incident.location is None:
        problem("people", "name at least one person or the address")
    if len(incident.children) > MAX_CHILDREN:
        problem("children", f"at most {MAX_CHILDREN} children on one incident")
    for i, child in enumerate(incident.children):
        if not child.seen and not child.why_not_seen.strip():
            problem(f"children.{i}.why_not_seen", "say why the child was not seen")
        if not child.spoken_alone and not child.why_not_spoken.strip():
            problem(f"children.{i}.why_not_spoken", "say why the child was not spoken to alone")
        if child.spoken_alone and not child.seen:
            problem(f"children.{i}.spoken_alone", "a child spoken to alone was seen")
        for name in ("words", "why_not_seen", "why_not_spoken"):
            if len(getattr(child, name)) > MAX_TEXT:
                problem(f"children.{i}.{name}", f"at most {MAX_TEXT} characters")
    return problems


@dataclass(frozen=True)
class _Source:
    agency: str
    agency_kind: str
    system: str

    def of(self, source_id: str) -> dict[str, str]:
        return {
            "agency": self.agency,
            "agency_kind": self.agency_kind,
            "system": self.system,
            "id": source_id,
        }


def _source_of(row: Person | Location) -> _Source:
    return _Source(row.agency, row.agency_kind, row.system)


def incident_records(session: Session, incident: Incident) -> list[dict[str, Any]]:
    """The incident as import-format records: the event, and a record in the event's source for
    each child known only to other agencies. Raises ``ImportValidationError`` on any problem."""
    problems = account_problems(incident)
    persons = {
        p.id: p
        for p in session.scalars(
            select(Person).where(
                Person.id.in_(
                    sorted(
                        {i.person for i in incident.people}
                        | {r for c in incident.children for r in c.records}
                    )
                )
            )
        )
    }
    location = session.get(Location, incident.location) if incident.location else None
    if incident.location is not None and location is None:
        problems.append(RecordProblem(WHERE, 0, "location", "no such address is recorded"))
    for i, who in enumerate(incident.people):
        if who.person not in persons:
            problems.append(
                RecordProblem(WHERE, 0, f"people.{i}.person", "no such person is recorded")
            )
    if problems:
        raise ImportValidationError(problems)
    first = location or persons[incident.people[0].person]
    source = _source_of(first)
    for i, who in enumerate(incident.people):
        theirs = _source_of(persons[who.person])
        if theirs != source:
            problems.append(
                RecordProblem(
                    WHERE,
                    0,
                    f"people.{i}.person",
                    f"is a record of {theirs.agency}/{theirs.system}; the incident is recorded in "
                    f"{source.agency}/{source.system}: choose that system's record of the person",
                )
            )
    if problems:
        raise ImportValidationError(problems)

    links: dict[str, str] = {}  # source id -> role
    for who in incident.people:
        links.setdefault(persons[who.person].source_id, who.role.value)
    extra: list[dict[str, Any]] = []
    details: dict[str, Any] = dict(sorted(incident.flags.items()))
    present_children = [c for c in incident.children if c.present]
    details["children_present"] = bool(present_children)
    details["children_spoken_to"] = bool(present_children) and all(
        c.spoken_alone for c in present_children
    )
    for child in incident.children:
        known = [persons[r] for r in child.records if r in persons]
        own = next((p for p in known if _source_of(p) == source), None)
        if own is not None:
            source_id = own.source_id
        elif known:
            best = known[0]
            source_id = f"CF-{best.id}"
            extra.append(_copy_of(best, source, source_id))
        else:
            continue  # a child with no record cannot be linked (the list comes from records)
        links.setdefault(
            source_id,
            LinkRole.PRESENT.value if child.present else LinkRole.NOT_PRESENT.value,
        )
        prefix = f"child.{source_id}"
        details[f"{prefix}.present"] = child.present
        details[f"{prefix}.seen"] = child.seen
        details[f"{prefix}.spoken_alone"] = child.spoken_alone
        for name in ("words", "why_not_seen", "why_not_spoken"):
            value = _text(getattr(child, name))
            if value is not None:
                details[f"{prefix}.{name}"] = value
    event: dict[str, Any] = {
        "kind": "event",
        "source": source.of(f"CF-{incident.submission}"),
        "event_type": incident.event_type.value,
        "occurred_at": incident.occurred_at.isoformat(),
        "details": details,
        "links": [{"role": role, "person": sid} for sid, role in links.items()],
    }
    if location is not None:
        event["location"] = location.source_id
    for name in ("reference", "summary", "outcome"):
        value = getattr(incident, name)
        if value is not None and value.strip():
            event[name] = value
    return [*extra, event]


def _copy_of(person: Person, source: _Source, source_id: str) -> dict[str, Any]:
    """A record in ``source`` of a child known only to another agency (never its ethnicity)."""
    name = {
        k: v
        for k, v in (("given_name", person.given_name), ("family_name", person.family_name))
        if v
    }
    record: dict[str, Any] = {
        "kind": "person",
        "source": source.of(source_id),
        "name": name,
        "dob_precision": person.dob_precision,
        "sex": person.sex,
    }
    if person.date_of_birth is not None:
        record["date_of_birth"] = person.date_of_birth.isoformat()
    return record


def record_incident(db: Database, incident: Incident, *, by: str) -> Recorded:
    """Check the incident and record it; the rules judge it at once (see ``record_batch``)."""
    with db.session() as session:
        records = incident_records(session, incident)
    return record_batch(db, records, by=by)
