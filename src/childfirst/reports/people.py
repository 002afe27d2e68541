"""People as the reports count them: one person per master person (or per record while
unlinked), a child by their age on the day of the event."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.age import ADULT_AGE, age_at, latest_possible_birth
from childfirst.domain.vocab import DobPrecision
from childfirst.store.models import MasterMembership, Person

UNKNOWN_NAME = "(name not recorded)"


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
            found[pid] = " ".join(p for p in (given, family) if p) or UNKNOWN_NAME
    return found
