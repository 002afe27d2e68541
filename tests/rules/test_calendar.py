from __future__ import annotations

from datetime import date, datetime

import pytest

from childfirst.domain.vocab import Jurisdiction
from childfirst.rules.calendar import Calendar, bank_holidays, easter_sunday


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5))],
)
def test_easter(year: int, expected: date) -> None:
    assert easter_sunday(year) == expected


def test_bank_holidays_differ_by_jurisdiction() -> None:
    england = bank_holidays(2026, Jurisdiction.ENGLAND_AND_WALES)
    scotland = bank_holidays(2026, Jurisdiction.SCOTLAND)
    assert date(2026, 4, 6) in england  # Easter Monday
    assert date(2026, 4, 6) not in scotland
    assert date(2026, 1, 2) in scotland
    assert date(2026, 8, 31) in england
    assert date(2026, 8, 3) in scotland
    # Christmas Day 2027 is a Saturday: substitute days on Monday and Tuesday
    assert {date(2027, 12, 27), date(2027, 12, 28)} <= bank_holidays(
        2027, Jurisdiction.ENGLAND_AND_WALES
    )


def test_next_school_day_skips_weekends_holidays_and_term_breaks() -> None:
    calendar = Calendar(school_holidays=((date(2026, 2, 16), date(2026, 2, 20)),))
    # Friday 13 February 2026, 22:00 UTC (22:00 UK): due Monday? No - half term, so Monday 23rd.
    due = calendar.next_school_day_start(datetime(2026, 2, 13, 22, 0))
    assert due == datetime(2026, 2, 23, 9, 0)
    # Thursday 2 April 2026 at 23:30 UK (22:30 UTC): Good Friday and Easter Monday are holidays.
    assert Calendar().next_school_day_start(datetime(2026, 4, 2, 22, 30)) == datetime(
        2026, 4, 7, 8, 0
    )


def test_an_incident_before_school_starts_is_due_that_morning() -> None:
    # Tuesday 10 November 2026, 06:30 UK (= UTC in winter): due 09:00 the same day.
    assert Calendar().next_school_day_start(datetime(2026, 11, 10, 6, 30)) == datetime(
        2026, 11, 10, 9, 0
    )


def test_person_view_childhood_matches_the_domain_rule() -> None:
    from datetime import timedelta

    from childfirst.domain.age import is_child
    from childfirst.domain.vocab import DobPrecision
    from childfirst.rules.case import PersonView

    for dob in (date(2008, 2, 29), date(2008, 3, 1), date(2007, 12, 31)):
        for precision in DobPrecision:
            view = PersonView("p", "x", dob, precision, "female")
            for offset in range(-400, 400, 7):
                day = date(2026, 2, 28) + timedelta(days=offset)
                assert view.is_child_on(day) == bool(is_child(dob, day, precision)), (
                    dob,
                    precision,
                    day,
                )
