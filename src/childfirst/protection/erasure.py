"""Erasure: removing a person's personal data from the record and from every version of it.

What goes: the person record's names, aliases, date of birth, sex, ethnicity, name search keys,
source id and stored content (the row stays, as "[erased person]", so the events and relationships
it is part of still hang together); every superseded version of it; its addresses; its place in the
master person index; the evidence of linkage review pairs naming it; and its names and date of
birth wherever they appear in the free text of the events it is linked to (current and superseded
versions), of the concerns resting on those events or about it, of their actions, history and
partner notes, and of linkage decisions about it.

What stays: a tombstone per record (which record, its agency and system, when, by whom, why, under
which retention decision, and how much was removed: no personal data), the audit log, untouched,
and the events themselves, whose content hash is kept so that re-importing the same event is seen
as unchanged. A person record that was erased is skipped if it is imported again, and named in the
import's warnings (``erased.without_erased``): it is never silently brought back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.errors import InvalidValueError
from childfirst.protection.audited import audit
from childfirst.protection.erased import erased_ids
from childfirst.protection.redaction import Redactor, address_phrases, person_phrases
from childfirst.protection.subjects import MASTER_PREFIX, records_of
from childfirst.store.database import Database
from childfirst.store.models import (
    Action,
    Concern,
    ConcernEvidence,
    ConcernLog,
    Event,
    EventLink,
    LinkageDecision,
    LinkageReviewPair,
    Location,
    MasterMembership,
    Person,
    PersonAddress,
    RecordVersion,
    Relationship,
)
from childfirst.store.protection import Erasure
from childfirst.store.sharing import Notification

if TYPE_CHECKING:
    from childfirst.web.audit import Actor

ERASED_NAME = "[erased person]"
ERASED_SOURCE_ID = "erased"
ERASED_HASH = "erased"
ERASED_ADDRESS = "[erased address]"


def erase(db: Database, actor: Actor, person: str, reason: str) -> list[str]:
    """Erase every record of ``person`` (a master person or a person record and those linked to
    it); return the erased record ids. Audited; refused without a reason."""
    with db.session(write=True) as session:
        return erase_records(session, actor, records_of(session, person), reason)


def erase_records(
    session: Session,
    actor: Actor,
    record_ids: Sequence[str],
    reason: str,
    *,
    decision_id: int | None = None,
) -> list[str]:
    """Erase the person records ``record_ids`` in the caller's write transaction."""
    reason = reason.strip()
    if not reason:
        raise InvalidValueError("an erasure needs a reason")
    already = erased_ids(session) & set(record_ids)
    if already:
        raise InvalidValueError(f"already erased: {', '.join(sorted(already))}")
    masters = set(
        session.scalars(
            select(MasterMembership.master_id).where(MasterMembership.person_id.in_(record_ids))
        )
    )
    for pid in record_ids:
        _erase_one(session, actor, pid, reason, decision_id, masters)
    return list(record_ids)


def _around(session: Session, person: Person, events: list[str], masters: set[str]) -> set[str]:
    """The other people whose names the texts being scrubbed may hold: those in the same events,
    related to the person, living at the same addresses, and the children of the concerns resting
    on those events (who are often not linked to the incident, only living where it happened)."""
    others: set[str] = set()
    concerned: set[str] = set(
        session.scalars(
            select(Concern.child_id).where(Concern.child_id.in_([person.id, *sorted(masters)]))
        )
    )
    for start in range(0, len(events), 500):
        chunk = events[start : start + 500]
        others.update(
            session.scalars(
                select(EventLink.person_id).where(
                    EventLink.event_id.in_(chunk), EventLink.person_id.is_not(None)
                )
            )
        )
        concerned.update(
            session.scalars(
                select(Concern.child_id)
                .join(ConcernEvidence, ConcernEvidence.concern_id == Concern.id)
                .where(ConcernEvidence.event_id.in_(chunk))
            )
        )
    others.update(c for c in concerned if not c.startswith(MASTER_PREFIX))
    concerned_masters = sorted(c for c in concerned if c.startswith(MASTER_PREFIX))
    if concerned_masters:
        others.update(
            session.scalars(
                select(MasterMembership.person_id).where(
                    MasterMembership.master_id.in_(concerned_masters)
                )
            )
        )
    homes = select(PersonAddress.location_id).where(PersonAddress.person_id == person.id)
    others.update(
        session.scalars(select(PersonAddress.person_id).where(PersonAddress.location_id.in_(homes)))
    )
    for a, b in session.execute(
        select(Relationship.person_id, Relationship.other_id).where(
            or_(Relationship.person_id == person.id, Relationship.other_id == person.id)
        )
    ):
        others.update((a, b))
    others.discard(person.id)
    return others


