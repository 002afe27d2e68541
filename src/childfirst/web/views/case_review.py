"""The case reviewer's pages: concerns and children's records, pseudonymised and read only.

Pages are addressed by pseudonymous keys, never by record or concern ids (see
``childfirst.web.services.case_review``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from childfirst.pseudonyms import Pseudonyms
from childfirst.web.deps import Config, Store, User
from childfirst.web.services.case_review import review_child, review_concern, review_list
from childfirst.web.templating import render
from childfirst.web.views.children import drawing

router = APIRouter()

# Any text up to the longest key: a real id is accepted here and then not found, like a bad key.
ReviewKey = Annotated[str, Path(min_length=1, max_length=200)]


@router.get("/case-review", name="case_review_page", response_class=HTMLResponse)
def case_review_page(request: Request, db: Store, user: User, settings: Config) -> HTMLResponse:
    items = review_list(db, user, Pseudonyms(settings.secret_key))
    return render(request, "case_review.html", {"items": items})


@router.get(
    "/case-review/concerns/{key}",
    name="case_review_concern_page",
    response_class=HTMLResponse,
)
def case_review_concern_page(
    request: Request, db: Store, user: User, settings: Config, key: ReviewKey
) -> HTMLResponse:
    concern = review_concern(db, user, Pseudonyms(settings.secret_key), key)
    return render(request, "case_review_concern.html", {"concern": concern})


@router.get(
    "/case-review/children/{key}", name="case_review_child_page", response_class=HTMLResponse
)
def case_review_child_page(
    request: Request, db: Store, user: User, settings: Config, key: ReviewKey
) -> HTMLResponse:
    child = review_child(db, user, Pseudonyms(settings.secret_key), key)
    return render(
        request, "case_review_child.html", {"child": child, "drawing": drawing(child.network)}
    )
