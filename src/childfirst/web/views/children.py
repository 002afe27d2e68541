"""A child's profile, its timeline alone (for updating it in place), and who has looked at the
child's record (for supervisors)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from childfirst.network import Positioned, layout
from childfirst.network.layout import Drawn
from childfirst.web import audit
from childfirst.web.deps import Store, User
from childfirst.web.services.child import (
    TimelineFilter,
    child_keys,
    child_timeline,
    view_child,
)
from childfirst.web.templating import render

router = APIRouter()

ChildId = Annotated[str, Path(min_length=4, max_length=24, pattern=r"^[a-z]{2,3}_[0-9a-f]+$")]
Choices = Annotated[list[str], Query(max_length=60)]
MAX_CHOICES = 60
Person = TypeVar("Person", bound=Drawn)


Purpose = Annotated[
    str | None,
    Query(max_length=40, description="Why a restricted record is opened (one of its purposes)."),
]


def timeline_filter(agency: list[str], event_type: list[str]) -> TimelineFilter:
    """The filters from the query string; over-long or surplus values are ignored."""
    return TimelineFilter.of(
        (a for a in agency[:MAX_CHOICES] if len(a) <= 100),
        (t for t in event_type[:MAX_CHOICES] if len(t) <= 60),
    )


def filter_query(wanted: TimelineFilter) -> str:
    pairs = [("agency", a) for a in sorted(wanted.agencies)]
    pairs += [("type", t) for t in sorted(wanted.event_types)]
    return urlencode(pairs)


def drawing(people: Sequence[Person]) -> list[tuple[Person, Positioned]]:
    """Each person with where the network picture draws them."""
    return list(zip(people, layout(people), strict=True))


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


@router.get("/children/{child_id}", name="child_page", response_class=HTMLResponse)
def child_page(
    request: Request,
    db: Store,
    user: User,
    child_id: ChildId,
    agency: Choices = [],  # noqa: B006 - FastAPI copies query defaults
    event_type: Annotated[list[str], Query(alias="type", max_length=60)] = [],  # noqa: B006
    purpose: Purpose = None,
) -> HTMLResponse:
    wanted = timeline_filter(agency, event_type)
    child = view_child(db, user, child_id, wanted, purpose=purpose)
    return render(
        request,
        "child.html",
        {"child": child, "drawing": drawing(child.network), "query": filter_query(wanted)},
    )


@router.get("/children/{child_id}/timeline", name="child_timeline", response_class=HTMLResponse)
def child_timeline_part(
    request: Request,
    db: Store,
    user: User,
    child_id: ChildId,
    agency: Choices = [],  # noqa: B006
    event_type: Annotated[list[str], Query(alias="type", max_length=60)] = [],  # noqa: B006
) -> Response:
    wanted = timeline_filter(agency, event_type)
    query = filter_query(wanted)
    page = f"/children/{child_id}" + (f"?{query}" if query else "")
    if not is_htmx(request):
        return RedirectResponse(page + "#timeline", status_code=303)
    found = child_timeline(db, user, child_id, wanted)
    response = render(request, "partials/timeline.html", {"child_id": child_id, "timeline": found})
    response.headers["HX-Push-Url"] = page
    return response


@router.get("/children/{child_id}/audit", name="child_audit_page", response_class=HTMLResponse)
def child_audit_page(request: Request, db: Store, user: User, child_id: ChildId) -> HTMLResponse:
    canonical, keys = child_keys(db, child_id)
    with db.session() as session:
        entries = audit.about_child(session, keys)
    what = "viewed who has looked at"
    audit.viewed(db, user, what, "child", child_id, child_id=canonical, people=[child_id])
    return render(request, "child_audit.html", {"child_id": child_id, "entries": entries})
