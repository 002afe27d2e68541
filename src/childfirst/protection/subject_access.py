"""Subject access: everything held about one person, with other people's personal data redacted.

The export holds the person's own records and every superseded version of them, their addresses,
the events they are linked to (their part in each, what was recorded, with other people named only
by their part: "a parent", "another adult"), their relationships, the concerns raised about them as
a child with their actions, the retention decisions and restrictions about them, and who has looked
at their record (by role: staff are named only in the audit log itself). Other people's names, dates
of birth and addresses never appear in it. Making an export is audited.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from childfirst.domain.age import ADULT_AGE, age_at
from childfirst.domain.clock import local_date, utcnow
from childfirst.protection.audited import audit
from childfirst.protection.redaction import Redactor, address_phrases, person_phrases
from childfirst.protection.subjects import records_of, subject_keys
from childfirst.store.access import AuditEntry
from childfirst.store.database import Database
from childfirst.store.models import (
    Action,
    Concern,
    Event,
    EventLink,
    Location,
    Person,
    PersonAddress,
    RecordVersion,
    Relationship,
)
from childfirst.store.protection import ProcessingRestriction, RetentionDecision

if TYPE_CHECKING:
    from childfirst.web.audit import Actor

# What a third party is to the subject, from the relationship recorded between them.
THEIRS = {
    "parent": "a parent",
    "step_parent": "a step-parent",
    "carer": "a carer",
    "foster_carer": "a foster carer",
    "partner": "a partner",
    "ex_partner": "a former partner",
    "sibling": "a sibling",
    "grandparent": "a grandparent",
    "household_member": "a member of the household",
    "associate": "an associate",
}
MINE = {
    "parent": "a child",
    "step_parent": "a child",
    "carer": "a child cared for",
    "foster_carer": "a child fostered",
    "grandparent": "a grandchild",
}
ANOTHER_ADDRESS = "another address"


def _label_by_age(dob: date | None, today: date) -> str:
    if dob is not None and dob <= today and age_at(dob, today) < ADULT_AGE:
        return "another child"
    return "another adult"


class _Export:
    def __init__(self, session: Session, records: list[str], today: date) -> None:
        self.session = session
        self.records = records
        self.today = today
        self.mine = set(records)
        self.people = {
            p.id: p for p in session.scalars(select(Person).where(Person.id.in_(records)))
        }
        self.labels: dict[str, str] = {}
        self.redactor = Redactor()
        self.own_addresses: set[str] = set()
        self.their_births: set[date] = set()

    def _label_others(self, others: Iterable[str], ties: list[Relationship]) -> None:
        found = {
            p.id: p
            for p in self.session.scalars(
                select(Person).where(Person.id.in_(sorted(set(others) - self.mine)))
            )
        }
        for tie in ties:
            if tie.person_id in self.mine and tie.other_id in found:
                self.labels.setdefault(
                    tie.other_id,
                    MINE.get(
                        tie.relationship_type, THEIRS.get(tie.relationship_type, "another person")
                    ),
                )
            elif tie.other_id in self.mine and tie.person_id in found:
                self.labels.setdefault(
                    tie.person_id, THEIRS.get(tie.relationship_type, "another person")
                )
        own: set[str] = set()
        for person in self.people.values():
            own.update(
                p.casefold()
                for p in person_phrases(
                    person.given_name,
                    person.middle_names,
                    person.family_name,
                    person.aliases or [],
                    person.date_of_birth,
                )
            )
            own.add((person.family_name or "").casefold())
        self.their_births = {o.date_of_birth for o in found.values() if o.date_of_birth}
        for pid, other in sorted(found.items()):
            label = self.labels.setdefault(pid, _label_by_age(other.date_of_birth, self.today))
            phrases = person_phrases(
                other.given_name,
                other.middle_names,
                other.family_name,
                other.aliases or [],
                other.date_of_birth,
                family_alone=True,
            )
            self.redactor.add([p for p in phrases if p.casefold() not in own], label)
        # Other people's addresses: any address recorded for them that is not the subject's own.
        for (address,) in self.session.execute(
            select(Location.address)
            .join(PersonAddress, PersonAddress.location_id == Location.id)
            .where(PersonAddress.person_id.in_(sorted(found)))
        ):
            if address.casefold() not in self.own_addresses:
                self.redactor.add(address_phrases(address), ANOTHER_ADDRESS)

    def build(self) -> dict[str, Any]:
        s = self.session
        addresses = [
            {"address": address, "postcode": postcode, "from": start, "to": end}
            for address, postcode, start, end in s.execute(
                select(
                    Location.address,
                    Location.postcode,
                    PersonAddress.from_date,
                    PersonAddress.to_date,
                )
                .join(Location, Location.id == PersonAddress.location_id)
                .where(PersonAddress.person_id.in_(self.records))
                .order_by(PersonAddress.from_date)
            )
        ]
        self.own_addresses = {str(a["address"]).casefold() for a in addresses}
        links = list(
            s.execute(
                select(EventLink.event_id, EventLink.role, EventLink.person_id).where(
                    EventLink.person_id.in_(self.records)
                )
            )
        )
        event_ids = sorted({e for e, _, _ in links})
        everyone = list(
            s.execute(
                select(EventLink.event_id, EventLink.role, EventLink.person_id).where(
                    EventLink.event_id.in_(event_ids), EventLink.person_id.is_not(None)
                )
            )
        )
        ties = list(
            s.scalars(
                select(Relationship).where(
                    or_(
                        Relationship.person_id.in_(self.records),
                        Relationship.other_id.in_(self.records),
                    )
                )
            )
        )
        others = (
            {str(p) for _, _, p in everyone}
            | {t.person_id for t in ties}
            | {t.other_id for t in ties}
        )
        # Everyone who lived where the person lived: the rules name them in concerns.
        places = select(PersonAddress.location_id).where(PersonAddress.person_id.in_(self.records))
        others |= set(
            s.scalars(select(PersonAddress.person_id).where(PersonAddress.location_id.in_(places)))
        )
        self._label_others(others, ties)
        return {
            "subject": sorted(set(subject_keys(s, self.records).values()))[0],
            "made_at": utcnow().isoformat(timespec="seconds"),
            "records": [self._record(p) for p in sorted(self.people.values(), key=lambda p: p.id)],
            "earlier_versions": [
                {"record": rid, "version": version, "superseded_at": at, "content": content}
                for rid, version, at, content in s.execute(
                    select(
                        RecordVersion.record_id,
                        RecordVersion.version,
                        RecordVersion.superseded_at,
                        RecordVersion.record,
                    )
                    .where(
                        RecordVersion.entity == "person", RecordVersion.record_id.in_(self.records)
                    )
                    .order_by(RecordVersion.record_id, RecordVersion.version)
                )
            ],
            "addresses": addresses,
            "events": self._events(event_ids, links, everyone),
            "relationships": [self._tie(t) for t in ties],
            "concerns": self._concerns(),
            "retention_decisions": [
                {
                    "decided_at": d.decided_at,
                    "decision": d.decision,
                    "group": d.retention_group,
                    "reason": d.reason,
                    "next_review_on": d.next_review_on,
                }
                for d in s.scalars(
                    select(RetentionDecision).where(RetentionDecision.person_key.in_(self._keys()))
                )
            ],
            "restrictions": [
                {
                    "restricted_at": r.restricted_at,
                    "reason": r.reason,
                    "purposes": r.purposes,
                    "lifted_at": r.lifted_at,
                }
                for r in s.scalars(
                    select(ProcessingRestriction).where(
                        ProcessingRestriction.person_key.in_(self._keys())
                    )
                )
            ],
            "viewed": [
                {"at": a.at, "by_role": a.role.replace("_", " "), "what": a.action}
                for a in s.scalars(
                    select(AuditEntry)
                    .where(
                        or_(
                            AuditEntry.child_id.in_(self._keys()),
                            AuditEntry.target_id.in_(self._keys()),
                        )
                    )
                    .order_by(AuditEntry.seq)
                )
            ],
        }

    def _keys(self) -> list[str]:
        return sorted(set(self.records) | set(subject_keys(self.session, self.records).values()))

    def _record(self, p: Person) -> dict[str, Any]:
        return {
            "id": p.id,
            "agency": p.agency,
            "system": p.system,
            "source_id": p.source_id,
            "version": p.version,
            "received_at": p.received_at,
            "content": p.record,
        }

    def _events(
        self, event_ids: list[str], links: list[Any], everyone: list[Any]
    ) -> list[dict[str, Any]]:
        mine: dict[str, list[str]] = {}
        for eid, role, _ in links:
            mine.setdefault(eid, []).append(role)
        present: dict[str, list[str]] = {}
        for eid, role, pid in everyone:
            if pid not in self.mine:
                present.setdefault(eid, []).append(
                    f"{self.labels.get(pid, 'another person')} ({role})"
                )
        found = []
        for event in self.session.scalars(
            select(Event).where(Event.id.in_(event_ids)).order_by(Event.occurred_at)
        ):
            place = None
            if event.location_id:
                location = self.session.get(Location, event.location_id)
                if location is not None:
                    own = location.address.casefold() in self.own_addresses
                    place = location.address if own else self.redactor.text(location.address)
            found.append(
                {
                    "event": event.id,
                    "type": event.event_type,
                    "occurred_at": event.occurred_at,
                    "agency": event.agency,
                    "reference": event.reference,
                    "place": place,
                    "your_part": sorted(mine.get(event.id, [])),
                    "others": sorted(present.get(event.id, [])),
                    "summary": self.redactor.maybe(event.summary),
                    "outcome": self.redactor.maybe(event.outcome),
                    "details": self.redactor.json(event.details),
                }
            )
        return found

    def _tie(self, tie: Relationship) -> dict[str, Any]:
        if tie.person_id in self.mine:
            text = f"you are {tie.relationship_type.replace('_', ' ')} of {self.labels.get(tie.other_id, 'another person')}"
        else:
            text = f"{self.labels.get(tie.person_id, 'another person')} is your {tie.relationship_type.replace('_', ' ')}"
        # A relationship that began when the other person was born would give their birth date.
        return {
            "relationship": text,
            "from": None if tie.started_on in self.their_births else tie.started_on,
            "to": None if tie.ended_on in self.their_births else tie.ended_on,
        }

    def _concerns(self) -> list[dict[str, Any]]:
        found = []
        for concern in self.session.scalars(
            select(Concern).where(Concern.child_id.in_(self._keys())).order_by(Concern.raised_at)
        ):
            actions = [
                {"action": a.title, "status": a.status, "due_at": a.due_at, "done_at": a.done_at}
                for a in self.session.scalars(
                    select(Action).where(Action.concern_id == concern.id).order_by(Action.due_at)
                )
            ]
            found.append(
                {
                    "rule": concern.rule_id,
                    "severity": concern.severity,
                    "status": concern.status,
                    "raised_at": concern.raised_at,
                    "explanation": self.redactor.text(concern.explanation),
                    "actions": actions,
                }
            )
        return found


def export(
    db: Database, actor: Actor, person: str, *, why: str = "subject access request"
) -> dict[str, Any]:
    """Everything held about ``person`` (a master person or a person record and those linked to
    it), other people's personal data redacted. Audited."""
    with db.session(write=True) as session:
        records = records_of(session, person)
        data = _Export(session, records, local_date(utcnow())).build()
        subject = str(data["subject"])
        audit(
            session,
            actor,
            "subject_access.export",
            "person",
            subject,
            why=why,
            people=sorted({subject, *records}),
            child_id=subject,
        )
    return data


def to_html(data: dict[str, Any]) -> str:
    """The export as a page a person can read."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>What we hold about you</title></head><body>",
        "<h1>What we hold about you</h1>",
        f"<p>Made {html.escape(str(data['made_at']))}.</p>",
    ]
    for title, key in (
        ("Your records", "records"),
        ("Earlier versions of your records", "earlier_versions"),
        ("Your addresses", "addresses"),
        ("Events you are part of", "events"),
        ("Your relationships", "relationships"),
        ("Concerns raised about you", "concerns"),
        ("Decisions to keep your records", "retention_decisions"),
        ("Restrictions on the use of your records", "restrictions"),
        ("Who has looked at your record", "viewed"),
    ):
        parts.append(f"<h2>{title}</h2>")
        items = data.get(key) or []
        if not items:
            parts.append("<p>None.</p>")
            continue
        parts.append("<ul>")
        for item in items:
            text = "; ".join(
                f"{k.replace('_', ' ')}: {v}" for k, v in item.items() if v not in (None, [], {})
            )
            parts.append(f"<li>{html.escape(text)}</li>")
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)
