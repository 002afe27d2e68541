"""The linkage review queue: unsure pairs, the evidence, and analysts' decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field, StringConstraints

from childfirst.web.deps import Store, User
from childfirst.web.services.review import (
    Decision,
    PairView,
    ReviewQueue,
    decide_pair,
    queue,
    view_pair,
    withdraw_decision,
)

router = APIRouter(prefix="/linkage/review", tags=["linkage review"])

PairId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000, pattern=r"\S")
]
# The version of the pair's decisions the change is based on (``version`` in the pair as read).
Version = Annotated[
    int, Field(ge=1, le=2**31 - 1, description="The version of the pair the change is based on")
]


class DecisionBody(BaseModel):
    decision: Decision
    reason: Reason
    expected_version: Version


class Withdrawal(BaseModel):
    reason: Reason
    expected_version: Version


@router.get("", name="api_review_queue")
def api_review_queue(
    db: Store, user: User, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> ReviewQueue:
    """Pairs waiting for a person to decide, most likely first, and the latest decisions."""
    return queue(db, user, limit)


@router.get("/{pair_id}", name="api_review_pair")
def api_review_pair(db: Store, user: User, pair_id: PairId) -> PairView:
    """Both records, the evidence for and against, and every decision on them (audited)."""
    return view_pair(db, user, pair_id)


@router.post("/{pair_id}/decision", name="api_review_decide")
def api_review_decide(db: Store, user: User, pair_id: PairId, body: DecisionBody) -> PairView:
    """Record "same" or "not_same" with a reason; it replaces any earlier decision on the pair."""
    return decide_pair(db, user, pair_id, body.decision, body.reason, body.expected_version)


@router.post("/{pair_id}/withdraw", name="api_review_withdraw")
def api_review_withdraw(db: Store, user: User, pair_id: PairId, body: Withdrawal) -> PairView:
    """Withdraw the pair's standing decision with a reason; it stays on record, marked reversed."""
    return withdraw_decision(db, user, pair_id, body.reason, body.expected_version)
