"""Notifications shared with partner agencies: the list each user may see, and acknowledging one.

A partner user sees only the notifications addressed to their own organisation (a school, its own
pupils'); the police see every notification and whether, by whom and when it was acknowledged.
Acknowledging is audited in the same transaction as the change.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import select

from childfirst.sharing import notifications as sharing
from childfirst.store.database import Database
from childfirst.store.models import Concern
from childfirst.store.sharing import Notification
from childfirst.web import audit
from childfirst.web.auth import CurrentUser
from childfirst.web.permissions import is_partner
from childfirst.web.services.concern import actor, notification_view
from childfirst.web.services.models import NotificationView
from childfirst.web.services.names import child_names, rule_title

LIMIT = 500


class NotificationItem(BaseModel):
    notification: NotificationView
    child_id: str
    child_name: str
    rule_id: str
    rule_title: str
    explanation: str
    concern_status: str


class NotificationList(BaseModel):
    role: str
    organisation: str | None
    items: list[NotificationItem]


def list_notifications(db: Database, user: CurrentUser) -> NotificationList:
    """Unacknowledged first, newest first; a partner's own organisation's only."""
    query = select(Notification, Concern).join(Concern, Concern.id == Notification.concern_id)
    if is_partner(user):
        query = query.where(sharing.addressed_to(user.role, user.agency_code))
    query = query.order_by(
        Notification.acknowledged_at.is_not(None), Notification.created_at.desc(), Notification.id
    ).limit(LIMIT)
    with db.session() as session:
        rows = session.execute(query).all()
        names = child_names(session, {c.child_id for _, c in rows})
    audit.viewed_list(db, user, "notifications", (c.child_id for _, c in rows))
    return NotificationList(
        role=user.role.value,
        organisation=user.agency_code if is_partner(user) else None,
        items=[
            NotificationItem(
                notification=notification_view(n),
                child_id=c.child_id,
                child_name=names[c.child_id],
                rule_id=c.rule_id,
                rule_title=rule_title(c.rule_id),
                explanation=c.explanation,
                concern_status=c.status,
            )
            for n, c in rows
        ],
    )


def acknowledge_notification(
    db: Database, user: CurrentUser, notification_id: int, note: str | None = None
) -> NotificationView:
    """The partner acknowledges a notification addressed to its organisation (again: no change)."""
    with db.session(write=True) as session:
        notification, changed = sharing.acknowledge(
            session,
            notification_id,
            role=user.role,
            organisation=user.agency_code,
            by=user.username,
            note=note,
        )
        if changed:
            concern = session.get(Concern, notification.concern_id)
            audit.record(
                session,
                actor(user),
                "acknowledged notification",
                "notification",
                str(notification_id),
                child_id=concern.child_id if concern else None,
                why=notification.note,
            )
        return notification_view(notification)
