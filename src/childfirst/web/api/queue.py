"""The signed-in role's work queue."""

from __future__ import annotations

from fastapi import APIRouter

from childfirst.web.deps import Store, User
from childfirst.web.services.models import WorkQueue
from childfirst.web.services.queue import work_queue

router = APIRouter(tags=["work queue"])


@router.get("/queue", name="api_queue")
def api_queue(db: Store, user: User) -> WorkQueue:
    """Open actions for the signed-in role, overdue first, then by deadline."""
    return work_queue(db, user)
