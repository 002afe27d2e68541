"""Age at a date, and who counts as a child.

A child is anyone under 18, 17-year-olds included. When a date of birth is only partly known, the
record errs towards treating the person as a child: the latest birth date the record allows is used.
"""

from __future__ import annotations

import calendar
from datetime import date

from childfirst.domain.vocab import DobPrecision

ADULT_AGE = 18


def birthday_in(year: int, dob: date) -> date:
    """The date on which someone born on ``dob`` has their birthday in ``year``.

    Someone born on 29 February has their birthday on 1 March in a year that is not a leap year.
    """
    if dob.month == 2 and dob.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return date(year, dob.month, dob.day)


def age_at(dob: date, on: date) -> int:
    """Completed years of age on ``on`` for someone born on ``dob``."""
    if on < dob:
        raise ValueError(f"date {on.isoformat()} is before the date of birth {dob.isoformat()}")
    years = on.year - dob.year
    if on < birthday_in(on.year, dob):
        years -= 1
    return years


def latest_possible_birth(dob: date, precision: DobPrecision) -> date:
    """The latest birth date consistent with a recorded date of birth of the given precision."""
    if precision is DobPrecision.MONTH:
        return date(dob.year, dob.month, calendar.monthrange(dob.year, dob.month)[1])
    if precision in (DobPrecision.YEAR, DobPrecision.ESTIMATED):
        return date(dob.year, 12, 31)
    return dob


def is_child(
    dob: date | None, on: date, precision: DobPrecision = DobPrecision.EXACT
) -> bool | None:
    """Whether the person was a child on ``on``; ``None`` when the date of birth is unknown.

    A person not yet born on ``on`` is not a child on that date.
    """
    if dob is None:
        return None
    if on < dob:
        return False
    latest = latest_possible_birth(dob, precision)
    return age_at(min(latest, on), on) < ADULT_AGE
