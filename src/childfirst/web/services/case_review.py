"""What a case reviewer sees: concerns and children's records with every person, address and
member of staff under a stable pseudonym, dates of birth as ages, references and source ids
left out, and names taken out of free text. Read only; every view is audited."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.clock import local_date, utcnow
from childfirst.errors import NotFoundError
from childfirst.learning import entry
from childfirst.network import child_network
from childfirst.pseudonyms import Pseudonyms, Scrubber, address_variants, name_variants
from childfirst.reports.people import child_age, master_keys, precision_of
from childfirst.rules.concerns import SYSTEM
from childfirst.rules.places import place_key
from childfirst.rules.registry import RULES
from childfirst.store.database import Database
from childfirst.store.models import (
    Action,
    Concern,
    ConcernEvidence,
    ConcernLog,
    Event,
    EventLink,
    Location,
    Person,
    PersonAddress,
)
from childfirst.web import audit
from childfirst.web.auth import CurrentUser
from childfirst.web.services.child import view_child
from childfirst.web.services.concern import actor
from childfirst.web.services.events import summaries
from childfirst.web.services.models import ActionView, EventSummary, LearningRef
from childfirst.web.services.names import rule_title

RULE_DESCRIPTIONS = {r.id: r.description for r in RULES}
LIST_LIMIT = 500
AMBIGUOUS = "[name]"


class ReviewEvent(BaseModel):
    label: str
    occurred_at: datetime
    agency: str
    roles: list[str]
    summary: str | None
    outcome: str | None


class ReviewPerson(BaseModel):
    key: str
    name: str  # the pseudonym
    age: int | None
    is_child: bool
    circle: str
    relations: list[str]
    open_concerns: int


class ReviewConcernSummary(BaseModel):
    id: int
    rule_title: str
    severity: str
    status: str
    explanation: str
    last_event_at: datetime


class ReviewChild(BaseModel):
    child_id: str
    pseudonym: str
    age: int | None
    known_to: list[tuple[str, float | None]]  # agency, link strength
    concerns: list[ReviewConcernSummary]
    actions: list[ActionView]
    network: list[ReviewPerson]
    timeline: list[ReviewEvent]
    timeline_matching: int


class ReviewLogEntry(BaseModel):
    at: datetime
    who: str
    what: str
    why: str | None


class ReviewConcern(BaseModel):
    id: int
    rule_title: str
    rule_description: str
    severity: str
    status: str
    child_id: str
    child_pseudonym: str
    explanation: str
    first_event_at: datetime
    raised_at: datetime
    closed_at: datetime | None
    closed_reason: str | None
    learning: list[LearningRef]
    evidence: list[ReviewEvent]
    actions: list[ActionView]
    history: list[ReviewLogEntry]


class ReviewListItem(BaseModel):
    concern_id: int
    rule_title: str
    severity: str
    status: str
    child_id: str
    child_pseudonym: str
    last_event_at: datetime


@dataclass(frozen=True)
class Identities:
    """The pseudonym of each person key around a child, and a scrubber for free text."""

    labels: dict[str, str]
    scrub: Scrubber
    child_key: str

    def label(self, key: str) -> str:
        return self.labels.get(key, AMBIGUOUS)


def _event_people(session: Session, event_ids: Collection[str]) -> set[str]:
    ids = sorted(event_ids)
    found: set[str] = set()
    for start in range(0, len(ids), 1000):
        found.update(
            p
            for p in session.scalars(
                select(EventLink.person_id).where(EventLink.event_id.in_(ids[start : start + 1000]))
            )
            if p is not None
        )
    return found


def identities(
    session: Session, pseudonyms: Pseudonyms, child_id: str, event_ids: Collection[str]
) -> Identities:
    """Pseudonyms for the child, everyone around the child and everyone in the events, and the
    scrubber that replaces their names and the child's addresses in free text."""
    on = local_date(utcnow())
    network = child_network(session, child_id, on)
    key_of = dict.fromkeys(network.child_record_ids, network.child_key)
    is_child = {network.child_key: True}
    for person in network.people:
        key_of.update(dict.fromkeys(person.record_ids, person.key))
        is_child[person.key] = person.is_child
    others = _event_people(session, event_ids) - set(key_of)
    key_of.update(master_keys(session, others))
    replacements: dict[str, str] = {}
    labels: dict[str, str] = {}
    records = sorted(key_of)
    for start in range(0, len(records), 1000):
        rows = session.execute(
            select(
                Person.id,
                Person.given_name,
                Person.family_name,
                Person.aliases,
                Person.date_of_birth,
                Person.dob_precision,
            ).where(Person.id.in_(records[start : start + 1000]))
        )
        for pid, given, family, aliases, dob, precision in rows:
            key = key_of[pid]
            if key not in is_child:
                is_child[key] = child_age(dob, precision_of(precision), on) is not None
            label = labels.setdefault(key, pseudonyms.person(key, is_child[key]))
            for variant in name_variants(given, family, aliases or []):
                folded = variant.casefold()
                previous = replacements.get(folded)
                # A surname shared by a family names nobody in particular.
                replacements[folded] = label if previous in (None, label) else AMBIGUOUS
    places: list[tuple[str, str | None, str | None]] = [
        (a, p, u)
        for a, p, u in session.execute(
            select(Location.address, Location.postcode, Location.uprn)
            .join(PersonAddress, PersonAddress.location_id == Location.id)
            .where(PersonAddress.person_id.in_(sorted(network.child_record_ids)))
        )
    ]
    event_ids_sorted = sorted(event_ids)
    for start in range(0, len(event_ids_sorted), 1000):
        places.extend(
            (a, p, u)
            for a, p, u in session.execute(
                select(Location.address, Location.postcode, Location.uprn)
                .join(Event, Event.location_id == Location.id)
                .where(Event.id.in_(event_ids_sorted[start : start + 1000]))
            )
        )
    for start in range(0, len(event_ids_sorted), 1000):
        for reference in session.scalars(
            select(Event.reference).where(
                Event.id.in_(event_ids_sorted[start : start + 1000]), Event.reference.is_not(None)
            )
        ):
            if reference:
                replacements[reference.casefold()] = "[reference]"
    for address, postcode, uprn in places:
        label = pseudonyms.place(place_key(address, postcode, uprn))
        for variant in address_variants(address, postcode):
            replacements.setdefault(variant.casefold(), label)
    return Identities(labels, Scrubber(replacements), network.child_key)


