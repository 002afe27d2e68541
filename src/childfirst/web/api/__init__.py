"""The JSON API, version 1: the same reads and changes as the pages, for other systems."""

from __future__ import annotations

from fastapi import APIRouter

from childfirst.web.api import (
    actions,
    case_review,
    children,
    concerns,
    events,
    notifications,
    protection,
    queue,
    review,
    search,
)
from childfirst.web.errors import problem_responses

PREFIX = "/api/v1"

# Every operation may answer with these errors, as problem details.
router = APIRouter(prefix=PREFIX, responses=problem_responses())
router.include_router(queue.router)
router.include_router(concerns.router)
router.include_router(actions.router)
router.include_router(children.router)
router.include_router(events.router)
router.include_router(notifications.router)
router.include_router(search.router)
router.include_router(review.router)
router.include_router(case_review.router)
router.include_router(protection.router)
