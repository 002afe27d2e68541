"""A child's profile, and who has looked at the child's record (for supervisors)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from childfirst.web import audit
from childfirst.web.deps import Store, User
from childfirst.web.services.child import child_keys, view_child
from childfirst.web.templating import render

router = APIRouter()

ChildId = Annotated[str, Path(min_length=4, max_length=24, pattern=r"^[a-z]{2,3}_[0-9a-f]+$")]


@router.get("/children/{child_id}", name="child_page", response_class=HTMLResponse)
def child_page(request: Request, db: Store, user: User, child_id: ChildId) -> HTMLResponse:
    return render(request, "child.html", {"child": view_child(db, user, child_id)})


@router.get("/children/{child_id}/audit", name="child_audit_page", response_class=HTMLResponse)
def child_audit_page(request: Request, db: Store, user: User, child_id: ChildId) -> HTMLResponse:
    _, keys = child_keys(db, child_id)
    with db.session() as session:
        entries = audit.about_child(session, keys)
    return render(request, "child_audit.html", {"child_id": child_id, "entries": entries})
