"""Notifications to partner agencies, each addressed to the one organisation that should act.

Some rules exist to tell a partner something: Operation Encompass tells a child's school, before the
next school day, that police attended a domestic abuse incident connected to the child. A
notification is addressed to the school the child attends, as the schools' own records show it
(the school where the child's latest education record was made), so that a school sees its own
pupils and nobody else's. When no school is known the notification is addressed to nobody yet and
the police see that it still has to be sent by hand (to the local authority, for a child educated
at home).

A partner acknowledges a notification; who and when are kept on it and in the concern's log.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, cast

from sqlalchemy import ColumnElement, Table, and_, exists, select
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.domain.roles import Role
from childfirst.domain.vocab import AgencyKind
from childfirst.errors import NotFoundError
from childfirst.store import fetch
from childfirst.store.bulk import insert_rows
from childfirst.store.locks import locked
from childfirst.store.models import (
    Concern,
    ConcernLog,
    Event,
    EventLink,
    Location,
    MasterMembership,
    Person,
)
from childfirst.store.sharing import Notification

# Which rules notify which kind of partner.
NOTIFYING_RULES: Final[Mapping[str, Role]] = {
    "domestic-abuse.operation-encompass": Role.SCHOOL,
}
CHUNK = 500


@dataclass(frozen=True)
class School:
    id: str  # the school's location record
    name: str


def _chunks(items: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(set(items))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _records_of(session: Session, child_ids: Collection[str]) -> dict[str, str]:
    """Person record -> the child id it belongs to (a master person's records, or the record)."""
    found = {c: c for c in child_ids if not c.startswith("mp_")}
    for chunk in _chunks(c for c in child_ids if c.startswith("mp_")):
        for person_id, master_id in session.execute(
            select(MasterMembership.person_id, MasterMembership.master_id).where(
                MasterMembership.master_id.in_(chunk)
            )
        ):
            found[person_id] = master_id
    return found


def schools_of(session: Session, child_ids: Collection[str]) -> dict[str, School]:
    """The school each child attends: where the schools' latest record of the child was made.

    Only a record an education agency holds throughout counts: an event, the school it was made
    at and the record of the child it names all of one agency, all of the education kind. (Writers
    may give a record only their agency's kind, see ``ingest.authority``; this also keeps a
    record stored with a borrowed kind, naming another agency's record of the child, from
    choosing the school.)"""
    education = AgencyKind.EDUCATION.value
    records = _records_of(session, child_ids)
    latest: dict[str, tuple[datetime, str, School]] = {}
    for chunk in _chunks(records):
        rows = session.execute(
            select(EventLink.person_id, Event.occurred_at, Event.id, Location.id, Location.address)
            .join(Event, Event.id == EventLink.event_id)
            .join(Location, Location.id == Event.location_id)
            .join(Person, Person.id == EventLink.person_id)
            .where(
                EventLink.person_id.in_(chunk),
                Event.agency_kind == education,
                Location.location_type == "school",
                Location.agency_kind == education,
                Location.agency == Event.agency,
                Person.agency_kind == education,
                Person.agency == Event.agency,
            )
        )
        for person_id, at, event_id, school_id, address in rows:
            child = records[str(person_id)]
            seen = latest.get(child)
            if seen is None or (at, event_id) > seen[:2]:
                latest[child] = (at, event_id, School(school_id, address))
    return {child: found[2] for child, found in latest.items()}


def address_new(session: Session, concern_ids: Collection[int] | None = None) -> int:
    """Address a notification for every concern of a notifying rule that has none yet (among
    ``concern_ids`` when given: the concerns just raised)."""
    statement = select(Concern.id, Concern.child_id, Concern.rule_id).where(
        Concern.rule_id.in_(sorted(NOTIFYING_RULES)),
        ~exists().where(Notification.concern_id == Concern.id),
    )
    if concern_ids is None:
        pending = list(fetch.rows(session, statement))
    else:
        pending = list(fetch.rows_in(session, statement, Concern.id, sorted(concern_ids)))
    if not pending:
        return 0
    schools = schools_of(session, {child for _, child, _ in pending})
    now = utcnow()
    found: list[dict[str, Any]] = []
    for concern_id, child_id, rule_id in pending:
        agency = NOTIFYING_RULES[rule_id]
        school = schools.get(child_id) if agency is Role.SCHOOL else None
        found.append(
            {
                "concern_id": concern_id,
                "agency": agency.value,
                "organisation": school.id if school else None,
                "organisation_name": school.name if school else None,
                "created_at": now,
            }
        )
    session.flush()
    insert_rows(session, cast(Table, Notification.__table__), found)
    return len(pending)


def addressed_to(role: Role, organisation: str | None) -> ColumnElement[bool]:
    """A condition on ``Notification``: those addressed to this partner organisation."""
    if organisation is None:
        return Notification.id.is_(None)  # an account without an organisation is sent nothing
    return and_(Notification.agency == role.value, Notification.organisation == organisation)


def notifications_of(session: Session, concern_ids: Collection[int]) -> list[Notification]:
    if not concern_ids:
        return []
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.concern_id.in_(sorted(set(concern_ids))))
            .order_by(Notification.id)
        )
    )


def is_addressed(notification: Notification, role: Role, organisation: str | None) -> bool:
    return (
        organisation is not None
        and notification.agency == role.value
        and notification.organisation == organisation
    )


def acknowledge(
    session: Session,
    notification_id: int,
    *,
    role: Role,
    organisation: str | None,
    by: str,
    note: str | None = None,
) -> tuple[Notification, bool]:
    """The partner organisation acknowledges a notification addressed to it.

    Returns the notification and whether this call acknowledged it (False when it already was).
    A notification addressed to anyone else is "not found", exactly like one that does not exist.
    """
    # Locked: of two people acknowledging at once, the second sees the first's acknowledgement.
    notification = locked(session, Notification, notification_id)
    if notification is None or not is_addressed(notification, role, organisation):
        raise NotFoundError(f"notification {notification_id} does not exist")
    if notification.acknowledged_at is not None:
        return notification, False
    now = utcnow()
    notification.acknowledged_by = by
    notification.acknowledged_at = now
    notification.note = note.strip() if note and note.strip() else None
    who = notification.organisation_name or notification.agency
    session.add(
        ConcernLog(
            concern_id=notification.concern_id,
            at=now,
            who=by,
            what="partner acknowledged",
            why=f"{who}: {notification.note}" if notification.note else who,
        )
    )
    session.flush()
    return notification, True
