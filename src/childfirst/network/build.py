"""Who is around a child, read from the store and resolved to one person each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from childfirst.domain.age import age_at, is_child, latest_possible_birth
from childfirst.domain.clock import local_date, utcnow
from childfirst.domain.names import full_name
from childfirst.domain.places import place_key
from childfirst.domain.vocab import DobPrecision, RelationshipType
from childfirst.errors import NotFoundError
from childfirst.reports.people import master_keys, precision_of
from childfirst.store.models import (
    Concern,
    EventLink,
    Location,
    MasterMembership,
    Person,
    PersonAddress,
    Relationship,
)

# How each relationship places the other person in the picture.
FAMILY = frozenset(
    {
        RelationshipType.PARENT,
        RelationshipType.STEP_PARENT,
        RelationshipType.CARER,
        RelationshipType.FOSTER_CARER,
        RelationshipType.SIBLING,
        RelationshipType.GRANDPARENT,
    }
)
CARERS = frozenset(
    {
        RelationshipType.PARENT,
        RelationshipType.STEP_PARENT,
        RelationshipType.CARER,
        RelationshipType.FOSTER_CARER,
    }
)
HOUSEHOLD = frozenset({RelationshipType.PARTNER, RelationshipType.HOUSEHOLD_MEMBER})
SYMMETRIC = frozenset(
    {
        RelationshipType.SIBLING,
        RelationshipType.PARTNER,
        RelationshipType.EX_PARTNER,
        RelationshipType.HOUSEHOLD_MEMBER,
        RelationshipType.ASSOCIATE,
    }
)
# People in an event in these roles are there for their work, not as the child's associates.
PROFESSIONAL_ROLES = frozenset({"professional", "interpreter", "interviewer", "appropriate_adult"})
MAX_ASSOCIATES = 12


@dataclass(frozen=True)
class Relation:
    """One reason a person is in the picture: ``kind`` is family, household or associate;
    ``what`` says it in words, about ``via`` (another person in the picture) when there is one."""

    kind: str
    what: str
    via: str | None = None  # the person's key
    via_name: str | None = None
    ended: date | None = None

    @property
    def text(self) -> str:
        words = f"{self.what} {self.via_name}" if self.via_name else self.what
        return f"{words} (ended {self.ended.isoformat()})" if self.ended else words


@dataclass
class Connection:
    key: str  # the master person, or the source record while unlinked
    record_ids: list[str]
    name: str
    date_of_birth: date | None
    age: int | None
    is_child: bool
    relations: list[Relation] = field(default_factory=list)
    shared_events: int = 0
    open_concerns: int = 0

    @property
    def circle(self) -> str:
        """The inner circle (family and household) or the outer one (associates)."""
        inner = any(r.kind in ("family", "household") for r in self.relations)
        return "household" if inner else "associate"

    @property
    def description(self) -> str:
        return "; ".join(r.text for r in self.relations)


@dataclass
class Network:
    child_key: str
    child_record_ids: list[str]
    child_name: str
    on: date
    people: list[Connection]
    associates_left_off: int = 0

    def circle(self, name: str) -> list[Connection]:
        return [p for p in self.people if p.circle == name]


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _child_records(session: Session, child_id: str) -> tuple[str, list[str]]:
    master = child_id if child_id.startswith("mp_") else None
    if master is None:
        master = session.scalar(
            select(MasterMembership.master_id).where(MasterMembership.person_id == child_id)
        )
    if master is None:
        return child_id, [child_id]
    records = session.scalars(
        select(MasterMembership.person_id).where(MasterMembership.master_id == master)
    ).all()
    return master, sorted(records) or [child_id]


def _relationships(
    session: Session, records: Collection[str]
) -> list[tuple[str, RelationshipType, bool, date | None]]:
    """(other record, type, whether the other is ``type`` of the person, ended on) for each
    relationship of the records."""
    rows = session.execute(
        select(
            Relationship.person_id,
            Relationship.other_id,
            Relationship.relationship_type,
            Relationship.ended_on,
        ).where(
            or_(
                Relationship.person_id.in_(sorted(records)),
                Relationship.other_id.in_(sorted(records)),
            )
        )
    )
    found = []
    for person_id, other_id, kind, ended in rows:
        try:
            rel = RelationshipType(kind)
        except ValueError:
            rel = RelationshipType.ASSOCIATE
        if other_id in records and person_id not in records:
            found.append((person_id, rel, True, ended))
        elif person_id in records and other_id not in records:
            found.append((other_id, rel, False, ended))
    return found


def _relation_words(rel: RelationshipType, other_is: bool) -> str:
    if other_is or rel in SYMMETRIC:
        return _label(rel)
    return f"the child is their {_label(rel)}"


def _co_residents(session: Session, records: Collection[str], on: date) -> set[str]:
    """Records of people living now at a place where the child lives now."""
    current = or_(PersonAddress.to_date.is_(None), PersonAddress.to_date >= on)
    started = or_(PersonAddress.from_date.is_(None), PersonAddress.from_date <= on)
    homes = session.execute(
        select(Location.address, Location.postcode, Location.uprn)
        .join(PersonAddress, PersonAddress.location_id == Location.id)
        .where(PersonAddress.person_id.in_(sorted(records)), current, started)
    )
    keys = {place_key(address, postcode, uprn) for address, postcode, uprn in homes}
    if not keys:
        return set()
    uprns = sorted({k[5:] for k in keys if k.startswith("uprn:")})
    postcodes = sorted({k.split(":")[1] for k in keys if k.startswith("addr:")} - {""})
    candidates = session.execute(
        select(Location.id, Location.address, Location.postcode, Location.uprn).where(
            or_(Location.uprn.in_(uprns), Location.postcode.in_(postcodes))
        )
    )
    places = sorted(i for i, a, p, u in candidates if place_key(a, p, u) in keys)
    if not places:
        return set()
    return set(
        session.scalars(
            select(PersonAddress.person_id).where(
                PersonAddress.location_id.in_(places),
                PersonAddress.person_id.not_in(sorted(records)),
                current,
                started,
            )
        )
    )


def _shared_events(session: Session, records: Collection[str]) -> Counter[str]:
    """For each other person's record, the number of events it shares with the child."""
    mine, theirs = aliased(EventLink), aliased(EventLink)
    rows = session.execute(
        select(theirs.person_id, func.count(func.distinct(theirs.event_id)))
        .join(mine, mine.event_id == theirs.event_id)
        .where(
            mine.person_id.in_(sorted(records)),
            theirs.person_id.is_not(None),
            theirs.person_id.not_in(sorted(records)),
            theirs.role.not_in(sorted(PROFESSIONAL_ROLES)),
        )
        .group_by(theirs.person_id)
    )
    return Counter({str(p): int(n) for p, n in rows if p is not None})


