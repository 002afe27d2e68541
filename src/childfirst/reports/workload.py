"""Concerns raised and actions overdue, month by month.

A concern is counted in the month of the event that raised it (in a live system the rules judge an
event as it arrives, so this is also when the concern appeared). An action is overdue at a moment
when its deadline has passed and it was neither done nor cancelled, nor its concern closed, by then.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from childfirst.reports.periods import MonthCount, Period
from childfirst.store.models import Action, Concern

OPEN = ("open", "acknowledged")


def concerns_raised(session: Session, period: Period) -> list[MonthCount]:
    moments = session.scalars(
        select(Concern.first_event_at).where(
            Concern.first_event_at >= period.start, Concern.first_event_at < period.end
        )
    )
    return period.count_by_month(moments)


def overdue_actions(session: Session, period: Period) -> list[MonthCount]:
    """How many actions were overdue as each month closed (this month: as of now)."""
    rows = session.execute(
        select(Action.due_at, Action.done_at, Concern.closed_at)
        .join(Concern, Concern.id == Action.concern_id)
        .where(
            Action.status != "cancelled",
            Action.due_at < period.end,
            or_(Action.done_at.is_(None), Action.done_at > period.start),
            or_(Concern.closed_at.is_(None), Concern.closed_at > period.start),
        )
    ).all()
    # Each action is overdue from its deadline until it is done or its concern closed: count the
    # intervals open at each month's end with two sorted lists rather than a pass per month.
    starts: list[datetime] = []
    stops: list[datetime] = []
    for due, done, closed in rows:
        stop = min((t for t in (done, closed) if t is not None), default=None)
        if stop is not None and stop <= due:
            continue
        starts.append(due)
        if stop is not None:
            stops.append(stop)
    starts.sort()
    stops.sort()
    return [
        MonthCount(month, bisect_left(starts, end) - bisect_right(stops, end))
        for month, end in zip(period.month_starts, period.month_ends(), strict=True)
    ]


def open_now(session: Session, now: datetime) -> tuple[int, int]:
    """Concerns open or acknowledged (not closed, nor merged into another after record linkage),
    and open actions past their deadline on concerns not closed."""
    concerns = (
        session.scalar(select(func.count()).select_from(Concern).where(Concern.status.in_(OPEN)))
        or 0
    )
    overdue = (
        session.scalar(
            select(func.count())
            .select_from(Action)
            .join(Concern, Concern.id == Action.concern_id)
            .where(Action.status == "open", Action.due_at < now, Concern.status != "closed")
        )
        or 0
    )
    return int(concerns), int(overdue)
