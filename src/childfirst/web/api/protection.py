"""Data protection through the API: the retention review for supervisors and administrators;
erasure, restriction of processing and subject access for administrators. Each is audited by the
library (``childfirst.protection``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from childfirst.protection.erasure import erase
from childfirst.protection.restriction import lift, restrict
from childfirst.protection.retention import decide, due_for_review
from childfirst.protection.subject_access import export
from childfirst.web.api.search import Day
from childfirst.web.audit import Actor
from childfirst.web.auth import CurrentUser
from childfirst.web.deps import Store, User

router = APIRouter(prefix="/protection", tags=["data protection"])

PersonKey = Annotated[
    str,
    Field(
        pattern=r"^(mp|per)_[0-9a-z]{1,21}$",
        description="A master person id (mp_...) or a person record id (per_...).",
    ),
]
Reason = Annotated[str, Field(min_length=1, max_length=4000, description="Why, in words.")]


def _actor(user: CurrentUser) -> Actor:
    return Actor(user.username, user.role.value)


class Due(BaseModel):
    person: str
    name: str
    date_of_birth: date | None
    group: str
    groups: list[str]
    last_came_to_notice: date
    due_on: date
    last_decision: int | None = Field(
        description="The id of the latest retention decision about the person (null: none); "
        "send it back with a decision."
    )


class DecisionIn(BaseModel):
    person: PersonKey
    decision: Annotated[str, Field(pattern=r"^(retain|erase)$")]
    reason: Reason
    next_review_on: Day = None
    last_decision: int | None = Field(
        default=None,
        ge=1,
        description="The id of the latest decision about the person you saw (as /due gives "
        "it; null when there was none). A decision made meanwhile refuses this one (409).",
    )


class DecisionOut(BaseModel):
    id: int
    person: str
    decision: str
    group: str
    next_review_on: date | None
    erased: list[str]


class RestrictionIn(BaseModel):
    person: PersonKey
    reason: Reason
    purposes: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list)


class LiftIn(BaseModel):
    person: PersonKey
    reason: Reason


class RestrictionOut(BaseModel):
    id: int
    person: str
    purposes: list[str]
    notice: str


@router.get("/due", name="api_protection_due")
def api_protection_due(
    db: Store,
    user: User,
    today: Annotated[Day, Query(description="Review as of this day (default today).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many.")] = 100,
) -> list[Due]:
    """The people due for review under the force's retention schedule, longest overdue first
    (listing is audited)."""
    return [
        Due(
            person=r.person_key,
            name=r.name,
            date_of_birth=r.date_of_birth,
            group=r.group,
            groups=r.groups,
            last_came_to_notice=r.last_activity,
            due_on=r.due_on,
            last_decision=r.last_decision_id,
        )
        for r in due_for_review(db, _actor(user), today=today, limit=limit).people
    ]


@router.post("/decisions", name="api_protection_decide")
def api_protection_decide(db: Store, user: User, body: DecisionIn) -> DecisionOut:
    """Record a retention review: retain until the next review, or erase (audited). Erasing is
    refused (422) unless the person is due for review today, and any decision is refused (409)
    when another was made about the person since ``last_decision``; erasing someone not due is
    an administrator's erasure (``/erasures``)."""
    made = decide(
        db,
        _actor(user),
        body.person,
        body.decision,
        body.reason,
        last_seen=body.last_decision,
        next_review_on=body.next_review_on,
    )
    return DecisionOut(
        id=made.id,
        person=made.person_key,
        decision=made.decision,
        group=made.group,
        next_review_on=made.next_review_on,
        erased=made.erased,
    )


class ErasureIn(BaseModel):
    person: PersonKey
    reason: Reason


class ErasureOut(BaseModel):
    erased: list[str]


@router.post("/erasures", name="api_protection_erase")
def api_protection_erase(db: Store, user: User, body: ErasureIn) -> ErasureOut:
    """Erase a person's personal data from the record and every version, keeping a tombstone."""
    return ErasureOut(erased=erase(db, _actor(user), body.person, body.reason))


@router.post("/restrictions", name="api_protection_restrict")
def api_protection_restrict(db: Store, user: User, body: RestrictionIn) -> RestrictionOut:
    """Restrict processing of a person: out of the rules and search; used only for the purposes."""
    made = restrict(db, _actor(user), body.person, body.reason, body.purposes)
    return RestrictionOut(
        id=made.id, person=made.person_key, purposes=made.purposes, notice=made.notice
    )


@router.post("/restrictions/lift", name="api_protection_lift")
def api_protection_lift(db: Store, user: User, body: LiftIn) -> RestrictionOut:
    """Lift the restriction on a person, with the reason (audited)."""
    lifted = lift(db, _actor(user), body.person, body.reason)
    return RestrictionOut(
        id=lifted.id, person=lifted.person_key, purposes=lifted.purposes, notice="lifted"
    )


@router.get("/subject-access/{person}", name="api_protection_subject_access")
def api_protection_subject_access(
    db: Store,
    user: User,
    person: Annotated[str, Path(pattern=r"^(mp|per)_[0-9a-z]{1,21}$")],
    why: Annotated[str, Query(max_length=200)] = "subject access request",
) -> dict[str, Any]:
    """Everything held about one person, other people's personal data redacted (audited)."""
    return export(db, _actor(user), person, why=why)
