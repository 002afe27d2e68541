"""Search: people by name, date of birth and address; events by reference, type and date."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BeforeValidator

from childfirst.domain.vocab import EventType
from childfirst.search.events import EventsQuery
from childfirst.search.people import Ages, PeopleQuery, SearchError
from childfirst.search.results import EventResults, PeopleResults
from childfirst.web.deps import Store, User
from childfirst.web.errors import WebError
from childfirst.web.services.search import find_events, find_people

router = APIRouter(prefix="/search", tags=["search"])

Text = Annotated[str, Query(max_length=200)]
Why = Annotated[
    str, Query(max_length=200, description="Why you are searching; kept in the audit log.")
]
Limit = Annotated[int, Query(ge=1, le=100)]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _calendar_date(value: object) -> object:
    """Only YYYY-MM-DD: left to itself, pydantic reads a number as seconds since 1970."""
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise ValueError("give the date as YYYY-MM-DD")
    return value


Day = Annotated[date | None, BeforeValidator(_calendar_date)]


class SearchRefusedError(WebError):
    status = 422
    title = "Check your input"


@router.get("/people", name="api_search_people")
def api_search_people(
    db: Store,
    user: User,
    name: Text = "",
    date_of_birth: Day = None,
    place: Annotated[str, Query(max_length=200, description="Postcode or address words.")] = "",
    ages: Ages = "any",
    agency: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 25,
    why: Why = "",
) -> PeopleResults:
    """People by name (spellings and nicknames), date of birth, address or postcode, each across
    every source that has them, with the linked children's open concerns. Audited."""
    query = PeopleQuery(
        name=name,
        date_of_birth=date_of_birth,
        place=place,
        ages=ages,
        agency=agency or None,
        limit=limit,
    )
    try:
        return find_people(db, user, query, why)
    except SearchError as refused:
        raise SearchRefusedError(str(refused)) from refused


@router.get("/events", name="api_search_events")
def api_search_events(
    db: Store,
    user: User,
    reference: Text = "",
    event_type: EventType | None = None,
    since: Day = None,
    until: Day = None,
    agency: Annotated[str | None, Query(max_length=100)] = None,
    place: Annotated[str, Query(max_length=20, description="Postcode or its first part.")] = "",
    limit: Limit = 50,
    why: Why = "",
) -> EventResults:
    """Events by reference (whole, or its start), type, dates, agency and postcode, newest first.
    Audited."""
    query = EventsQuery(
        reference=reference,
        event_type=event_type.value if event_type else None,
        since=since,
        until=until,
        agency=agency or None,
        place=place,
        limit=limit,
    )
    try:
        return find_events(db, user, query, why)
    except SearchError as refused:
        raise SearchRefusedError(str(refused)) from refused
