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

The same holds when a date of birth is changed after the events: a person sent again with a new
date of birth is checked against every event the store links them to (and those of the batch), and
refused when the new date would put any of them before the birth.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.age import latest_possible_birth
from childfirst.domain.clock import UK, local_date
from childfirst.domain.records import EventRecord, PersonRecord
from childfirst.domain.vocab import DobPrecision, EventType, LinkRole
from childfirst.errors import RecordProblem
from childfirst.ingest.readers import Parsed
from childfirst.store.fetch import rows, rows_in
from childfirst.store.identity import record_id
from childfirst.store.models import Event, EventLink, Person

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

# Above this many people in a batch, reading every stored person once is cheaper than looking
# each one up (as ``ingest.checks`` does for the people events link).
SCAN_FROM = 5_000

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


def too_early(day: date, birth: Birth, role: LinkRole, event_type: EventType) -> bool:
    """Whether someone born ``birth`` cannot have taken part, in ``role``, in an event of
    ``event_type`` on ``day``."""
    dob, precision = birth
    if dob <= day or not born_after(day, dob, precision):
        return False  # born by then, whatever the precision
    # Pre-birth work for an unborn child is the one exception.
    return not (
        role is LinkRole.SUBJECT
        and event_type in PRE_BIRTH_EVENTS
        and latest_possible_birth(dob, precision) - day <= PREGNANCY
    )


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
        if not too_early(day, birth, link.role, event.event_type):
            continue
        yield (
            f"links.{i}.person",
            f"'{link.person}' was born {_shown(dob, precision)}, after this event "
            f"({day.isoformat()}), so cannot be its {link.role.value}; check the date of birth, "
            "the event's date and the person linked (an unborn child can only be the subject "
            "of pre-birth work such as a referral or a child protection plan)",
        )


def moved_births(session: Session, parsed: Sequence[Parsed]) -> Iterator[RecordProblem]:
    """A problem for each person of ``parsed`` whose date of birth the batch changes to one after
    an event the store links them to (events the batch sends again are checked as sent, by
    ``before_birth``). Only people whose stored date of birth differs are looked at."""
    sent: dict[str, tuple[Parsed, Birth]] = {}
    resent: set[str] = set()
    for item in parsed:
        rec, src = item.record, item.record.source
        rid = record_id(rec.kind, src.agency, src.system, src.id)
        if isinstance(rec, PersonRecord) and rec.date_of_birth is not None:
            sent.setdefault(rid, (item, (rec.date_of_birth, rec.dob_precision)))
        elif isinstance(rec, EventRecord):
            resent.add(rid)
    if not sent:
        return
    stored = select(Person.id, Person.date_of_birth, Person.dob_precision)
    if len(sent) > SCAN_FROM:  # many look-ups: reading every person once is cheaper
        found: Iterable[tuple[Any, ...]] = (r for r in rows(session, stored) if r[0] in sent)
    else:
        found = rows_in(session, stored, Person.id, sorted(sent))
    moved = [
        pid
        for pid, dob, precision in found
        if (dob, precision) != (sent[pid][1][0], sent[pid][1][1].value)
    ]
    if not moved:
        return
    linked = select(
        EventLink.person_id,
        EventLink.role,
        Event.id,
        Event.source_id,
        Event.event_type,
        Event.occurred_at,
    ).join(Event, Event.id == EventLink.event_id)
    links = sorted(rows_in(session, linked, EventLink.person_id, moved), key=lambda r: r[5])
    named: set[str] = set()
    for pid, role, event_id, source_id, event_type, occurred_at in links:
        if pid in named or event_id in resent:
            continue
        item, birth = sent[pid]
        day = local_date(occurred_at)
        if not too_early(day, birth, LinkRole(role), EventType(event_type)):
            continue
        named.add(pid)  # the earliest such event is named
        yield RecordProblem(
            item.file,
            item.line,
            "date_of_birth",
            f"would be born {_shown(*birth)}, after event '{source_id}' ({day.isoformat()}) "
            f"already recorded with '{item.record.source.id}' as its {role}; check the date of "
            "birth, or correct the event first",
            record_id=pid,
        )
