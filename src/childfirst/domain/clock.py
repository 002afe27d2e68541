"""Times in the record: stored in UTC, read and shown in UK local time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

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
