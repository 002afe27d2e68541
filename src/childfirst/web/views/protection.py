"""The retention review page: who is due for review under the force's schedule, and a form for
each to record the decision (retain with a reason and the next review, or erase)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from childfirst.errors import ConcurrentEditError, InvalidValueError, NotFoundError
from childfirst.protection import retention
from childfirst.web.audit import Actor
from childfirst.web.auth import CurrentUser
from childfirst.web.deps import Store, User
from childfirst.web.templating import render

router = APIRouter()
SHOWN = 100  # people listed on the page, longest overdue first


def _actor(user: CurrentUser) -> Actor:
    return Actor(user.username, user.role.value)


def _page(
    request: Request,
    db: Store,
    user: CurrentUser,
    *,
    error: str | None = None,
    done: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    due = retention.due_for_review(db, _actor(user), limit=SHOWN)
    return render(
        request,
        "retention_review.html",
        {"due": due, "error": error, "done": done},
        status,
    )


@router.get("/protection/review", name="retention_review_page", response_class=HTMLResponse)
def retention_review_page(request: Request, db: Store, user: User) -> HTMLResponse:
    decided = request.query_params.get("decided")
    done = "The decision is recorded." if decided else None
    return _page(request, db, user, done=done)


@router.post("/protection/review", name="retention_decide")
def retention_decide(
    request: Request,
    db: Store,
    user: User,
    person: Annotated[str, Form(max_length=24)] = "",
    decision: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    next_review_on: Annotated[str, Form(max_length=10)] = "",
    last_decision: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    if decision not in (retention.RETAIN, retention.ERASE):
        return _page(request, db, user, error="Choose to retain or to erase.", status=422)
    if not reason.strip():
        return _page(request, db, user, error="Give the reason for the decision.", status=422)
    try:
        next_review = date.fromisoformat(next_review_on) if next_review_on else None
    except ValueError:
        return _page(request, db, user, error="Give the next review as a date.", status=422)
    last_seen = int(last_decision) if last_decision.isdigit() else None
    try:
        retention.decide(
            db,
            _actor(user),
            person,
            decision,
            reason,
            last_seen=last_seen,
            next_review_on=next_review,
        )
    except ConcurrentEditError as changed:
        return _page(request, db, user, error=str(changed), status=409)
    except (InvalidValueError, NotFoundError) as refused:
        return _page(request, db, user, error=str(refused), status=422)
    return RedirectResponse("/protection/review?decided=1", status_code=303)
