"""Dates as people write them in free text.

Numeric (03/04/2012, 3.4.12, 3-4-2012, 2012-04-03, 04/2012) and written (3 April 2012, 3rd of
April, April 3rd 2012, Apr 3, 2012, April 2012) forms are found, in the British order (day before
month) where numbers alone could be read either way. A form without a year ("3 April") or without a
day ("April 2012") is found too, with the part it lacks left as None. "may" counts as a month only
when it is written with a capital ("May 3rd"), so that "they may 2 ..." is not a date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2}|'\d{2})"
_NUMBER_BEFORE = r"(?<![\d/.\-])"
_PATTERNS = (
    # 2012-04-03, 2012/4/3
    re.compile(
        _NUMBER_BEFORE + r"(?P<year>(?:19|20)\d{2})(?P<sep>[-/.])(?P<month>1[0-2]|0?[1-9])"
        r"(?P=sep)(?P<day>3[01]|[12]\d|0?[1-9])(?!\d)(?![-/.]\d)"
    ),
    # 03/04/2012, 3.4.12, 3-4-2012
    re.compile(
        _NUMBER_BEFORE + r"(?P<day>3[01]|[12]\d|0?[1-9])(?P<sep>[-/.])(?P<month>1[0-2]|0?[1-9])"
        r"(?P=sep)(?P<year>(?:19|20)?\d{2})(?!\d)(?![-/.]\d)"
    ),
    # 3 April 2012, 3rd of April, 3 Apr. '12
    re.compile(
        r"(?<![\w/.:\-])" + _DAY + r"(?:\s+of)?\s+" + _MONTH + r"(?![a-z])(?:,?\s+" + _YEAR + r")?"
        r"(?![\w/])",
        re.IGNORECASE,
    ),
    # April 3rd 2012, April 3, 2012, Apr 3
    re.compile(
        r"(?<![a-z])" + _MONTH + r"\s+" + _DAY + r"(?![\d:/.])(?:,?\s+" + _YEAR + r")?(?![\w/])",
        re.IGNORECASE,
    ),
    # April 2012
    re.compile(r"(?<![a-z])" + _MONTH + r",?\s+(?P<year>(?:19|20)\d{2})(?!\d)", re.IGNORECASE),
    # 04/2012
    re.compile(_NUMBER_BEFORE + r"(?P<month>1[0-2]|0?[1-9])/(?P<year>(?:19|20)\d{2})(?![\d/])"),
)


@dataclass(frozen=True)
class WrittenDate:
    """A date found in text, from ``start`` to ``end``; a two-digit year is given as written
    (0-99) with ``short_year`` set, and what the text did not say is None."""

    start: int
    end: int
    year: int | None
    month: int
    day: int | None
    short_year: bool = False

    def years(self) -> tuple[int, ...]:
        """The years the date may be in: a two-digit year may be of either century."""
        if self.year is None:
            return ()
        if self.short_year:
            return (2000 + self.year, 1900 + self.year)
        return (self.year,)

    def days(self) -> tuple[date, ...]:
        """The days it may be, when it names a day and a year."""
        if self.day is None:
            return ()
        return tuple(d for y in self.years() if (d := _day(y, self.month, self.day)) is not None)


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(text: str) -> int | None:
    return _MONTHS.get(text[:3].lower())


def _read(match: re.Match[str]) -> WrittenDate | None:
    groups = match.groupdict()
    month_text = groups["month"]
    month = int(month_text) if month_text.isdigit() else _month(month_text)
    if month is None:
        return None
    if month_text.lower() == "may" and not month_text[0].isupper():
        return None  # the verb, not the month
    year_text = groups.get("year")
    year: int | None = None
    short = False
    if year_text:
        digits = year_text.lstrip("'")
        year, short = int(digits), len(digits) == 2
    day_text = groups.get("day")
    day = int(day_text) if day_text else None
    if day is not None and day > calendar.monthrange(2000, month)[1]:
        return None
    found = WrittenDate(match.start(), match.end(), year, month, day, short)
    if day is not None and year is not None and not found.days():
        return None  # 29 February of a year without one, say
    return found


def find_dates(text: str) -> list[WrittenDate]:
    """The dates written in ``text``, left to right, none overlapping (the longest form wins)."""
    found: list[WrittenDate] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            written = _read(match)
            if written is not None:
                found.append(written)
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    chosen: list[WrittenDate] = []
    for written in found:
        if not chosen or written.start >= chosen[-1].end:
            chosen.append(written)
    return chosen
