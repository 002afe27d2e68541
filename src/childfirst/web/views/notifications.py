"""The notifications page: what was shared with a partner organisation, and acknowledging it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from childfirst.web.deps import Store, User
from childfirst.web.services.notifications import acknowledge_notification, list_notifications
from childfirst.web.templating import render

router = APIRouter()

NotificationId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/notifications", name="notifications_page", response_class=HTMLResponse)
def notifications_page(request: Request, db: Store, user: User) -> HTMLResponse:
    return render(request, "notifications.html", {"found": list_notifications(db, user)})


@router.post("/notifications/{notification_id}/acknowledge", name="notification_acknowledge")
def notification_acknowledge(
    db: Store,
    user: User,
    notification_id: NotificationId,
    note: Annotated[str, Form(max_length=4000)] = "",
) -> RedirectResponse:
    acknowledge_notification(db, user, notification_id, note or None)
    return RedirectResponse(f"/notifications#notification-{notification_id}", status_code=303)
