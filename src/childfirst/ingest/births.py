"""No one takes part in an event before they were born.

An event that links a person on a day before their date of birth is refused: the date of birth or the
event's date is wrong, or the link names the wrong person, and either way the rules would misjudge
the child. The comparison is made at the grain the date of birth is known to: a birth recorded only
to the month refuses events of earlier months, one recorded only to the year events of earlier
years. An estimated date of birth (an officer's guess at an age) can be years out, so it refuses
nothing.

Safeguarding work can start before a child is born: a referral, a strategy discussion, an
assessment or a child protection plan for an unborn child, with the expected date of delivery as
the child's date of birth. So an unborn child may be the ``subject`` of those events, up to
``PREGNANCY`` days before the (latest possible) date of birth; in any other role, or further back,
the event is refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta

from childfirst.domain.age import latest_possible_birth
from childfirst.domain.clock import UK
from childfirst.domain.records import EventRecord
from childfirst.domain.vocab import DobPrecision, EventType, LinkRole
from childfirst.store.identity import record_id

PREGNANCY = timedelta(days=300)  # conception to birth is at most about 42 weeks
PRE_BIRTH_EVENTS = frozenset(
    {
        EventType.REFERRAL,
        EventType.STRATEGY_DISCUSSION,
        EventType.CHILD_IN_NEED_ASSESSMENT,
        EventType.CHILD_PROTECTION_PLAN_STARTED,
        EventType.CHILD_PROTECTION_PLAN_ENDED,
        EventType.CONCERN_FOR_CHILD,
        EventType.HEALTH_SAFEGUARDING_CONCERN,
    }
)

Birth = tuple[date, DobPrecision]
"""A recorded date of birth and how much of it is known."""


def event_day(event: EventRecord) -> date:
    """The UK calendar day the event happened on (a time without an offset is UK local time)."""
    moment = event.occurred_at
    return (moment if moment.tzinfo is None else moment.astimezone(UK)).date()


def born_after(day: date, dob: date, precision: DobPrecision) -> bool:
    """Whether someone with this date of birth was certainly not yet born on ``day``."""
    if precision is DobPrecision.EXACT:
        return day < dob
    if precision is DobPrecision.MONTH:
        return (day.year, day.month) < (dob.year, dob.month)
    if precision is DobPrecision.YEAR:
        return day.year < dob.year
    return False  # an estimate


def _shown(dob: date, precision: DobPrecision) -> str:
    if precision is DobPrecision.MONTH:
        return f"in {dob:%B %Y}"
    if precision is DobPrecision.YEAR:
        return f"in {dob.year}"
    return f"on {dob.isoformat()}"


def before_birth(event: EventRecord, births: Mapping[str, Birth]) -> Iterator[tuple[str, str]]:
    """(field, reason) for each link of ``event`` to a person not yet born on the event's day.

    ``births`` holds the date of birth of every person the event may link, by stable id.
    """
    day: date | None = None
    src = event.source
    for i, link in enumerate(event.links):
        if link.person is None:
            continue
        birth = births.get(record_id("person", src.agency, src.system, link.person))
        if birth is None:
            continue
        dob, precision = birth
        day = event_day(event) if day is None else day
        if dob <= day or not born_after(day, dob, precision):
            continue  # born by then, whatever the precision
        if (
            link.role is LinkRole.SUBJECT
            and event.event_type in PRE_BIRTH_EVENTS
            and latest_possible_birth(dob, precision) - day <= PREGNANCY
        ):
            continue  # pre-birth work for an unborn child
        yield (
            f"links.{i}.person",
            f"'{link.person}' was born {_shown(dob, precision)}, after this event "
            f"({day.isoformat()}), so cannot be its {link.role.value}; check the date of birth, "
            "the event's date and the person linked (an unborn child can only be the subject "
            "of pre-birth work such as a referral or a child protection plan)",
        )
