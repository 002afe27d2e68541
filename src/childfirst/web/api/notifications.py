"""Notifications shared with partner agencies, and their acknowledgement by the partner."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, StringConstraints

from childfirst.web.deps import Store, User
from childfirst.web.services.models import NotificationView
from childfirst.web.services.notifications import (
    NotificationList,
    acknowledge_notification,
    list_notifications,
)

router = APIRouter(tags=["notifications"])

NotificationId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class NotificationAcknowledgement(BaseModel):
    note: Annotated[str, StringConstraints(max_length=4000)] | None = None


@router.get("/notifications", name="api_notifications")
def api_notifications(db: Store, user: User) -> NotificationList:
    """A partner's own organisation's notifications; for the police, every notification."""
    return list_notifications(db, user)


@router.post("/notifications/{notification_id}/acknowledge", name="api_notification_acknowledge")
def api_notification_acknowledge(
    db: Store,
    user: User,
    notification_id: NotificationId,
    body: NotificationAcknowledgement | None = None,
) -> NotificationView:
    """Acknowledge a notification addressed to your organisation (audited)."""
    return acknowledge_notification(db, user, notification_id, body.note if body else None)