def child_network(session: Session, child_id: str, on: date | None = None) -> Network:
    """The people around a child on ``on`` (today by default)."""
    on = on or local_date(utcnow())
    child_key, records = _child_records(session, child_id)
    child_rows = session.execute(
        select(Person.given_name, Person.family_name)
        .where(Person.id.in_(records))
        .order_by(Person.agency, Person.id)
    ).first()
    if child_rows is None:
        raise NotFoundError(f"child {child_id} does not exist")
    child_name = full_name(*child_rows)

    relations: dict[str, list[Relation]] = {}  # by other record

    def add(record: str, relation: Relation) -> None:
        relations.setdefault(record, []).append(relation)

    direct = _relationships(session, set(records))
    carers: dict[str, str] = {}
    for other, rel, other_is, ended in direct:
        kind = "family" if rel in FAMILY else "household" if rel in HOUSEHOLD else "associate"
        add(other, Relation(kind, _relation_words(rel, other_is), ended=ended))
        if other_is and rel in CARERS and ended is None:
            carers[other] = ""
    for carer in sorted(carers):
        for other, rel, _, ended in _relationships(session, {carer}):
            if other in records or rel not in (
                RelationshipType.PARTNER,
                RelationshipType.EX_PARTNER,
            ):
                continue
            kind = "household" if rel is RelationshipType.PARTNER and not ended else "associate"
            add(other, Relation(kind, f"{_label(rel)} of", via=carer, ended=ended))
    for other in sorted(_co_residents(session, records, on)):
        add(other, Relation("household", "lives at the same address"))
    shared = _shared_events(session, records)

    masters = master_keys(session, [*relations, *shared])
    child_masters = set(master_keys(session, records).values()) | {child_key}
    by_key: dict[str, list[str]] = {}
    for record, key in masters.items():
        if key not in child_masters:
            by_key.setdefault(key, []).append(record)
    # Associates only through shared events are many for some children: keep the closest.
    event_counts = {k: sum(shared.get(r, 0) for r in rs) for k, rs in by_key.items()}
    only_events = [k for k, rs in by_key.items() if not any(r in relations for r in rs)]
    only_events.sort(key=lambda k: (-event_counts[k], k))
    dropped = set(only_events[MAX_ASSOCIATES:])
    people_records = {k: rs for k, rs in by_key.items() if k not in dropped}
    names = _names(session, [*(r for rs in people_records.values() for r in rs), *carers])
    concerns = _open_concerns(session, people_records)

    people: list[Connection] = []
    for key, rs in people_records.items():
        rs.sort()
        found = [names[r] for r in rs if r in names]
        if not found:
            continue
        dob = next((d for _, d, _ in found if d is not None), None)
        precision = next((p for _, d, p in found if d is not None), DobPrecision.EXACT)
        age = (
            age_at(min(latest_possible_birth(dob, precision), on), on)
            if dob is not None and dob <= on
            else None
        )
        person_relations: list[Relation] = []
        for r in rs:
            for said in relations.get(r, []):
                if said.via is not None:
                    via = masters.get(said.via, said.via)
                    via_name = names[said.via][0] if said.via in names else None
                    said = Relation(said.kind, said.what, via, via_name, said.ended)
                if said not in person_relations:
                    person_relations.append(said)
        count = event_counts.get(key, 0)
        if count:
            plural = "event" if count == 1 else "events"
            person_relations.append(Relation("associate", f"in {count} {plural} with the child"))
        people.append(
            Connection(
                key=key,
                record_ids=rs,
                name=found[0][0],
                date_of_birth=dob,
                age=age,
                is_child=bool(is_child(dob, on, precision)),
                relations=person_relations,
                shared_events=count,
                open_concerns=concerns.get(key, 0),
            )
        )
    order = {"family": 0, "household": 1, "associate": 2}
    people.sort(
        key=lambda p: (
            min(order[r.kind] for r in p.relations),
            -p.shared_events,
            p.name,
            p.key,
        )
    )
    return Network(child_key, records, child_name, on, people, len(dropped))


def _names(
    session: Session, record_ids: Iterable[str]
) -> dict[str, tuple[str, date | None, DobPrecision]]:
    ids = sorted(set(record_ids))
    found: dict[str, tuple[str, date | None, DobPrecision]] = {}
    for start in range(0, len(ids), 1000):
        rows = session.execute(
            select(
                Person.id,
                Person.given_name,
                Person.family_name,
                Person.date_of_birth,
                Person.dob_precision,
            ).where(Person.id.in_(ids[start : start + 1000]))
        )
        for pid, given, family, dob, precision in rows:
            found[pid] = (full_name(given, family), dob, precision_of(precision))
    return found


def _open_concerns(session: Session, people: dict[str, list[str]]) -> dict[str, int]:
    """Open concerns about each person (concerns name a master person or a record)."""
    owner = {r: k for k, rs in people.items() for r in rs} | {k: k for k in people}
    if not owner:
        return {}
    rows = session.execute(
        select(Concern.child_id, func.count())
        .where(Concern.child_id.in_(sorted(owner)), and_(Concern.status != "closed"))
        .group_by(Concern.child_id)
    )
    counts: Counter[str] = Counter()
    for child_id, n in rows:
        counts[owner[child_id]] += int(n)
    return dict(counts)
