"""The retention review: who is due for review under the force's schedule, and the decisions.

Each person (as linkage joins their records) falls in the schedule's groups by what they were
recorded in; the latest date any of their groups gives is when they are due: the last time they came
to notice plus the group's review period, and not before the age the group keeps records to. A
decision to retain names the next review date; a decision to erase erases every record of the
person (see ``erasure.py``), refused unless the person is due for review as the decision is made
(and while the schedule says they must still be kept): erasing someone who is not due is an
administrator's direct erasure, never a review decision. Each decision names the latest decision
its maker saw for the person (none, for a first review); one made meanwhile by someone else
refuses it as a conflict, so nobody erases a person seconds after a colleague decided to retain
them. Listing the people due and every decision are audited, naming the people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.age import ADULT_AGE
from childfirst.domain.clock import local_date, utcnow
from childfirst.domain.names import full_name
from childfirst.errors import ConcurrentEditError, InvalidValueError
from childfirst.protection.audited import audit
from childfirst.protection.config import RetentionGroup, Schedule, load_schedule
from childfirst.protection.erased import erased_ids
from childfirst.protection.erasure import erase_records
from childfirst.protection.subjects import records_of, subject_keys
from childfirst.store.database import Database
from childfirst.store.fetch import rows, rows_in
from childfirst.store.models import Event, EventLink, Person
from childfirst.store.protection import RetentionDecision

if TYPE_CHECKING:
    from childfirst.web.audit import Actor

RETAIN = "retain"
ERASE = "erase"


def plus_years(day: date, years: int) -> date:
    """``day`` moved on by whole years (29 February becomes 28 February in other years)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass
class Review:
    """One person as the schedule sees them: their groups and the day they are due for review."""

    person_key: str
    records: list[str]
    name: str
    date_of_birth: date | None
    last_activity: date
    groups: list[str] = field(default_factory=list)
    group: str = ""
    due_on: date = date.min
    last_decision: date | None = None
    last_decision_id: int | None = None


@dataclass
class _Subject:
    records: list[str] = field(default_factory=list)
    name: str = ""
    dob: date | None = None
    last: date = date.min  # the last event they were linked to
    received: date = date.min  # when their latest record was received
    # (event type, role, day) of every event the person is linked to
    links: list[tuple[str, str, date]] = field(default_factory=list)


def _matches(group: RetentionGroup, subject: _Subject) -> bool:
    if group.takes_everyone:
        return True
    if group.child and subject.dob is not None:
        adult_on = plus_years(subject.dob, ADULT_AGE)
        if any(day < adult_on for _, _, day in subject.links):
            return True
    if group.event_types or group.roles:
        return any(
            (not group.event_types or etype in group.event_types)
            and (not group.roles or role in group.roles)
            for etype, role, _ in subject.links
        )
    return False


def _due(group: RetentionGroup, subject: _Subject) -> date:
    due = plus_years(subject.last, group.review_years)
    if group.keep_until_age and subject.dob is not None:
        due = max(due, plus_years(subject.dob, group.keep_until_age))
    return due


def _subjects(session: Session, only: list[str] | None) -> dict[str, _Subject]:
    gone = erased_ids(session, "person")
    columns = select(
        Person.id, Person.given_name, Person.family_name, Person.date_of_birth, Person.received_at
    )
    found = rows(session, columns) if only is None else rows_in(session, columns, Person.id, only)
    people = [row for row in found if row[0] not in gone]
    keys = subject_keys(session, [str(row[0]) for row in people])
    subjects: dict[str, _Subject] = defaultdict(_Subject)
    key_of: dict[str, str] = {}
    for pid, given, family, dob, received in people:
        key = keys[str(pid)]
        key_of[str(pid)] = key
        subject = subjects[key]
        subject.records.append(str(pid))
        name = full_name(given, family, unknown="")
        if len(name) > len(subject.name):
            subject.name = name
        subject.dob = subject.dob or dob
        subject.received = max(subject.received, local_date(received))
    links = (
        select(EventLink.person_id, EventLink.role, Event.event_type, Event.occurred_at)
        .join(Event, Event.id == EventLink.event_id)
        .where(EventLink.person_id.is_not(None))
    )
    found_links = (
        rows(session, links) if only is None else rows_in(session, links, EventLink.person_id, only)
    )
    for pid, role, etype, at in found_links:
        owner = key_of.get(str(pid))
        if owner is None:
            continue
        day = local_date(at)
        subject = subjects[owner]
        subject.links.append((str(etype), str(role), day))
        subject.last = max(subject.last, day)
    for subject in subjects.values():
        if not subject.links:  # never linked to an event: counted from when it was received
            subject.last = subject.received
    return subjects


