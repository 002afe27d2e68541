"""The months a dashboard covers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from childfirst.domain.clock import utcnow

PERIODS = (6, 12, 24, 60)  # the months a dashboard offers
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class MonthCount:
    month: date  # the first day of the month
    value: int


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole calendar months ending with the month of ``as_of`` (which counts up to ``as_of``)."""

    months: int
    as_of: datetime

    @classmethod
    def ending(cls, as_of: datetime | None = None, months: int = DEFAULT_MONTHS) -> Period:
        if months < 1:
            raise ValueError("a period needs at least one month")
        return cls(months, as_of or utcnow())

    @property
    def month_starts(self) -> list[date]:
        return [_month_start(self.as_of.date(), back) for back in range(self.months - 1, -1, -1)]

    @property
    def start(self) -> datetime:
        first = self.month_starts[0]
        return datetime(first.year, first.month, first.day)

    @property
    def end(self) -> datetime:
        """The end of the period (exclusive): ``as_of`` itself."""
        return self.as_of

    def month_ends(self) -> list[datetime]:
        """The moment each month closes: the next month's start, or ``as_of`` for this month."""
        starts = self.month_starts
        ends = [datetime(d.year, d.month, d.day) for d in starts[1:]]
        return [*ends, self.as_of]

    def month_of(self, moment: datetime) -> date | None:
        """The month a moment falls in, if it is within the period."""
        if not self.start <= moment < self.end:
            return None
        return _month_start(moment.date())

    def count_by_month(self, moments: Iterable[datetime]) -> list[MonthCount]:
        counts = dict.fromkeys(self.month_starts, 0)
        for moment in moments:
            month = self.month_of(moment)
            if month is not None:
                counts[month] += 1
        return [MonthCount(m, n) for m, n in counts.items()]
