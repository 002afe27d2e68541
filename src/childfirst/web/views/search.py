"""The search page: people by name, date of birth and address; events by reference, type and date.

The forms use GET, so a search can be bookmarked and repeated; each search is audited.
"""

from __future__ import annotations

from typing import Annotated, Any, get_args

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from childfirst.domain.vocab import EventType
from childfirst.search.events import EventsQuery, label
from childfirst.search.people import Ages, PeopleQuery, SearchError
from childfirst.web.deps import Store, User
from childfirst.web.services.search import find_events, find_people, parse_date
from childfirst.web.templating import render

router = APIRouter()

Text = Annotated[str, Query(max_length=200)]
EVENT_TYPES = sorted(((t.value, label(t.value)) for t in EventType), key=lambda t: t[1])
AGES: tuple[Ages, ...] = get_args(Ages)
TYPE_VALUES = frozenset(t.value for t in EventType)


@router.get("/search", name="search_page", response_class=HTMLResponse)
def search_page(
    request: Request,
    db: Store,
    user: User,
    kind: Annotated[str, Query(pattern="^(people|events)$")] = "people",
    name: Text = "",
    dob: Text = "",
    place: Text = "",
    ages: Text = "any",
    agency: Text = "",
    reference: Text = "",
    event_type: Text = "",
    since: Text = "",
    until: Text = "",
    event_place: Text = "",
    event_agency: Text = "",
    why: Text = "",
) -> HTMLResponse:
    form = {
        "kind": kind,
        "name": name,
        "dob": dob,
        "place": place,
        "ages": next((a for a in AGES if a == ages), "any"),
        "agency": agency,
        "reference": reference,
        "event_type": event_type,
        "since": since,
        "until": until,
        "event_place": event_place,
        "event_agency": event_agency,
        "why": why,
    }
    context: dict[str, Any] = {"form": form, "event_types": EVENT_TYPES, "ages": AGES}
    asked = any(v for k, v in form.items() if k not in ("kind", "ages", "why"))
    if not asked:
        return render(request, "search.html", context)
    try:
        if kind == "people":
            people = PeopleQuery(
                name=name,
                date_of_birth=_date(dob, "date of birth"),
                place=place,
                ages=next((a for a in AGES if a == ages), "any"),
                agency=agency.strip() or None,
            )
            context["people"] = find_people(db, user, people, why)
        else:
            events = EventsQuery(
                reference=reference,
                event_type=event_type if event_type in TYPE_VALUES else None,
                since=_date(since, "from date"),
                until=_date(until, "to date"),
                agency=event_agency.strip() or None,
                place=event_place,
            )
            context["events"] = find_events(db, user, events, why)
    except SearchError as refused:
        context["error"] = str(refused).capitalize() + "."
        return render(request, "search.html", context, 422)
    return render(request, "search.html", context)


def _date(text: str, what: str) -> Any:
    try:
        return parse_date(text)
    except ValueError as wrong:
        raise SearchError(f"the {what} is not a date: write it as 30/06/2016") from wrong