def _latest_decisions(session: Session, keys: list[str]) -> dict[str, RetentionDecision]:
    latest: dict[str, RetentionDecision] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for decision in session.scalars(
            select(RetentionDecision)
            .where(RetentionDecision.person_key.in_(chunk))
            .order_by(RetentionDecision.decided_at, RetentionDecision.id)
        ):
            latest[decision.person_key] = decision
    return latest


def reviews(session: Session, schedule: Schedule, only: list[str] | None = None) -> list[Review]:
    """Every person held (or the person of the records ``only``), with the day each is due."""
    subjects = _subjects(session, only)
    decisions = _latest_decisions(session, sorted(subjects))
    found: list[Review] = []
    for key, subject in subjects.items():
        matched = [g for g in schedule.groups if _matches(g, subject)]
        dates = {g.name: _due(g, subject) for g in matched}
        group = max(matched, key=lambda g: dates[g.name])
        due = dates[group.name]
        decision = decisions.get(key)
        decided = None
        decided_id = None
        if decision is not None:
            decided_id = decision.id
            decided = local_date(decision.decided_at)
            later = decision.next_review_on or due
            due = max(later, due) if subject.last > decided else later
        found.append(
            Review(
                key,
                sorted(subject.records),
                subject.name or "name not recorded",
                subject.dob,
                subject.last,
                [g.name for g in matched],
                group.name,
                due,
                decided,
                decided_id,
            )
        )
    return sorted(found, key=lambda r: (r.due_on, r.person_key))


@dataclass(frozen=True)
class DueList:
    """The people due for review, longest overdue first (the first ``limit`` of ``total``)."""

    people: list[Review]
    total: int


def due_for_review(
    db: Database,
    actor: Actor,
    *,
    today: date | None = None,
    schedule: Schedule | None = None,
    limit: int | None = None,
    on_behalf_of: str | None = None,
) -> DueList:
    """The people due for review by ``today``, longest overdue first, at most ``limit`` of them;
    the listing is audited, naming everyone listed (and whom an operator listed them for)."""
    today = today or local_date(utcnow())
    schedule = schedule or load_schedule()
    with db.session(write=True) as session:
        due = [r for r in reviews(session, schedule) if r.due_on <= today]
        shown = due if limit is None else due[:limit]
        audit(
            session,
            actor,
            "retention.list_due",
            "retention",
            today.isoformat(),
            why=f"{len(shown)} of {len(due)} due: {', '.join(r.person_key for r in shown)}"
            + (f" (on behalf of {on_behalf_of})" if on_behalf_of else ""),
            people=[pid for r in shown for pid in (r.person_key, *r.records)],
        )
    return DueList(shown, len(due))


@dataclass(frozen=True)
class Decision:
    id: int
    person_key: str
    decision: str
    group: str
    next_review_on: date | None
    erased: list[str]


class NotDueForReviewError(InvalidValueError):
    """An erase decision about a person the schedule does not yet bring up for review."""