def _event(scrub: Scrubber, event: EventSummary) -> ReviewEvent:
    return ReviewEvent(
        label=event.label,
        occurred_at=event.occurred_at,
        agency=event.agency,
        roles=event.roles,
        summary=scrub(event.summary),
        outcome=scrub(event.outcome),
    )


def _staff(pseudonyms: Pseudonyms, username: str | None) -> str | None:
    if username is None or username == SYSTEM:
        return username
    return pseudonyms.staff(username)


def _action(action: ActionView, pseudonyms: Pseudonyms, scrub: Scrubber) -> ActionView:
    """The action with the staff it was given to and done by under pseudonyms, its note scrubbed."""
    staff = Scrubber(
        {u: pseudonyms.staff(u) for u in (action.assigned_to, action.done_by) if u and u != SYSTEM}
    )
    return action.model_copy(
        update={
            "assigned_to": _staff(pseudonyms, action.assigned_to),
            "done_by": _staff(pseudonyms, action.done_by),
            "note": scrub(staff(action.note)),
        }
    )


def _age(born: date | None) -> int | None:
    return None if born is None else child_age(born, precision_of("exact"), local_date(utcnow()))


def review_child(
    db: Database, user: CurrentUser, pseudonyms: Pseudonyms, child_id: str
) -> ReviewChild:
    """The child's profile, pseudonymised; the view is audited."""
    profile = view_child(db, user, child_id, what="viewed child (pseudonymised)")
    with db.session() as session:
        evidence = session.scalars(
            select(ConcernEvidence.event_id).where(
                ConcernEvidence.concern_id.in_([c.id for c in profile.concerns])
            )
        )
        events = {e.id for e in profile.timeline} | set(evidence)
        found = identities(session, pseudonyms, child_id, events)
    scrub = found.scrub
    return ReviewChild(
        child_id=child_id,
        pseudonym=found.label(found.child_key),
        age=_age(profile.date_of_birth),
        known_to=[(r.agency, r.match_probability) for r in profile.records],
        concerns=[
            ReviewConcernSummary(
                id=c.id,
                rule_title=c.rule_title,
                severity=c.severity,
                status=c.status,
                explanation=scrub(c.explanation) or "",
                last_event_at=c.last_event_at,
            )
            for c in profile.concerns
        ],
        actions=[_action(a, pseudonyms, scrub) for a in profile.actions],
        network=[
            ReviewPerson(
                key=p.key,
                name=found.label(p.key),
                age=p.age,
                is_child=p.is_child,
                circle=p.circle,
                relations=[scrub(r) or "" for r in p.relations],
                open_concerns=p.open_concerns,
            )
            for p in profile.network
        ],
        timeline=[_event(scrub, e) for e in profile.timeline],
        timeline_matching=profile.timeline_matching,
    )


