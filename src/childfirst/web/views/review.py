"""The linkage review queue and one pair's page, with the forms that decide and withdraw."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from childfirst.errors import ConcurrentEditError
from childfirst.web.deps import Store, User
from childfirst.web.services.review import (
    ReviewStateError,
    decide_pair,
    queue,
    view_pair,
    withdraw_decision,
)
from childfirst.web.templating import render

router = APIRouter()

PairId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Reason = Annotated[str, Form(max_length=4000)]


@router.get("/linkage/review", name="review_queue_page", response_class=HTMLResponse)
def review_queue_page(request: Request, db: Store, user: User) -> HTMLResponse:
    return render(request, "review_queue.html", {"queue": queue(db, user)})


def _page(
    request: Request, db: Store, user: User, pair_id: int, error: str | None, status: int
) -> HTMLResponse:
    pair = view_pair(db, user, pair_id)
    return render(request, "review_pair.html", {"pair": pair, "error": error}, status)


@router.get("/linkage/review/{pair_id}", name="review_pair_page", response_class=HTMLResponse)
def review_pair_page(request: Request, db: Store, user: User, pair_id: PairId) -> HTMLResponse:
    return _page(request, db, user, pair_id, None, 200)


@router.post("/linkage/review/{pair_id}/decide", name="review_decide")
def review_decide(
    request: Request,
    db: Store,
    user: User,
    pair_id: PairId,
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    decision: Annotated[str, Form(max_length=20)] = "",
    reason: Reason = "",
) -> Response:
    if decision not in ("same", "not_same"):
        return _page(request, db, user, pair_id, "Choose whether they are the same person.", 422)
    if not reason.strip():
        return _page(request, db, user, pair_id, "Give the reason for the decision.", 422)
    try:
        decide_pair(
            db, user, pair_id, "same" if decision == "same" else "not_same", reason, version
        )
    except (ReviewStateError, ConcurrentEditError) as refused:
        return _page(request, db, user, pair_id, str(refused), 409)
    return RedirectResponse(f"/linkage/review/{pair_id}", status_code=303)


@router.post("/linkage/review/{pair_id}/withdraw", name="review_withdraw")
def review_withdraw(
    request: Request,
    db: Store,
    user: User,
    pair_id: PairId,
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    reason: Reason = "",
) -> Response:
    if not reason.strip():
        return _page(request, db, user, pair_id, "Give the reason for withdrawing it.", 422)
    try:
        withdraw_decision(db, user, pair_id, reason, version)
    except (ReviewStateError, ConcurrentEditError) as refused:
        return _page(request, db, user, pair_id, str(refused).capitalize() + ".", 409)
    return RedirectResponse(f"/linkage/review/{pair_id}", status_code=303)
