"""Search as a practitioner uses it: the library's search, with every search written to the audit
log (who looked for what, and why when they said)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from childfirst.search.events import EventsQuery, label, search_events
from childfirst.search.keys import printable
from childfirst.search.people import PeopleQuery, search_people
from childfirst.search.results import EventResults, PeopleResults
from childfirst.store.database import Database
from childfirst.web import audit
from childfirst.web.auth import CurrentUser
from childfirst.web.services.concern import actor

TARGET_LENGTH = 100  # the audit log's target id column


def _described(parts: list[tuple[str, object]]) -> str:
    text = "; ".join(f"{name}={value}" for name, value in parts if value not in (None, "", "any"))
    return text[:TARGET_LENGTH] or "(nothing)"


def _record(
    db: Database,
    user: CurrentUser,
    what: str,
    target: str,
    why: str | None,
    people: Iterable[str] = (),
) -> None:
    reason = printable(why).strip() or None
    with db.session(write=True) as session:
        audit.record(session, actor(user), what, "search", target, why=reason, people=people)


def find_people(
    db: Database, user: CurrentUser, query: PeopleQuery, why: str | None = None
) -> PeopleResults:
    """The people answering ``query``; the search is audited whether or not it finds anyone."""
    query = query.cleaned()
    results = search_people(db, query)
    target = _described(
        [
            ("name", query.name.strip()),
            ("dob", query.date_of_birth.isoformat() if query.date_of_birth else None),
            ("place", query.place.strip()),
            ("ages", query.ages),
            ("agency", query.agency),
        ]
    )
    shown = [h.id for h in results.hits] + [f.child_id for h in results.hits for f in h.flags]
    _record(db, user, "searched people", target, why, shown)
    return results


def find_events(
    db: Database, user: CurrentUser, query: EventsQuery, why: str | None = None
) -> EventResults:
    """The events answering ``query``; the search is audited."""
    query = query.cleaned()
    results = search_events(db, query)
    target = _described(
        [
            ("ref", query.reference.strip()),
            ("type", label(query.event_type) if query.event_type else None),
            ("from", query.since.isoformat() if query.since else None),
            ("to", query.until.isoformat() if query.until else None),
            ("agency", query.agency),
            ("place", query.place.strip()),
        ]
    )
    shown = [p.person_id for h in results.hits for p in h.people]
    _record(db, user, "searched events", target, why, shown)
    return results


def parse_date(text: str | None) -> date | None:
    """A date typed as 2016-06-30 (what a date field sends) or 30/06/2016; ValueError if neither."""
    text = (text or "").strip()
    if not text:
        return None
    if "/" in text:
        day, month, year = (int(p) for p in text.split("/"))
        return date(year, month, day)
    return date.fromisoformat(text)
