"""A child's profile."""

from __future__ import annotations

from fastapi import APIRouter

from childfirst.web.deps import Store, User
from childfirst.web.services.child import view_child
from childfirst.web.services.models import ChildProfile
from childfirst.web.views.children import ChildId

router = APIRouter(tags=["children"])


@router.get("/children/{child_id}", name="api_child")
def api_child(db: Store, user: User, child_id: ChildId) -> ChildProfile:
    """Who the child is across sources, concerns, actions and a timeline (viewing is audited)."""
    return view_child(db, user, child_id)
