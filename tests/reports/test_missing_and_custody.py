"""Repeat missing children and children in custody, counted from the records."""

from __future__ import annotations

from datetime import datetime

from childfirst.reports.custody import children_in_custody, detentions_by_month
from childfirst.reports.missing import missing_children
from childfirst.store.database import Database
from tests.reports.conftest import AS_OF, PERIOD


def test_repeat_missing_children(reports_db: Database) -> None:
    with reports_db.session() as session:
        report = missing_children(session, PERIOD)
    assert (report.episodes, report.children) == (4, 2)
    assert [(r.name, r.episodes, r.age) for r in report.repeat] == [("GivenA1 Family", 3, 14)]
    assert report.repeat[0].last_reported == datetime(2026, 3, 1, 20, 0)
    assert dict(report.by_episodes) == {"1": 1, "2": 0, "3 or 4": 1, "5 to 9": 0, "10 or more": 0}
    assert sum(m.value for m in report.by_month) == 4


def test_the_child_held_now_and_not_the_one_released(reports_db: Database) -> None:
    with reports_db.session() as session:
        held = children_in_custody(session, AS_OF)
    assert [(c.name, c.age, c.hours, c.overnight) for c in held] == [
        ("GivenB2 Family", 16, 10.0, True)
    ]
    with reports_db.session() as session:
        # A day and more later, a detention with no recorded end no longer counts.
        assert children_in_custody(session, datetime(2026, 3, 16, 3, 0)) == []
        # During W2's six hours in January, W2 was held.
        assert [c.name for c in children_in_custody(session, datetime(2026, 1, 10, 12))] == [
            "GivenW2 Family"
        ]


def test_detentions_of_children_by_month(reports_db: Database) -> None:
    with reports_db.session() as session:
        months = detentions_by_month(session, PERIOD)
    assert {m.month.month: m.value for m in months if m.value} == {1: 1, 3: 1}
