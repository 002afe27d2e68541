"""Concerns raised by month, actions overdue at each month's end, and the figures now."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session

from childfirst.reports.periods import Period
from childfirst.reports.workload import concerns_raised, open_now, overdue_actions
from childfirst.store.database import Database
from childfirst.store.models import Action, Concern
from tests.reports.conftest import AS_OF, PERIOD


def _concern(session: Session, key: str, first: datetime, closed: datetime | None = None) -> int:
    concern = Concern(
        rule_id="test.rule",
        child_id="per_0001",
        key=key,
        severity="high",
        status="closed" if closed else "open",
        explanation="test",
        learning=[],
        first_event_at=first,
        last_event_at=first,
        raised_at=first,
        updated_at=first,
        closed_at=closed,
        closed_reason="done" if closed else None,
        closed_by="tester" if closed else None,
    )
    session.add(concern)
    session.flush()
    return concern.id


def _action(
    session: Session, concern_id: int, due: datetime, done: datetime | None = None, status: str = ""
) -> None:
    session.add(
        Action(
            concern_id=concern_id,
            title="Tell the school",
            owner_role="public_protection",
            due_at=due,
            due_rule="next school day",
            status=status or ("done" if done else "open"),
            done_at=done,
        )
    )


@pytest.fixture
def work(db: Database) -> Database:
    with db.session(write=True) as session:
        a = _concern(session, "a", datetime(2025, 10, 3))
        _action(session, a, datetime(2025, 10, 4))  # overdue from October, never done
        b = _concern(session, "b", datetime(2025, 12, 20))
        _action(session, b, datetime(2025, 12, 21), done=datetime(2026, 2, 10))  # Dec, Jan
        c = _concern(session, "c", datetime(2026, 1, 5), closed=datetime(2026, 1, 20))
        _action(session, c, datetime(2026, 1, 6))  # overdue until its concern closed
        d = _concern(session, "d", datetime(2026, 3, 1))
        _action(session, d, datetime(2026, 3, 2), status="cancelled")  # never counted
        _action(session, d, datetime(2026, 3, 20))  # not due yet
        _concern(session, "e", datetime(2025, 5, 1))  # before the period
        merged = _concern(session, "f", datetime(2025, 5, 2))
        session.get_one(Concern, merged).status = "merged"  # into another after record linkage
    return db


def test_concerns_are_counted_in_the_month_of_the_event_that_raised_them(work: Database) -> None:
    with work.session() as session:
        raised = concerns_raised(session, PERIOD)
    assert [(m.month, m.value) for m in raised] == [
        (date(2025, 10, 1), 1),
        (date(2025, 11, 1), 0),
        (date(2025, 12, 1), 1),
        (date(2026, 1, 1), 1),
        (date(2026, 2, 1), 0),
        (date(2026, 3, 1), 1),
    ]


def test_overdue_actions_at_each_months_end(work: Database) -> None:
    with work.session() as session:
        overdue = overdue_actions(session, PERIOD)
    # October to February: a; then b from 21 December until 10 February; c closed in January.
    assert [m.value for m in overdue] == [1, 1, 2, 2, 1, 1]


def test_figures_now(work: Database) -> None:
    with work.session() as session:
        assert open_now(session, AS_OF) == (4, 1)


def test_a_period_is_whole_months_up_to_now() -> None:
    period = Period.ending(datetime(2026, 1, 31, 23, 0), 3)
    assert period.month_starts == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]
    assert period.start == datetime(2025, 11, 1)
    assert period.month_ends()[-1] == datetime(2026, 1, 31, 23, 0)
    with pytest.raises(ValueError, match="at least one month"):
        Period.ending(months=0)
