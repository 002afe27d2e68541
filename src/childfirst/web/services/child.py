"""A child's profile: who the child is across sources, open concerns, actions and a timeline."""

from __future__ import annotations

from sqlalchemy import select

from childfirst.domain.clock import utcnow
from childfirst.errors import NotFoundError
from childfirst.linkage import master_of, members
from childfirst.store.database import Database
from childfirst.store.models import Action, Concern, Person
from childfirst.web import audit
from childfirst.web.auth import CurrentUser
from childfirst.web.services.concern import actor
from childfirst.web.services.events import events_of, summaries
from childfirst.web.services.models import ActionView, ChildProfile, ConcernSummary, SourceRecord
from childfirst.web.services.names import person_name, rule_title


def _record_ids(db: Database, child_id: str) -> tuple[list[str], dict[str, float | None]]:
    """The person records that are this child, with how strongly each is linked."""
    if child_id.startswith("mp_"):
        found = members(db, child_id)
        return [str(m["person_id"]) for m in found], {
            str(m["person_id"]): m["match_probability"] for m in found
        }
    master = master_of(db, [child_id]).get(child_id)
    if master is not None:
        return _record_ids(db, master)
    return [child_id], {child_id: None}


def child_keys(db: Database, child_id: str) -> tuple[str, set[str]]:
    """The id the audit log files a child under (the master person, once linked), and every id
    the child's concerns and audit entries may carry."""
    record_ids, _ = _record_ids(db, child_id)
    masters = set(master_of(db, record_ids).values())
    canonical = min(masters) if len(masters) == 1 else child_id
    return canonical, {child_id, *record_ids, *masters}


def view_child(db: Database, user: CurrentUser, child_id: str) -> ChildProfile:
    """The child's profile; the view is written to the audit log."""
    record_ids, strength = _record_ids(db, child_id)
    canonical, keys = child_keys(db, child_id)
    now = utcnow()
    with db.session(write=True) as session:
        persons = session.scalars(
            select(Person)
            .where(Person.id.in_(sorted(record_ids)))
            .order_by(Person.agency, Person.id)
        ).all()
        if not persons:
            raise NotFoundError(f"child {child_id} does not exist")
        concerns = session.scalars(
            select(Concern)
            .where(Concern.child_id.in_(sorted(keys)))
            .order_by(Concern.status != "open", Concern.last_event_at.desc())
        ).all()
        actions = session.scalars(
            select(Action)
            .where(Action.concern_id.in_([c.id for c in concerns]))
            .order_by(Action.due_at)
        ).all()
        timeline = summaries(session, events_of(session, record_ids), record_ids, newest_first=True)
        audit.record(session, actor(user), "viewed child", "child", child_id, child_id=canonical)
    best = persons[0]
    return ChildProfile(
        child_id=child_id,
        name=person_name(best.given_name, best.family_name),
        date_of_birth=next((p.date_of_birth for p in persons if p.date_of_birth), None),
        records=[
            SourceRecord(
                person_id=p.id,
                agency=p.agency,
                system=p.system,
                source_id=p.source_id,
                name=person_name(p.given_name, p.family_name),
                date_of_birth=p.date_of_birth,
                match_probability=strength.get(p.id),
            )
            for p in persons
        ],
        concerns=[
            ConcernSummary(
                id=c.id,
                rule_id=c.rule_id,
                rule_title=rule_title(c.rule_id),
                severity=c.severity,
                status=c.status,
                explanation=c.explanation,
                last_event_at=c.last_event_at,
            )
            for c in concerns
        ],
        actions=[ActionView.of(a, now) for a in actions],
        timeline=timeline,
    )
