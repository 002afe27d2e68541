"""A concern's page, and the forms that acknowledge and close it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from childfirst.rules.concerns import ConcernStateError
from childfirst.web.deps import Store, User
from childfirst.web.services.concern import acknowledge_concern, close_concern, view_concern
from childfirst.web.templating import render

router = APIRouter()

ConcernId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _page(
    request: Request, db: Store, user: User, concern_id: int, error: str | None, status: int
) -> HTMLResponse:
    concern = view_concern(db, user, concern_id)
    return render(request, "concern.html", {"concern": concern, "error": error}, status)


@router.get("/concerns/{concern_id}", name="concern_page", response_class=HTMLResponse)
def concern_page(request: Request, db: Store, user: User, concern_id: ConcernId) -> HTMLResponse:
    return _page(request, db, user, concern_id, None, 200)


@router.post("/concerns/{concern_id}/acknowledge", name="concern_acknowledge")
def concern_acknowledge(
    request: Request,
    db: Store,
    user: User,
    concern_id: ConcernId,
    version: Annotated[int | None, Form(ge=1, le=2**31 - 1)] = None,
) -> Response:
    try:
        acknowledge_concern(db, user, concern_id, version)
    except ConcernStateError as refused:
        return _page(request, db, user, concern_id, str(refused), 409)
    return RedirectResponse(f"/concerns/{concern_id}", status_code=303)


@router.post("/concerns/{concern_id}/close", name="concern_close")
def concern_close(
    request: Request,
    db: Store,
    user: User,
    concern_id: ConcernId,
    reason: Annotated[str, Form(max_length=4000)] = "",
    version: Annotated[int | None, Form(ge=1, le=2**31 - 1)] = None,
) -> Response:
    if not reason.strip():
        return _page(request, db, user, concern_id, "Give the reason for closing the concern.", 422)
    try:
        close_concern(db, user, concern_id, reason, version)
    except ConcernStateError as refused:
        return _page(request, db, user, concern_id, str(refused), 409)
    return RedirectResponse(f"/concerns/{concern_id}", status_code=303)
