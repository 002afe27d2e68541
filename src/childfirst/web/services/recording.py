"""Recording records through the web: the library's recording, audited, and what it raised.

The pages and the API both come here, and both reach ``childfirst.ingest.recording``: the same
validation, the same all-or-nothing write, the same rules judging the events at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from childfirst.domain.clock import utcnow
from childfirst.ingest.recording import Recorded, record_batch
from childfirst.sharing.notifications import notifications_of
from childfirst.store.database import Database
from childfirst.store.models import Action, Concern
from childfirst.web import audit
from childfirst.web.auth import CurrentUser
from childfirst.web.services.concern import actor, notification_view, shared_with
from childfirst.web.services.models import ActionView, NotificationView
from childfirst.web.services.names import child_names, rule_title


class RaisedConcern(BaseModel):
    """A concern that rests on what was recorded, with its actions and who it was shared with."""

    id: int
    rule_id: str
    rule_title: str
    severity: str
    status: str
    child_id: str
    child_name: str
    explanation: str
    actions: list[ActionView]
    notifications: list[NotificationView]


class RecordingResult(BaseModel):
    batch_id: int
    records: int
    created: int
    changed: int
    unchanged: int
    events: list[str]
    raised: int
    grown: int
    concerns: list[RaisedConcern]


def raised_concerns(
    db: Database, user: CurrentUser, concern_ids: Sequence[int]
) -> list[RaisedConcern]:
    if not concern_ids:
        return []
    now = utcnow()
    with db.session() as session:
        concerns = session.scalars(
            select(Concern).where(Concern.id.in_(sorted(concern_ids))).order_by(Concern.id)
        ).all()
        actions = session.scalars(
            select(Action)
            .where(Action.concern_id.in_(sorted(concern_ids)))
            .order_by(Action.due_at, Action.id)
        ).all()
        shared = shared_with(user, notifications_of(session, concern_ids))
        names = child_names(session, {c.child_id for c in concerns})
    return [
        RaisedConcern(
            id=c.id,
            rule_id=c.rule_id,
            rule_title=rule_title(c.rule_id),
            severity=c.severity,
            status=c.status,
            child_id=c.child_id,
            child_name=names[c.child_id],
            explanation=c.explanation,
            actions=[ActionView.of(a, now) for a in actions if a.concern_id == c.id],
            notifications=[notification_view(n) for n in shared if n.concern_id == c.id],
        )
        for c in concerns
    ]


def _audit(db: Database, user: CurrentUser, recorded: Recorded) -> None:
    touched = set(recorded.summary.events_touched)
    if not touched:
        return  # sent again unchanged: nothing was recorded
    with db.session(write=True) as session:
        for event_id in recorded.event_ids:
            if event_id in touched:
                audit.record(session, actor(user), "recorded event", "event", event_id)


def record_records(db: Database, user: CurrentUser, items: Sequence[Any]) -> RecordingResult:
    """Record ``items`` (import-format records) for ``user``; see ``record_batch``."""
    recorded = record_batch(db, items, by=user.username)
    _audit(db, user, recorded)
    summary, evaluation = recorded.summary, recorded.evaluation
    return RecordingResult(
        batch_id=summary.batch_id,
        records=summary.records,
        created=summary.total_created,
        changed=summary.total_changed,
        unchanged=summary.total_unchanged,
        events=recorded.event_ids,
        raised=evaluation.raised if evaluation else 0,
        grown=evaluation.grown if evaluation else 0,
        concerns=raised_concerns(db, user, recorded.concern_ids),
    )
