"""Actions: give one to a person, and record that it was done."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field, StringConstraints

from childfirst.web.deps import Store, User
from childfirst.web.services.concern import assign_action, complete_action
from childfirst.web.services.models import ActionView

# Something besides white space, as Python counts it (which the library strips, and which takes
# in the separators U+001C to U+001F that the schema's own \s leaves out).
SEEN = r"[^\s\x1c-\x1f]"

router = APIRouter(tags=["actions"])

ActionId = Annotated[int, Path(ge=1, le=2**31 - 1)]
# The version of the action the change is based on (``version`` in the action as read): a change
# to an action that has changed since is refused with 409, saying who changed it, when, and how.
Version = Annotated[
    int, Field(ge=1, le=2**31 - 1, description="The version of the action the change is based on")
]


class Assignment(BaseModel):
    assignee: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=r"\S")
    ]
    expected_version: Version


class Completion(BaseModel):
    note: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000, pattern=SEEN)
    ]
    expected_version: Version


@router.post("/actions/{action_id}/assign", name="api_action_assign")
def api_action_assign(db: Store, user: User, action_id: ActionId, body: Assignment) -> ActionView:
    """Give the open action to the username of an active account of its owner role, or of a
    supervisor."""
    return assign_action(db, user, action_id, body.assignee, body.expected_version)


@router.post("/actions/{action_id}/complete", name="api_action_complete")
def api_action_complete(db: Store, user: User, action_id: ActionId, body: Completion) -> ActionView:
    """Record the open action as done; a note of what was done is required and kept."""
    return complete_action(db, user, action_id, body.note, body.expected_version)
