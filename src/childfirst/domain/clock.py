"""Times in the record: stored in UTC, read and shown in UK local time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import PlainSerializer, WithJsonSchema

UK = ZoneInfo("Europe/London")


def to_utc(moment: datetime) -> datetime:
    """A naive UTC datetime for storage. A naive input is read as UK local time."""
    if moment.tzinfo is None:
        offset = UK.utcoffset(moment)  # the UK offset in force at that local time (fold 0)
        return moment if offset is None else moment - offset
    return moment.astimezone(UTC).replace(tzinfo=None)


def to_local(stored: datetime) -> datetime:
    """A stored (naive UTC) datetime as an aware UK local time."""
    return stored.replace(tzinfo=UTC).astimezone(UK)


def local_date(stored: datetime) -> date:
    """The UK calendar date of a stored datetime: the date used for a person's age at an event."""
    return to_local(stored).date()


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def utc_text(moment: datetime) -> str:
    """A time as RFC 3339 text with its offset (a naive one is read as UTC, as stored)."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat().replace("+00:00", "Z")


# A stored time in a published shape: in JSON it carries its offset, so that other systems read it
# as UTC and not as their own local time.
UtcDateTime = Annotated[
    datetime,
    PlainSerializer(utc_text, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
