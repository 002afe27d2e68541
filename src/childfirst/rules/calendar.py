"""Deadlines: working out when an action falls due.

School days are Monday to Friday, outside bank holidays and any school holidays a force configures.
Bank holidays differ by jurisdiction and are computed, not listed, so the calendar never runs out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from childfirst.domain.clock import UK, to_local, to_utc
from childfirst.domain.vocab import Jurisdiction


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def _substitute(days: list[date]) -> set[date]:
    """Holidays falling at a weekend move to the next free weekday."""
    taken: set[date] = set()
    for day in sorted(days):
        while day.weekday() >= 5 or day in taken:
            day += timedelta(days=1)
        taken.add(day)
    return taken


@lru_cache(maxsize=256)
def bank_holidays(year: int, jurisdiction: Jurisdiction) -> frozenset[date]:
    easter = easter_sunday(year)
    fixed = [date(year, 1, 1), date(year, 12, 25), date(year, 12, 26)]
    movable = {easter - timedelta(days=2), _monday_on_or_after(date(year, 5, 1))}
    movable.add(_last_monday(year, 5))
    if jurisdiction is Jurisdiction.SCOTLAND:
        fixed += [date(year, 1, 2), date(year, 11, 30)]
        movable.add(_monday_on_or_after(date(year, 8, 1)))
    else:
        movable.add(easter + timedelta(days=1))
        movable.add(_last_monday(year, 8))
    if jurisdiction is Jurisdiction.NORTHERN_IRELAND:
        fixed += [date(year, 3, 17), date(year, 7, 12)]
    return frozenset(_substitute(fixed) | movable)


@dataclass(frozen=True)
class Calendar:
    jurisdiction: Jurisdiction = Jurisdiction.ENGLAND_AND_WALES
    school_holidays: tuple[tuple[date, date], ...] = field(default_factory=tuple)

    def is_school_day(self, day: date) -> bool:
        if day.weekday() >= 5 or day in bank_holidays(day.year, self.jurisdiction):
            return False
        return not any(start <= day <= end for start, end in self.school_holidays)

    def next_school_day_start(self, after: datetime, opens: time = time(9, 0)) -> datetime:
        """The start of the next school day after ``after`` (stored UTC), as stored UTC.

        An incident at 07:00 on a school day is due before that day's start; one at 10:00 is due
        before the next school day's.
        """
        local = to_local(after)
        day = local.date()
        if local.time() >= opens or not self.is_school_day(day):
            day += timedelta(days=1)
            while not self.is_school_day(day):
                day += timedelta(days=1)
        return to_utc(datetime.combine(day, opens, tzinfo=UK))
