from __future__ import annotations

from datetime import date

import pytest

from childfirst.domain.age import age_at, is_child
from childfirst.domain.vocab import DobPrecision


def test_a_child_the_day_before_the_eighteenth_birthday_and_an_adult_on_it() -> None:
    dob = date(2008, 6, 15)
    assert is_child(dob, date(2026, 6, 14)) is True
    assert age_at(dob, date(2026, 6, 14)) == 17
    assert is_child(dob, date(2026, 6, 15)) is False
    assert age_at(dob, date(2026, 6, 15)) == 18


def test_seventeen_year_olds_are_children() -> None:
    assert is_child(date(2009, 1, 1), date(2026, 12, 31)) is True


def test_leap_day_birthday_counts_from_first_of_march_in_common_years() -> None:
    dob = date(2008, 2, 29)
    assert is_child(dob, date(2026, 2, 28)) is True
    assert is_child(dob, date(2026, 3, 1)) is False


def test_unknown_date_of_birth_gives_no_answer() -> None:
    assert is_child(None, date(2026, 1, 1)) is None


def test_not_yet_born_is_not_a_child_on_that_date() -> None:
    assert is_child(date(2026, 5, 1), date(2026, 4, 30)) is False
    assert is_child(date(2026, 5, 1), date(2026, 5, 1)) is True


@pytest.mark.parametrize(
    ("precision", "expected"),
    [(DobPrecision.EXACT, False), (DobPrecision.MONTH, True), (DobPrecision.YEAR, True)],
)
def test_partly_known_birth_dates_err_towards_childhood(
    precision: DobPrecision, expected: bool
) -> None:
    # Recorded as 1 March 2008: exactly 18 on 1 March 2026, but if only the month or year is
    # known the person may have been born later and still be 17.
    assert is_child(date(2008, 3, 1), date(2026, 3, 1), precision) is expected


def test_age_before_birth_is_refused() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_at(date(2020, 1, 2), date(2020, 1, 1))