def _redactor(session: Session, person: Person, events: list[str], masters: set[str]) -> Redactor:
    """What names the person: their family name on its own too, unless someone around them (see
    ``_around``) has it (their children, often), whose name it would then remove."""
    others = _around(session, person, events, masters)
    shared = {
        (family or "").casefold()
        for family in session.scalars(
            select(Person.family_name).where(Person.id.in_(sorted(others)))
        )
    }
    redactor = Redactor()
    redactor.add(
        person_phrases(
            person.given_name,
            person.middle_names,
            person.family_name,
            person.aliases or [],
            person.date_of_birth,
            family_alone=(person.family_name or "").casefold() not in shared,
        ),
        ERASED_NAME,
    )
    return redactor


def _erase_one(
    session: Session,
    actor: Actor,
    pid: str,
    reason: str,
    decision_id: int | None,
    masters: set[str],
) -> None:
    person = session.get(Person, pid)
    if person is None:
        raise InvalidValueError(f"no person record {pid}")
    removed: dict[str, Any] = {}
    events = sorted(
        set(session.scalars(select(EventLink.event_id).where(EventLink.person_id == pid)))
    )
    redactor = _redactor(session, person, events, masters)
    removed["places"] = _erase_own_places(session, redactor, pid)
    refs = _SourceRef(person.agency, person.system, person.source_id)
    ties = sorted(
        session.scalars(
            select(Relationship.id).where(
                or_(Relationship.person_id == pid, Relationship.other_id == pid)
            )
        )
    )
    removed["event texts"] = _scrub_records(session, redactor, refs, Event, events)
    removed["event versions"] = _scrub_versions(session, redactor, refs, "event", events)
    removed["relationships"] = _scrub_records(session, redactor, refs, Relationship, ties)
    removed["relationship versions"] = _scrub_versions(
        session, redactor, refs, "relationship", ties
    )
    removed["concern texts"] = _scrub_concerns(session, redactor, pid, events, masters)
    removed["linkage"] = _unlink(session, redactor, pid)
    removed["versions"] = session.execute(
        delete(RecordVersion).where(
            RecordVersion.entity == "person", RecordVersion.record_id == pid
        )
    ).rowcount  # type: ignore[attr-defined]
    removed["addresses"] = session.execute(
        delete(PersonAddress).where(PersonAddress.person_id == pid)
    ).rowcount  # type: ignore[attr-defined]
    source = person.record.get("source", {})
    session.execute(
        update(Person)
        .where(Person.id == pid)
        .values(
            given_name=None,
            middle_names=None,
            family_name=ERASED_NAME,
            aliases=[],
            date_of_birth=None,
            sex="unknown",
            ethnicity=None,
            family_key=None,
            given_key=None,
            source_id=ERASED_SOURCE_ID,
            content_hash=ERASED_HASH,
            version=Person.version + 1,
            record={
                "kind": "person",
                "source": {
                    "agency": person.agency,
                    "agency_kind": source.get("agency_kind", person.agency_kind),
                    "system": person.system,
                    "id": ERASED_SOURCE_ID,
                },
                "name": {"family_name": ERASED_NAME},
                "erased": True,
            },
        )
        .execution_options(synchronize_session=False)
    )
    session.expunge(person)
    tombstone = Erasure(
        entity="person",
        record_id=pid,
        agency=person.agency,
        system=person.system,
        erased_at=utcnow(),
        erased_by=actor.username,
        reason=reason,
        decision_id=decision_id,
        removed=removed,
    )
    session.add(tombstone)
    session.flush()
    audit(
        session,
        actor,
        "erasure.erase",
        "person",
        pid,
        why=f"tombstone {tombstone.id}: {reason}",
        people=sorted({pid, *masters}),
        child_id=pid,
    )


@dataclass(frozen=True)
class _SourceRef:
    """The erased person's source id, as other records of the same source refer to it."""

    agency: str
    system: str
    source_id: str

    def scrub(self, stored: Any) -> Any:
        """A record's JSON with its references to the person (event links, the two people of a
        relationship) replaced by "erased"."""
        if not isinstance(stored, dict):
            return stored
        source = stored.get("source") or {}
        if (source.get("agency"), source.get("system")) != (self.agency, self.system):
            return stored
        copy = dict(stored)
        if isinstance(copy.get("links"), list):
            copy["links"] = [
                {**link, "person": ERASED_SOURCE_ID}
                if isinstance(link, dict) and link.get("person") == self.source_id
                else link
                for link in copy["links"]
            ]
        for key in ("person", "other"):
            if copy.get("kind") == "relationship" and copy.get(key) == self.source_id:
                copy[key] = ERASED_SOURCE_ID
        return copy