def decide(
    db: Database,
    actor: Actor,
    person: str,
    decision: str,
    reason: str,
    *,
    last_seen: int | None = None,
    next_review_on: date | None = None,
    today: date | None = None,
    schedule: Schedule | None = None,
) -> Decision:
    """Record a review of ``person`` (a master person or a person record): retain until
    ``next_review_on`` (by default the group's review period from today), or erase, which is
    refused (``NotDueForReviewError``) unless they are due for review by ``today``.

    ``last_seen`` is the id of the latest decision about the person its maker saw (None: no
    decision); any other latest decision refuses this one with ``ConcurrentEditError``."""
    reason = reason.strip()
    if not reason:
        raise InvalidValueError("a retention decision needs a reason")
    if decision not in (RETAIN, ERASE):
        raise InvalidValueError(
            f"a retention decision is '{RETAIN}' or '{ERASE}', not {decision!r}"
        )
    today = today or local_date(utcnow())
    schedule = schedule or load_schedule()
    with db.session(write=True) as session:
        records = records_of(session, person)
        _lock(session, records)
        found = reviews(session, schedule, records)
        if not found:
            raise InvalidValueError(f"everything held about {person} has already been erased")
        review = found[0]
        _check_last_seen(session, review, last_seen)
        group = schedule.group(review.group)
        if decision == RETAIN:
            next_review_on = next_review_on or plus_years(today, group.review_years)
            if next_review_on <= today:
                raise InvalidValueError("the next review must be after today")
        else:
            next_review_on = None
            if review.due_on > today:
                raise NotDueForReviewError(
                    f"{review.person_key} is not due for review until "
                    f"{review.due_on.isoformat()} ('{group.label}'): a review may erase only "
                    "someone due; erasing anyone else is for an administrator, as an erasure "
                    "with its own reason"
                )
            keep = [schedule.group(g) for g in review.groups]
            _check_may_erase(review, keep, today)
        row = RetentionDecision(
            person_key=review.person_key,
            retention_group=review.group,
            decision=decision,
            reason=reason,
            next_review_on=next_review_on,
            decided_by=actor.username,
            decided_at=utcnow(),
        )
        session.add(row)
        session.flush()
        audit(
            session,
            actor,
            f"retention.{decision}",
            "person",
            review.person_key,
            why=f"decision {row.id} ({review.group}): {reason}",
            people=[review.person_key, *review.records],
            child_id=review.person_key,
        )
        erased: list[str] = []
        if decision == ERASE:
            erased = erase_records(session, actor, review.records, reason, decision_id=row.id)
        return Decision(row.id, review.person_key, decision, review.group, next_review_on, erased)


def _lock(session: Session, records: list[str]) -> None:
    """On PostgreSQL, hold the person's records until the decision commits, so that two reviews
    of the same person take turns (SQLite's write session already holds the whole store)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            select(Person.id).where(Person.id.in_(records)).order_by(Person.id).with_for_update()
        )


def _check_last_seen(session: Session, review: Review, last_seen: int | None) -> None:
    if review.last_decision_id == last_seen:
        return
    latest = (
        session.get(RetentionDecision, review.last_decision_id)
        if review.last_decision_id is not None
        else None
    )
    raise ConcurrentEditError(
        "the retention review of",
        review.person_key,
        last_seen or 0,
        review.last_decision_id,
        changed_by=latest.decided_by if latest else None,
        changed_at=latest.decided_at if latest else None,
        status=f"decided: {latest.decision}" if latest else None,
    )


def _check_may_erase(review: Review, groups: list[RetentionGroup], today: date) -> None:
    for group in groups:
        if group.keep_until_age is None:
            continue
        if review.date_of_birth is None:
            raise InvalidValueError(
                f"the schedule keeps '{group.label}' until age {group.keep_until_age}, and this "
                "person's date of birth is not recorded: retain and review again"
            )
        until = plus_years(review.date_of_birth, group.keep_until_age)
        if today < until:
            raise InvalidValueError(
                f"the schedule keeps '{group.label}' until age {group.keep_until_age} "
                f"({until.isoformat()}): retain and review again"
            )
