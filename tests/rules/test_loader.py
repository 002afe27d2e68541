"""One view of a person from the several records linkage joined."""

from __future__ import annotations

from datetime import date

from childfirst.domain.vocab import DobPrecision
from childfirst.rules.case import PersonView
from childfirst.rules.loader import _best


def view(dob: str, name: str = "Mariam Abdullah", sex: str = "female") -> PersonView:
    return PersonView("mp_1", name, date.fromisoformat(dob), DobPrecision.EXACT, sex)


def test_most_records_decide_the_date_of_birth() -> None:
    found = _best([view("1977-10-18"), view("2008-08-30"), view("1977-10-18")])
    assert found.date_of_birth == date(1977, 10, 18)


def test_a_tie_between_an_adult_and_a_child_keeps_the_child() -> None:
    # A mother and daughter of the same name joined in error: the rules must not lose the child.
    found = _best([view("1977-10-18"), view("2008-08-30"), view("2008-08-30"), view("1977-10-18")])
    assert found.date_of_birth == date(2008, 8, 30)
    assert found.is_child_on(date(2026, 5, 24))


def test_an_exact_date_beats_a_year_only_one() -> None:
    year_only = PersonView("mp_1", "M A", date(2008, 1, 1), DobPrecision.YEAR, "unknown")
    found = _best([year_only, year_only, view("2008-08-30")])
    assert found.date_of_birth == date(2008, 8, 30)
    assert found.sex == "female"
