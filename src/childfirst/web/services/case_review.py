"""What a case reviewer sees: concerns and children's records with every person, place and member
of staff under a stable pseudonym, and nothing recorded that could name anyone.

- Pages are addressed by pseudonymous keys (``Pseudonyms.token``), never by record or concern ids:
  a real id, or a key of another kind, is "not found". The child route opens only a child, or
  someone a concern was raised about (they were a child then); anyone else is "not found".
- People are "Child KQTR" or "Adult MWZB" by their age today; dates of birth become ages, and an
  event on the day of someone's date of birth (a birth, say) is listed without its date.
- Agencies appear by their kind ("children's social care"), places by what they are ("Primary
  school HPLC", "Address QWRT"), staff as "Practitioner ..."; references and source ids are left out.
- Free text (summaries, outcomes, explanations, closure reasons, action notes and titles, the
  concern's history and the relations of the people around the child) goes through the page's
  ``Scrubber`` (see ``review_identities`` and ``childfirst.scrubbing``).

Read only; every view of a concern or a child is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.clock import UtcDateTime, local_date, utcnow
from childfirst.errors import NotFoundError
from childfirst.learning import entry
from childfirst.pseudonyms import Pseudonyms, agency_label
from childfirst.reports.people import child_age, master_keys, precision_of
from childfirst.rules.concerns import SYSTEM
from childfirst.rules.registry import RULES
from childfirst.scrubbing import Scrubber
from childfirst.store.database import Database
from childfirst.store.models import (
    Action,
    Concern,
    ConcernEvidence,
    ConcernLog,
    Event,
    Person,
)
from childfirst.web import audit
from childfirst.web.auth import CurrentUser
from childfirst.web.services.child import child_keys, view_child
from childfirst.web.services.concern import actor
from childfirst.web.services.events import summaries
from childfirst.web.services.models import ActionView, EventSummary, LearningRef
from childfirst.web.services.names import rule_title
from childfirst.web.services.review_identities import (
    Identities,
    children_now,
    identities,
    records_of,
)

RULE_DESCRIPTIONS = {r.id: r.description for r in RULES}
LIST_LIMIT = 500
# The kinds of key in the case review's addresses: one kind never opens another.
CHILD_KEY = "case review child"
CONCERN_KEY = "case review concern"


class ReviewEvent(BaseModel):
    label: str
    occurred_at: UtcDateTime | None  # None when the day is someone's date of birth
    agency: str  # the kind of agency
    roles: list[str]
    summary: str | None
    outcome: str | None


class ReviewAction(BaseModel):
    title: str
    owner_role: str
    due_at: UtcDateTime
    due_rule: str
    status: str
    overdue: bool
    assigned_to: str | None
    done_by: str | None
    done_at: UtcDateTime | None
    note: str | None


class ReviewPerson(BaseModel):
    key: str  # the key of the person's review page (which opens only for a child)
    name: str  # the pseudonym
    age: int | None
    is_child: bool
    circle: str
    relations: list[str]
    open_concerns: int


class ReviewConcernSummary(BaseModel):
    id: str  # the concern's key
    rule_title: str
    severity: str
    status: str
    explanation: str
    last_event_at: UtcDateTime


class ReviewChild(BaseModel):
    child_id: str  # the child's key
    pseudonym: str
    age: int | None
    is_child: bool  # False for someone who has turned 18 since a concern was raised
    known_to: list[tuple[str, float | None]]  # kind of agency, link strength
    concerns: list[ReviewConcernSummary]
    actions: list[ReviewAction]
    network: list[ReviewPerson]
    timeline: list[ReviewEvent]
    timeline_matching: int


class ReviewLogEntry(BaseModel):
    at: UtcDateTime
    who: str
    what: str
    why: str | None


class ReviewConcern(BaseModel):
    id: str  # the concern's key
    rule_title: str
    rule_description: str
    severity: str
    status: str
    child_id: str  # the child's key
    child_pseudonym: str
    explanation: str
    first_event_at: UtcDateTime
    raised_at: UtcDateTime
    closed_at: UtcDateTime | None
    closed_reason: str | None
    learning: list[LearningRef]
    evidence: list[ReviewEvent]
    actions: list[ReviewAction]
    history: list[ReviewLogEntry]


class ReviewListItem(BaseModel):
    concern_id: str  # the concern's key
    rule_title: str
    severity: str
    status: str
    child_id: str  # the child's key
    child_pseudonym: str
    last_event_at: UtcDateTime


def _kinds(session: Session, event_ids: Iterable[str]) -> tuple[dict[str, str], set[date]]:
    """The kind of agency of each event, and the (local) days the events happened on."""
    ids = sorted(set(event_ids))
    kinds: dict[str, str] = {}
    days: set[date] = set()
    for start in range(0, len(ids), 500):
        for event_id, kind, at in session.execute(
            select(Event.id, Event.agency_kind, Event.occurred_at).where(
                Event.id.in_(ids[start : start + 500])
            )
        ):
            kinds[event_id] = kind
            days.add(local_date(at))
    return kinds, days


def _event(
    found: Identities, event: EventSummary, kinds: dict[str, str], births: frozenset[date]
) -> ReviewEvent:
    on_a_birthday = local_date(event.occurred_at) in births
    return ReviewEvent(
        label=event.label,
        occurred_at=None if on_a_birthday else event.occurred_at,
        agency=agency_label(kinds.get(event.id, "other")),
        roles=event.roles,
        summary=found.scrub(event.summary),
        outcome=found.scrub(event.outcome),
    )


def _staff(pseudonyms: Pseudonyms, username: str | None) -> str | None:
    if username is None or username == SYSTEM:
        return username
    return pseudonyms.staff(username)


def _action(action: ActionView, pseudonyms: Pseudonyms, scrub: Scrubber) -> ReviewAction:
    """The action with the staff it was given to and done by under pseudonyms, its text scrubbed."""
    return ReviewAction(
        title=scrub(action.title) or "",
        owner_role=action.owner_role,
        due_at=action.due_at,
        due_rule=scrub(action.due_rule) or "",
        status=action.status,
        overdue=action.overdue,
        assigned_to=_staff(pseudonyms, action.assigned_to),
        done_by=_staff(pseudonyms, action.done_by),
        done_at=action.done_at,
        note=scrub(action.note),
    )


def _age(born: date | None) -> int | None:
    return None if born is None else child_age(born, precision_of("exact"), local_date(utcnow()))


def child_of(db: Database, pseudonyms: Pseudonyms, key: str) -> str:
    """The child a key stands for, if the review may open them: a child today, or someone a
    concern was raised about. Anything else is "not found"."""
    child_id = pseudonyms.reveal(CHILD_KEY, key)
    if child_id is None:
        raise NotFoundError("no such child")
    with db.session() as session:
        if session.get(Person, records_of(session, child_id)[0]) is None:
            raise NotFoundError("no such child")
        if children_now(session, [child_id], local_date(utcnow()))[child_id]:
            return child_id
    _, ids = child_keys(db, child_id)
    with db.session() as session:
        concerned = session.scalar(
            select(Concern.id).where(Concern.child_id.in_(sorted(ids))).limit(1)
        )
    if concerned is None:
        raise NotFoundError("no such child")
    return child_id


def concern_of(pseudonyms: Pseudonyms, key: str) -> int:
    """The concern a key stands for; anything else (a concern's real id) is "not found"."""
    found = pseudonyms.reveal(CONCERN_KEY, key)
    if found is None or not found.isdigit():
        raise NotFoundError("no such concern")
    return int(found)


def review_child(db: Database, user: CurrentUser, pseudonyms: Pseudonyms, key: str) -> ReviewChild:
    """The profile of the child ``key`` stands for, pseudonymised; the view is audited."""
    child_id = child_of(db, pseudonyms, key)
    profile = view_child(db, user, child_id, what="viewed child (pseudonymised)")
    concern_ids = [c.id for c in profile.concerns]
    with db.session() as session:
        evidence = set(
            session.scalars(
                select(ConcernEvidence.event_id).where(ConcernEvidence.concern_id.in_(concern_ids))
            )
        )
        events = {e.id for e in profile.timeline} | evidence
        kinds, days = _kinds(session, events)
        kinds.update(
            (person_id, kind)
            for person_id, kind in session.execute(
                select(Person.id, Person.agency_kind).where(
                    Person.id.in_(sorted(r.person_id for r in profile.records))
                )
            )
        )
        texts = [
            *(c.explanation for c in profile.concerns),
            *(t for a in profile.actions for t in (a.title, a.note)),
            *(t for e in profile.timeline for t in (e.summary, e.outcome)),
            *(r for p in profile.network for r in p.relations),
        ]
        found = identities(
            session,
            pseudonyms,
            child_id,
            events,
            concern_ids=concern_ids,
            texts=texts,
            event_days=days,
        )
    scrub = found.scrub
    centre = found.child_key
    return ReviewChild(
        child_id=pseudonyms.token(CHILD_KEY, centre),
        pseudonym=found.label(centre),
        age=_age(profile.date_of_birth),
        is_child=found.is_child.get(centre, False),
        known_to=[
            (agency_label(kinds.get(r.person_id, "other")), r.match_probability)
            for r in profile.records
        ],
        concerns=[
            ReviewConcernSummary(
                id=pseudonyms.token(CONCERN_KEY, str(c.id)),
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
                key=pseudonyms.token(CHILD_KEY, p.key),
                name=found.label(p.key),
                age=p.age,
                is_child=p.is_child,
                circle=p.circle,
                relations=[scrub(r) or "" for r in p.relations],
                open_concerns=p.open_concerns,
            )
            for p in profile.network
        ],
        timeline=[_event(found, e, kinds, found.births) for e in profile.timeline],
        timeline_matching=profile.timeline_matching,
    )


def review_concern(
    db: Database, user: CurrentUser, pseudonyms: Pseudonyms, key: str
) -> ReviewConcern:
    """The concern ``key`` stands for, pseudonymised; the view is audited."""
    concern_id = concern_of(pseudonyms, key)
    with db.session(write=True) as session:
        concern = session.get(Concern, concern_id)
        if concern is None:
            raise NotFoundError("no such concern")
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
        evidence = summaries(session, evidence_ids)
        kinds, days = _kinds(session, evidence_ids)
        now = utcnow()
        actions = [
            ActionView.of(a, now)
            for a in session.scalars(
                select(Action)
                .where(Action.concern_id == concern_id)
                .order_by(Action.due_at, Action.id)
            )
        ]
        log = session.scalars(
            select(ConcernLog).where(ConcernLog.concern_id == concern_id).order_by(ConcernLog.id)
        ).all()
        texts = [
            concern.explanation,
            concern.closed_reason,
            *(t for e in evidence for t in (e.summary, e.outcome)),
            *(t for a in actions for t in (a.title, a.note)),
            *(t for row in log for t in (row.what, row.why)),
        ]
        found = identities(
            session,
            pseudonyms,
            concern.child_id,
            evidence_ids,
            concern_ids=[concern_id],
            texts=texts,
            event_days=days,
        )
        scrub = found.scrub
        learning = []
        for learning_id in concern.learning:
            try:
                item = entry(str(learning_id))
            except NotFoundError:
                continue
            learning.append(LearningRef(id=item.id, title=item.title, kind=item.kind.value))
        return ReviewConcern(
            id=key,
            rule_title=rule_title(concern.rule_id),
            rule_description=RULE_DESCRIPTIONS.get(concern.rule_id, ""),
            severity=concern.severity,
            status=concern.status,
            child_id=pseudonyms.token(CHILD_KEY, found.child_key),
            child_pseudonym=found.label(found.child_key),
            explanation=scrub(concern.explanation) or "",
            first_event_at=concern.first_event_at,
            raised_at=concern.raised_at,
            closed_at=concern.closed_at,
            closed_reason=scrub(concern.closed_reason),
            learning=learning,
            evidence=[_event(found, e, kinds, found.births) for e in evidence],
            actions=[_action(a, pseudonyms, scrub) for a in actions],
            history=[
                ReviewLogEntry(
                    at=row.at,
                    who=_staff(pseudonyms, row.who) or "",
                    what=scrub(row.what) or "",
                    why=scrub(row.why),
                )
                for row in log
            ],
        )


def review_list(db: Database, user: CurrentUser, pseudonyms: Pseudonyms) -> list[ReviewListItem]:
    """The latest concerns, each child under a pseudonym (no names are read). The view is audited
    once, naming the children listed by their real ids (the entry is the force's, never shown to
    the reviewer)."""
    with db.session(write=True) as session:
        concerns = session.scalars(
            select(Concern).order_by(Concern.last_event_at.desc(), Concern.id).limit(LIST_LIMIT)
        ).all()
        keys = master_keys(
            session, [c.child_id for c in concerns if not c.child_id.startswith("mp_")]
        )
        people = {keys.get(c.child_id, c.child_id) for c in concerns}
        now = children_now(session, people, local_date(utcnow()))
        audit.record(
            session,
            actor(user),
            "viewed case review",
            "list",
            "case review",
            people=sorted(people | {c.child_id for c in concerns}),
        )
    items = []
    for c in concerns:
        person = keys.get(c.child_id, c.child_id)
        items.append(
            ReviewListItem(
                concern_id=pseudonyms.token(CONCERN_KEY, str(c.id)),
                rule_title=rule_title(c.rule_id),
                severity=c.severity,
                status=c.status,
                child_id=pseudonyms.token(CHILD_KEY, person),
                child_pseudonym=pseudonyms.person(person, now[person]),
                last_event_at=c.last_event_at,
            )
        )
    return items
