"""A child's profile: who the child is across sources, the people around the child, open concerns,
actions and a timeline of everything known, which can be narrowed by agency and event type."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.domain.names import full_name
from childfirst.errors import NotFoundError
from childfirst.linkage import master_of, members
from childfirst.network import Network, child_network
from childfirst.protection.restricted import RESTRICTED_NAME, restricted_keys
from childfirst.protection.restriction import use_restricted
from childfirst.store.database import Database
from childfirst.store.models import Action, Concern, Event, EventLink, Person
from childfirst.web import audit
from childfirst.web.auth import CurrentUser
from childfirst.web.services.concern import actor
from childfirst.web.services.events import MAX_EVENTS, label, summary
from childfirst.web.services.models import (
    ActionView,
    ChildProfile,
    ConcernSummary,
    NetworkPerson,
    SourceRecord,
    Timeline,
    TimelineChoice,
)
from childfirst.web.services.names import rule_title


@dataclass(frozen=True)
class TimelineFilter:
    """Which agencies and event types to show; empty means all."""

    agencies: frozenset[str] = frozenset()
    event_types: frozenset[str] = frozenset()

    @classmethod
    def of(cls, agencies: Iterable[str] = (), event_types: Iterable[str] = ()) -> TimelineFilter:
        return cls(frozenset(a for a in agencies if a), frozenset(t for t in event_types if t))


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


def child_keys(
    db: Database, child_id: str, record_ids: list[str] | None = None
) -> tuple[str, set[str]]:
    """The id the audit log files a child under (the master person, once linked), and every id
    the child's concerns and audit entries may carry."""
    if record_ids is None:
        record_ids, _ = _record_ids(db, child_id)
    masters = set(master_of(db, record_ids).values())
    canonical = min(masters) if len(masters) == 1 else child_id
    return canonical, {child_id, *record_ids, *masters}


def _choices(
    counts: dict[str, int], selected: Collection[str], name: dict[str, str]
) -> list[TimelineChoice]:
    # A value asked for but absent stays on offer with no events, so it can be unticked.
    counts = {**dict.fromkeys(selected, 0), **counts}
    return [
        TimelineChoice(value=v, label=name.get(v, v), count=n, selected=v in selected)
        for v, n in sorted(counts.items(), key=lambda item: (name.get(item[0], item[0]), item[0]))
    ]


def timeline(session: Session, record_ids: Collection[str], wanted: TimelineFilter) -> Timeline:
    """The child's events, newest first (at most ``MAX_EVENTS``), and the choices to narrow them."""
    people = sorted(record_ids)
    linked = select(EventLink.event_id).where(EventLink.person_id.in_(people))
    agencies: dict[str, int] = {}
    types: dict[str, int] = {}
    matching = 0
    for agency, event_type, n in session.execute(
        select(Event.agency, Event.event_type, func.count())
        .where(Event.id.in_(linked))
        .group_by(Event.agency, Event.event_type)
    ):
        agencies[agency] = agencies.get(agency, 0) + n
        types[event_type] = types.get(event_type, 0) + n
        if (not wanted.agencies or agency in wanted.agencies) and (
            not wanted.event_types or event_type in wanted.event_types
        ):
            matching += n
    query = select(
        Event.id,
        Event.event_type,
        Event.occurred_at,
        Event.reference,
        Event.agency,
        Event.summary,
        Event.outcome,
    ).where(Event.id.in_(linked))
    if wanted.agencies:
        query = query.where(Event.agency.in_(sorted(wanted.agencies)))
    if wanted.event_types:
        query = query.where(Event.event_type.in_(sorted(wanted.event_types)))
    rows = session.execute(
        query.order_by(Event.occurred_at.desc(), Event.id).limit(MAX_EVENTS)
    ).all()
    # The child's roles: every link of the child's records (indexed by person), read at once.
    roles: dict[str, set[str]] = {}
    for event_id, role in session.execute(
        select(EventLink.event_id, EventLink.role).where(EventLink.person_id.in_(people))
    ):
        roles.setdefault(event_id, set()).add(role)
    return Timeline(
        events=[summary(r, roles.get(r.id, set())) for r in rows],
        matching=matching,
        agencies=_choices(agencies, wanted.agencies, {}),
        event_types=_choices(
            types, wanted.event_types, {t: label(t) for t in (*types, *wanted.event_types)}
        ),
    )


def network_people(network: Network, hidden: frozenset[str] = frozenset()) -> list[NetworkPerson]:
    """The people around the child; those whose processing is restricted (``hidden``) are shown
    as "[restricted person]", without their age."""
    return [
        NetworkPerson(
            key=p.key,
            name=RESTRICTED_NAME if p.key in hidden else p.name,
            age=None if p.key in hidden else p.age,
            is_child=p.is_child,
            circle=p.circle,
            relations=[r.text for r in p.relations],
            shared_events=p.shared_events,
            open_concerns=p.open_concerns,
        )
        for p in network.people
    ]


def child_timeline(
    db: Database, user: CurrentUser, child_id: str, wanted: TimelineFilter
) -> Timeline:
    """Only the timeline, narrowed (for the page's in-place update); the view is audited. Not
    for a child whose processing is restricted: their page is opened with a purpose instead."""
    record_ids, _ = _record_ids(db, child_id)
    canonical, keys = child_keys(db, child_id, record_ids)
    with db.session(write=True) as session:
        use_restricted(session, actor(user), keys, None)
        if session.get(Person, record_ids[0]) is None:
            raise NotFoundError(f"child {child_id} does not exist")
        found = timeline(session, record_ids, wanted)
        audit.record(
            session, actor(user), "viewed child timeline", "child", child_id, child_id=canonical
        )
    return found


def view_child(
    db: Database,
    user: CurrentUser,
    child_id: str,
    wanted: TimelineFilter | None = None,
    *,
    what: str = "viewed child",
    purpose: str | None = None,
) -> ChildProfile:
    """The child's profile; the view is written to the audit log. A child whose processing is
    restricted is shown only for one of the restriction's purposes, and with its notice."""
    record_ids, strength = _record_ids(db, child_id)
    canonical, keys = child_keys(db, child_id, record_ids)
    now = utcnow()
    with db.session(write=True) as session:
        restriction = use_restricted(session, actor(user), keys, purpose)
        hidden = restricted_keys(session)
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
        found = timeline(session, record_ids, wanted or TimelineFilter())
        network = child_network(session, child_id)
        shown = [*record_ids, *(p.key for p in network.people)]
        audit.record(
            session, actor(user), what, "child", child_id, child_id=canonical, people=shown
        )
    best = persons[0]
    return ChildProfile(
        child_id=child_id,
        restriction=restriction.notice if restriction else None,
        name=full_name(best.given_name, best.family_name),
        date_of_birth=next((p.date_of_birth for p in persons if p.date_of_birth), None),
        records=[
            SourceRecord(
                person_id=p.id,
                agency=p.agency,
                system=p.system,
                source_id=p.source_id,
                name=full_name(p.given_name, p.family_name),
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
        timeline=found.events,
        timeline_matching=found.matching,
        timeline_agencies=found.agencies,
        timeline_event_types=found.event_types,
        network=network_people(network, hidden),
        associates_left_off=network.associates_left_off,
    )
