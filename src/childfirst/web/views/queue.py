"""The work queue page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from childfirst.domain.clock import utcnow
from childfirst.web.deps import Store, User
from childfirst.web.services.queue import work_queue
from childfirst.web.templating import render

router = APIRouter()


@router.get("/queue", name="queue_page", response_class=HTMLResponse)
def queue_page(request: Request, db: Store, user: User) -> HTMLResponse:
    now = utcnow()
    return render(request, "queue.html", {"queue": work_queue(db, user, now)})