def review_concern(
    db: Database, user: CurrentUser, pseudonyms: Pseudonyms, concern_id: int
) -> ReviewConcern:
    """One concern, pseudonymised; the view is audited."""
    with db.session(write=True) as session:
        concern = session.get(Concern, concern_id)
        if concern is None:
            raise NotFoundError(f"concern {concern_id} does not exist")
        audit.record(
            session,
            actor(user),
            "viewed concern (pseudonymised)",
            "concern",
            str(concern_id),
            child_id=concern.child_id,
        )
        evidence_ids = list(
            session.scalars(
                select(ConcernEvidence.event_id).where(ConcernEvidence.concern_id == concern_id)
            )
        )
        found = identities(session, pseudonyms, concern.child_id, evidence_ids)
        scrub = found.scrub
        now = utcnow()
        actions = session.scalars(
            select(Action).where(Action.concern_id == concern_id).order_by(Action.due_at, Action.id)
        ).all()
        log = session.scalars(
            select(ConcernLog).where(ConcernLog.concern_id == concern_id).order_by(ConcernLog.id)
        ).all()
        # Staff named in the log's reasons (an action's assignee) appear under pseudonyms too.
        usernames = {u for a in actions for u in (a.assigned_to, a.done_by) if u}
        usernames |= {row.who for row in log}
        staff = Scrubber({u: pseudonyms.staff(u) for u in usernames if u != SYSTEM})
        learning = []
        for learning_id in concern.learning:
            try:
                item = entry(str(learning_id))
            except NotFoundError:
                continue
            learning.append(LearningRef(id=item.id, title=item.title, kind=item.kind.value))
        return ReviewConcern(
            id=concern.id,
            rule_title=rule_title(concern.rule_id),
            rule_description=RULE_DESCRIPTIONS.get(concern.rule_id, ""),
            severity=concern.severity,
            status=concern.status,
            child_id=concern.child_id,
            child_pseudonym=found.label(found.child_key),
            explanation=scrub(concern.explanation) or "",
            first_event_at=concern.first_event_at,
            raised_at=concern.raised_at,
            closed_at=concern.closed_at,
            closed_reason=scrub(concern.closed_reason),
            learning=learning,
            evidence=[_event(scrub, e) for e in summaries(session, evidence_ids)],
            actions=[_action(ActionView.of(a, now), pseudonyms, scrub) for a in actions],
            history=[
                ReviewLogEntry(
                    at=row.at,
                    who=_staff(pseudonyms, row.who) or "",
                    what=row.what,
                    why=scrub(staff(row.why)),
                )
                for row in log
            ],
        )


def review_list(db: Database, pseudonyms: Pseudonyms) -> list[ReviewListItem]:
    """The latest concerns, each child under a pseudonym (no names are read)."""
    with db.session() as session:
        concerns = session.scalars(
            select(Concern).order_by(Concern.last_event_at.desc(), Concern.id).limit(LIST_LIMIT)
        ).all()
        keys = master_keys(
            session, [c.child_id for c in concerns if not c.child_id.startswith("mp_")]
        )
    return [
        ReviewListItem(
            concern_id=c.id,
            rule_title=rule_title(c.rule_id),
            severity=c.severity,
            status=c.status,
            child_id=c.child_id,
            child_pseudonym=pseudonyms.person(keys.get(c.child_id, c.child_id), True),
            last_event_at=c.last_event_at,
        )
        for c in concerns
    ]
