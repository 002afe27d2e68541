"""Children reported missing, and the children missing again and again.

A missing episode is a ``missing_reported`` event whose subject was a child on the day. Episodes are
counted per person (master person once linked), so reports from two forces about one child add up.
A child is repeat missing with ``REPEAT`` or more episodes in the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.names import UNKNOWN_NAME
from childfirst.reports.people import age_at_event, in_events, master_keys, names
from childfirst.reports.periods import MonthCount, Period
from childfirst.store.models import Event, Person

REPEAT = 3
# How many children had each number of episodes: (label, fewest, most).
BANDS = (("1", 1, 1), ("2", 2, 2), ("3 or 4", 3, 4), ("5 to 9", 5, 9), ("10 or more", 10, None))


@dataclass(frozen=True)
class RepeatMissing:
    key: str  # the child's master person, or the record while unlinked
    record_id: str  # a record of the child, to open the profile by
    name: str
    age: int
    episodes: int
    last_reported: datetime


@dataclass(frozen=True)
class MissingReport:
    period: Period
    episodes: int
    children: int
    by_month: list[MonthCount]
    by_episodes: list[tuple[str, int]]
    repeat: list[RepeatMissing]  # most episodes first


def missing_children(session: Session, period: Period) -> MissingReport:
    query = select(
        Event.id, Event.occurred_at, Person.id, Person.date_of_birth, Person.dob_precision
    )
    rows = session.execute(in_events(query, "missing_reported", ("subject",), period)).all()
    episodes: dict[str, dict[str, tuple[datetime, str, int]]] = {}  # key -> event -> details
    keys = master_keys(session, [r[2] for r in rows])
    for event_id, at, person_id, dob, precision in rows:
        age = age_at_event(dob, precision, at)
        if age is not None:
            episodes.setdefault(keys[person_id], {})[event_id] = (at, person_id, age)
    counts = {key: len(found) for key, found in episodes.items()}
    latest = {key: max(found.values()) for key, found in episodes.items()}
    repeat_keys = sorted(
        (k for k, n in counts.items() if n >= REPEAT), key=lambda k: (-counts[k], k)
    )
    named = names(session, [latest[k][1] for k in repeat_keys])
    return MissingReport(
        period=period,
        episodes=sum(counts.values()),
        children=len(counts),
        by_month=period.count_by_month(
            at for found in episodes.values() for at, _, _ in found.values()
        ),
        by_episodes=[
            (label, sum(1 for n in counts.values() if low <= n and (high is None or n <= high)))
            for label, low, high in BANDS
        ],
        repeat=[
            RepeatMissing(
                key=k,
                record_id=latest[k][1],
                name=named.get(latest[k][1], UNKNOWN_NAME),
                age=latest[k][2],
                episodes=counts[k],
                last_reported=latest[k][0],
            )
            for k in repeat_keys
        ],
    )
