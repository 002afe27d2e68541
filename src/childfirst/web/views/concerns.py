"""A concern's page, and the forms that acknowledge and close it and work its actions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from childfirst.errors import ConcurrentEditError, InvalidValueError
from childfirst.rules.concerns import ConcernStateError
from childfirst.web.deps import Store, User
from childfirst.web.permissions import allows
from childfirst.web.services.concern import (
    acknowledge_concern,
    action_concern,
    assign_action,
    assignees,
    close_concern,
    complete_action,
    view_concern,
)
from childfirst.web.templating import render

router = APIRouter()

ConcernId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ActionId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _page(
    request: Request, db: Store, user: User, concern_id: int, error: str | None, status: int
) -> HTMLResponse:
    concern = view_concern(db, user, concern_id)
    choices = assignees(db, concern.actions) if allows("action_assign", user.role) else {}
    context = {"concern": concern, "assignees": choices, "error": error}
    return render(request, "concern.html", context, status)


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
    except (ConcernStateError, ConcurrentEditError) as refused:
        return _page(request, db, user, concern_id, str(refused), 409)
    return RedirectResponse(f"/concerns/{concern_id}", status_code=303)


@router.post("/concerns/{concern_id}/close", name="concern_close")
def concern_close(
    request: Request,
    db: Store,
    user: User,
    concern_id: ConcernId,
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    if not reason.strip():
        return _page(request, db, user, concern_id, "Give the reason for closing the concern.", 422)
    try:
        close_concern(db, user, concern_id, reason, version)
    except (ConcernStateError, ConcurrentEditError) as refused:
        return _page(request, db, user, concern_id, str(refused), 409)
    return RedirectResponse(f"/concerns/{concern_id}", status_code=303)


@router.post("/actions/{action_id}/assign", name="action_assign")
def action_assign(
    request: Request,
    db: Store,
    user: User,
    action_id: ActionId,
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    assignee: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    concern_id = action_concern(db, user, action_id)
    if not assignee.strip():
        return _page(request, db, user, concern_id, "Choose who to assign the action to.", 422)
    try:
        assign_action(db, user, action_id, assignee, version)
    except InvalidValueError as refused:
        return _page(request, db, user, concern_id, str(refused), 422)
    except (ConcernStateError, ConcurrentEditError) as refused:
        return _page(request, db, user, concern_id, str(refused), 409)
    return RedirectResponse(f"/concerns/{concern_id}", status_code=303)


@router.post("/actions/{action_id}/complete", name="action_complete")
def action_complete(
    request: Request,
    db: Store,
    user: User,
    action_id: ActionId,
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    concern_id = action_concern(db, user, action_id)
    if not note.strip():
        return _page(
            request, db, user, concern_id, "Say what was done to complete the action.", 422
        )
    try:
        complete_action(db, user, action_id, note, version)
    except (ConcernStateError, ConcurrentEditError) as refused:
        return _page(request, db, user, concern_id, str(refused), 409)
    return RedirectResponse(f"/concerns/{concern_id}", status_code=303)
