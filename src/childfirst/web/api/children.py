"""A child's profile."""

from __future__ import annotations

from fastapi import APIRouter

from childfirst.web.deps import Store, User
from childfirst.web.services.child import view_child
from childfirst.web.services.models import ChildProfile
from childfirst.web.views.children import ChildId, Purpose

router = APIRouter(tags=["children"])


@router.get("/children/{child_id}", name="api_child")
def api_child(db: Store, user: User, child_id: ChildId, purpose: Purpose = None) -> ChildProfile:
    """Who the child is across sources, concerns, actions and a timeline (viewing is audited).
    A child whose processing is restricted is answered only for one of the restriction's
    purposes (``purpose``), and with its notice."""
    return view_child(db, user, child_id, purpose=purpose)
