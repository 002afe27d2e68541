"""Children in police custody: who is held now, and how many are held month by month.

A detention is a ``custody_detention`` event whose detainee was a child on the day. It lasts until
its recorded end; with no end recorded it is taken to last ``ASSUMED_HOURS`` (the basic limit on
detention without charge under PACE), so a record never closed does not keep a child "in custody"
for ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from childfirst.domain.names import UNKNOWN_NAME
from childfirst.reports.people import age_at_event, in_events, master_keys, names
from childfirst.reports.periods import MonthCount, Period
from childfirst.store.models import Event, Person

ASSUMED_HOURS = 24
DETENTION = "custody_detention"
DETAINEE = ("detainee",)


@dataclass(frozen=True)
class InCustody:
    key: str
    record_id: str
    name: str
    age: int
    detained_at: datetime
    hours: float
    overnight: bool


def children_in_custody(session: Session, now: datetime) -> list[InCustody]:
    """Children held at ``now``, longest held first."""
    assumed = timedelta(hours=ASSUMED_HOURS)
    held_then = in_events(
        select(
            Event.occurred_at, Event.details, Person.id, Person.date_of_birth, Person.dob_precision
        ),
        DETENTION,
        DETAINEE,
    ).where(
        Event.occurred_at <= now,
        or_(
            Event.ended_at > now,
            and_(Event.ended_at.is_(None), Event.occurred_at > now - assumed),
        ),
    )
    rows = session.execute(held_then).all()
    keys = master_keys(session, [r[2] for r in rows])
    named = names(session, keys)
    held: dict[str, InCustody] = {}
    for at, details, person_id, dob, precision in rows:
        age = age_at_event(dob, precision, at)
        if age is None:
            continue
        found = InCustody(
            key=keys[person_id],
            record_id=person_id,
            name=named.get(person_id, UNKNOWN_NAME),
            age=age,
            detained_at=at,
            hours=round((now - at).total_seconds() / 3600, 1),
            overnight=bool((details or {}).get("overnight")),
        )
        if found.key not in held or at < held[found.key].detained_at:
            held[found.key] = found
    return sorted(held.values(), key=lambda c: (c.detained_at, c.key))


def detentions_by_month(session: Session, period: Period) -> list[MonthCount]:
    """Detentions of children begun in each month."""
    query = select(Event.occurred_at, Person.date_of_birth, Person.dob_precision)
    rows = session.execute(in_events(query, DETENTION, DETAINEE, period)).all()
    return period.count_by_month(
        at for at, dob, precision in rows if age_at_event(dob, precision, at) is not None
    )
