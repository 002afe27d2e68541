"""Dates as people write them: numeric and written, with and without a year, British order."""

from __future__ import annotations

from datetime import date

import pytest

from childfirst.written_dates import find_dates


@pytest.mark.parametrize(
    "text",
    [
        "03/04/2012",
        "3/4/2012",
        "3.4.12",
        "3-4-2012",
        "2012-04-03",
        "2012/04/03",
        "3 April 2012",
        "3rd April 2012",
        "3rd of April 2012",
        "3 Apr. 2012",
        "April 3rd 2012",
        "April 3, 2012",
        "APRIL 3RD 2012",
    ],
)
def test_every_form_of_one_day_is_found(text: str) -> None:
    found = find_dates(f"Seen on {text}, at home.")
    assert len(found) == 1
    written = found[0]
    assert f"Seen on {text}, at home."[written.start : written.end] == text
    assert date(2012, 4, 3) in written.days()


def test_forms_without_a_year_or_a_day_say_what_they_lack() -> None:
    yearless, month = find_dates("Her birthday is 30 June; she moved in June 2016.")
    assert (yearless.year, yearless.month, yearless.day) == (None, 6, 30)
    assert (month.year, month.month, month.day) == (2016, 6, None)


@pytest.mark.parametrize(
    "text",
    [
        "they may 2 times a week",
        "version 1.2.3",
        "at 23.40 on the night",
        "call 07700 900123",
        "31/02/2012",
        "a score of 12/20",
        "2 of 3",
    ],
)
def test_what_is_not_a_date_is_left(text: str) -> None:
    assert find_dates(text) == []
