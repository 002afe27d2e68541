"""What a search returns: the shapes the pages, the API and the command line share."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from childfirst.domain.clock import UtcDateTime


class SourceName(BaseModel):
    """One agency's record of a person, as that agency recorded the name."""

    person_id: str
    agency: str
    system: str
    source_id: str
    name: str
    date_of_birth: date | None


class ChildFlag(BaseModel):
    """A child linked to a found person who has open concerns."""

    child_id: str
    name: str
    how: str  # "is this person", "lives with them", "related to them"
    open_concerns: int
    severity: str  # the most severe of the open concerns


class PersonHit(BaseModel):
    """One person as the linkage sees them, with every source record that is them."""

    id: str  # the master person, or the record itself when not linked to others
    name: str
    date_of_birth: date | None
    age: int | None
    child: bool
    matched_on: list[str]
    score: float
    records: list[SourceName]
    flags: list[ChildFlag]


class PeopleResults(BaseModel):
    hits: list[PersonHit]
    more: bool  # more people matched than are shown
    understood: str  # what the search looked for, in words


class EventPerson(BaseModel):
    person_id: str
    name: str
    role: str
    child: bool


class EventHit(BaseModel):
    id: str
    reference: str | None
    event_type: str
    label: str
    occurred_at: UtcDateTime
    agency: str
    place: str | None
    summary: str | None
    people: list[EventPerson]


class EventResults(BaseModel):
    hits: list[EventHit]
    more: bool
    understood: str
