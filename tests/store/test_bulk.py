"""Bulk inserts: rows written straight to the driver read back as SQLAlchemy would store them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, select

from childfirst.store.bulk import insert_rows, insert_with_ids
from childfirst.store.database import Database
from childfirst.store.models import Concern, ConcernLog


def test_shared_and_distinct_moments_are_each_stored_as_given(db: Database) -> None:
    now = datetime(2026, 3, 29, 0, 59, 59, 999999)
    moments = [now, now + timedelta(microseconds=1), now, datetime(2024, 2, 29, 12), now]
    concern = {
        "rule_id": "test.rule",
        "child_id": "child",
        "key": "k",
        "severity": "high",
        "status": "open",
        "explanation": "test",
        "learning": ["KI-01.0"],
        "first_event_at": now,
        "last_event_at": now,
        "raised_at": now,
        "updated_at": now,
        "version": 1,
    }
    with db.session(write=True) as session:
        [concern_id] = insert_with_ids(session, cast(Table, Concern.__table__), [concern])
        insert_rows(
            session,
            cast(Table, ConcernLog.__table__),
            [
                {"concern_id": concern_id, "at": at, "who": "test", "what": str(n), "why": None}
                for n, at in enumerate(moments)
            ],
        )
    with db.session() as session:
        stored = session.execute(
            select(ConcernLog.what, ConcernLog.at).order_by(ConcernLog.id)
        ).all()
        assert [(what, at.replace(tzinfo=None)) for what, at in stored] == [
            (str(n), at) for n, at in enumerate(moments)
        ]
        later = session.scalars(
            select(ConcernLog.what).where(ConcernLog.at > now).order_by(ConcernLog.id)
        ).all()
        assert later == ["1"]
