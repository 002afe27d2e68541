"""The case review, pseudonymised and read only: the same answers as the case reviewer's pages."""

from __future__ import annotations

from fastapi import APIRouter

from childfirst.pseudonyms import Pseudonyms
from childfirst.web.deps import Config, Store, User
from childfirst.web.services.case_review import (
    ReviewChild,
    ReviewConcern,
    ReviewListItem,
    review_child,
    review_concern,
    review_list,
)
from childfirst.web.views.case_review import ReviewKey

router = APIRouter(tags=["case review"])


@router.get("/case-review", name="api_case_review")
def api_case_review(db: Store, user: User, settings: Config) -> list[ReviewListItem]:
    """The latest concerns, each child under a pseudonym, addressed by pseudonymous keys."""
    return review_list(db, user, Pseudonyms(settings.secret_key))


@router.get("/case-review/concerns/{key}", name="api_case_review_concern")
def api_case_review_concern(
    db: Store, user: User, settings: Config, key: ReviewKey
) -> ReviewConcern:
    """One concern, pseudonymised (viewing is audited); a real concern id is not found."""
    return review_concern(db, user, Pseudonyms(settings.secret_key), key)


@router.get("/case-review/children/{key}", name="api_case_review_child")
def api_case_review_child(db: Store, user: User, settings: Config, key: ReviewKey) -> ReviewChild:
    """A child's record, pseudonymised (viewing is audited); a real id, or an adult's key that
    no concern was raised about, is not found."""
    return review_child(db, user, Pseudonyms(settings.secret_key), key)
