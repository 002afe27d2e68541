"""Concerns: read one, acknowledge it, close it with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field, StringConstraints

from childfirst.web.deps import Store, User
from childfirst.web.services.concern import acknowledge_concern, close_concern, view_concern
from childfirst.web.services.models import ConcernView

# Something besides white space, as Python counts it (which the library strips, and which takes
# in the separators U+001C to U+001F that the schema's own \s leaves out).
SEEN = r"[^\s\x1c-\x1f]"

router = APIRouter(tags=["concerns"])

ConcernId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]


class Acknowledgement(BaseModel):
    # Optional: a concern is acknowledged once, so without it nothing can be overwritten.
    expected_version: Version | None = None


class Closure(BaseModel):
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000, pattern=SEEN)
    ]
    # The version of the concern the closure is based on (``version`` in the concern as read).
    expected_version: Version


@router.get("/concerns/{concern_id}", name="api_concern")
def api_concern(db: Store, user: User, concern_id: ConcernId) -> ConcernView:
    """The concern, its evidence, learning and actions (viewing is audited)."""
    return view_concern(db, user, concern_id)


@router.post("/concerns/{concern_id}/acknowledge", name="api_concern_acknowledge")
def api_concern_acknowledge(
    db: Store, user: User, concern_id: ConcernId, body: Acknowledgement | None = None
) -> ConcernView:
    version = body.expected_version if body else None
    return acknowledge_concern(db, user, concern_id, version)


@router.post("/concerns/{concern_id}/close", name="api_concern_close")
def api_concern_close(db: Store, user: User, concern_id: ConcernId, body: Closure) -> ConcernView:
    """Close the concern; a reason is required and is kept with the concern."""
    return close_concern(db, user, concern_id, body.reason, body.expected_version)
