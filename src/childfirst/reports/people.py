"""People as the reports (and the picture of who is around a child) count them: one person per
master person (or per record while unlinked), a child by their age on the day of the event."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from childfirst.domain.age import ADULT_AGE, age_at, latest_possible_birth
from childfirst.domain.clock import local_date
from childfirst.domain.names import full_name
from childfirst.domain.vocab import DobPrecision
from childfirst.reports.periods import Period
from childfirst.store.models import Event, EventLink, MasterMembership, Person

Query = TypeVar("Query", bound="Select[*tuple[Any, ...]]")


def precision_of(value: str) -> DobPrecision:
    try:
        return DobPrecision(value)
    except ValueError:
        return DobPrecision.ESTIMATED


def child_age(dob: date | None, precision: DobPrecision, on: date) -> int | None:
    """The age on ``on`` of someone who was then a child, or None (an adult, not yet born, or a
    date of birth not recorded). A partly known date of birth counts towards being a child."""
    if dob is None or on < dob:
        return None
    age = age_at(min(latest_possible_birth(dob, precision), on), on)
    return age if age < ADULT_AGE else None


def age_at_event(dob: date | None, precision: str, at: datetime) -> int | None:
    """The age of someone who was a child on the (local) day of an event at ``at``, or None."""
    return child_age(dob, precision_of(precision), local_date(at))


def in_events(
    query: Query, event_type: str, roles: Collection[str], period: Period | None = None
) -> Query:
    """``query`` over the events of ``event_type`` (begun in ``period``, when given) and the
    people linked to them in one of ``roles``."""
    query = (
        query.join(EventLink, EventLink.event_id == Event.id)
        .join(Person, Person.id == EventLink.person_id)
        .where(Event.event_type == event_type, EventLink.role.in_(roles))
    )
    if period is not None:
        query = query.where(Event.occurred_at >= period.start, Event.occurred_at < period.end)
    return query


def master_keys(session: Session, record_ids: Iterable[str]) -> dict[str, str]:
    """The master person of each record, or the record itself while it is unlinked."""
    ids = sorted(set(record_ids))
    found: dict[str, str] = {}
    for start in range(0, len(ids), 1000):
        rows = session.execute(
            select(MasterMembership.person_id, MasterMembership.master_id).where(
                MasterMembership.person_id.in_(ids[start : start + 1000])
            )
        )
        found.update((person, master) for person, master in rows)
    return {i: found.get(i, i) for i in ids}


def names(session: Session, record_ids: Iterable[str]) -> dict[str, str]:
    ids = sorted(set(record_ids))
    found: dict[str, str] = {}
    for start in range(0, len(ids), 1000):
        rows = session.execute(
            select(Person.id, Person.given_name, Person.family_name).where(
                Person.id.in_(ids[start : start + 1000])
            )
        )
        for pid, given, family in rows:
            found[pid] = full_name(given, family)
    return found