def _scrub_records(
    session: Session, redactor: Redactor, refs: _SourceRef, table: Any, ids: list[str]
) -> int:
    """Scrub the current rows of events or relationships. The content hash stays, so the same
    record sent again is still seen as unchanged."""
    changed = 0
    is_event = table is Event
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in session.execute(select(table).where(table.id.in_(chunk))).scalars():
            values: dict[str, Any] = {"record": refs.scrub(redactor.json(row.record))}
            if is_event:
                values.update(
                    summary=redactor.maybe(row.summary),
                    outcome=redactor.maybe(row.outcome),
                    details=redactor.json(row.details),
                )
            if any(getattr(row, k) != v for k, v in values.items()):
                changed += 1
                session.execute(
                    update(table)
                    .where(table.id == row.id)
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
            session.expunge(row)
    return changed


def _scrub_versions(
    session: Session, redactor: Redactor, refs: _SourceRef, entity: str, ids: list[str]
) -> int:
    changed = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for vid, stored in session.execute(
            select(RecordVersion.id, RecordVersion.record).where(
                RecordVersion.entity == entity, RecordVersion.record_id.in_(chunk)
            )
        ):
            scrubbed = refs.scrub(redactor.json(stored))
            if scrubbed != stored:
                changed += 1
                session.execute(
                    update(RecordVersion).where(RecordVersion.id == vid).values(record=scrubbed)
                )
    return changed


def _erase_own_places(session: Session, redactor: Redactor, pid: str) -> int:
    """Blank the addresses only this person is known at (no one else lived there, nothing
    happened there), and have their words removed from free text too."""
    places = set(
        session.scalars(select(PersonAddress.location_id).where(PersonAddress.person_id == pid))
    )
    shared = set(
        session.scalars(
            select(PersonAddress.location_id).where(
                PersonAddress.location_id.in_(sorted(places)), PersonAddress.person_id != pid
            )
        )
    ) | set(session.scalars(select(Event.location_id).where(Event.location_id.in_(sorted(places)))))
    own = sorted(places - shared)
    for location in session.scalars(select(Location).where(Location.id.in_(own))):
        redactor.add(address_phrases(location.address), ERASED_ADDRESS)
    for location in session.scalars(select(Location).where(Location.id.in_(own))):
        session.execute(
            update(Location)
            .where(Location.id == location.id)
            .values(
                address=ERASED_ADDRESS,
                postcode=None,
                uprn=None,
                record={**redactor.json(location.record), "postcode": None, "uprn": None},
            )
            .execution_options(synchronize_session=False)
        )
        session.execute(
            delete(RecordVersion).where(
                RecordVersion.entity == "location", RecordVersion.record_id == location.id
            )
        )
        session.expunge(location)
    return len(own)


def _scrub_concerns(
    session: Session, redactor: Redactor, pid: str, events: list[str], masters: set[str]
) -> int:
    concern_ids: set[int] = set(
        session.scalars(select(Concern.id).where(Concern.child_id.in_([pid, *sorted(masters)])))
    )
    for start in range(0, len(events), 500):
        concern_ids.update(
            session.scalars(
                select(ConcernEvidence.concern_id).where(
                    ConcernEvidence.event_id.in_(events[start : start + 500])
                )
            )
        )
    ids = sorted(concern_ids)
    changed = 0
    texts: tuple[tuple[Any, Any, Any], ...] = (
        (Concern.id, Concern.id, Concern.explanation),
        (Action.id, Action.concern_id, Action.note),
        (ConcernLog.id, ConcernLog.concern_id, ConcernLog.why),
        (Notification.id, Notification.concern_id, Notification.note),
    )
    for row_key, owner, column in texts:
        for start in range(0, len(ids), 500):
            for row_id, text in session.execute(
                select(row_key, column).where(owner.in_(ids[start : start + 500]))
            ):
                if text is None:
                    continue
                scrubbed = redactor.text(text)
                if scrubbed != text:
                    changed += 1
                    session.execute(
                        update(row_key.class_)
                        .where(row_key == row_id)
                        .values({column.key: scrubbed})
                        .execution_options(synchronize_session=False)
                    )
    return changed


def _unlink(session: Session, redactor: Redactor, pid: str) -> int:
    """Take the record out of the master person index and its review pairs; scrub decisions."""
    removed = session.execute(
        delete(MasterMembership).where(MasterMembership.person_id == pid)
    ).rowcount  # type: ignore[attr-defined]
    involves = or_(LinkageReviewPair.record_a == pid, LinkageReviewPair.record_b == pid)
    removed += session.execute(
        update(LinkageReviewPair)
        .where(involves)
        .values(evidence={}, status="superseded")
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    for did, reason in session.execute(
        select(LinkageDecision.id, LinkageDecision.reason).where(
            or_(LinkageDecision.record_a == pid, LinkageDecision.record_b == pid)
        )
    ):
        session.execute(
            update(LinkageDecision)
            .where(LinkageDecision.id == did)
            .values(reason=redactor.text(reason))
            .execution_options(synchronize_session=False)
        )
    return int(removed)
