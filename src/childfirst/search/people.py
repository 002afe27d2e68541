"""Finding people by name, date of birth and address or postcode.

Candidates come from indexed look-ups only: the stored phonetic keys of the family and given names
(``keys.py``), the date of birth (as given, and with day and month swapped), and the addresses at a
postcode. Each look-up is capped, so a search costs about the same over a thousand people or a
million. The candidates are then scored in Python (an exact spelling beats a sound-alike, which
beats a prefix; a nickname counts nearly as much as the name itself), grouped into the people the
linkage has joined, and the best are returned with every agency's record of them and the children
linked to them who have open concerns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from childfirst.domain.age import ADULT_AGE, age_at, birthday_in
from childfirst.domain.names import UNKNOWN_NAME, clean, full_name
from childfirst.domain.nicknames import canonical
from childfirst.protection.restricted import RESTRICTED_NOTE, restricted_keys
from childfirst.search import keys
from childfirst.search.results import ChildFlag, PeopleResults, PersonHit, SourceName
from childfirst.store.database import Database
from childfirst.store.models import (
    Concern,
    Location,
    MasterMembership,
    Person,
    PersonAddress,
    Relationship,
)

CANDIDATES = 300  # per look-up
MAX_LOCATIONS = 200
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
Ages = Literal["any", "child", "adult"]


class SearchError(ValueError):
    """A search that cannot be run as asked (nothing to look for)."""


@dataclass(frozen=True)
class PeopleQuery:
    name: str = ""
    date_of_birth: date | None = None
    place: str = ""  # a postcode, the outward part of one, or words of an address
    ages: Ages = "any"
    agency: str | None = None
    limit: int = 25

    @property
    def empty(self) -> bool:
        return not (self.name.strip() or self.date_of_birth or self.place.strip())

    def cleaned(self) -> PeopleQuery:
        """The query with control characters removed from its text."""
        agency = keys.printable(self.agency).strip() or None
        return replace(
            self, name=keys.printable(self.name), place=keys.printable(self.place), agency=agency
        )


@dataclass(frozen=True)
class Name:
    given: str | None
    family: str | None

    @classmethod
    def parse(cls, text: str) -> Name:
        """'Danny Smith' and 'Smith, Danny' alike; a single word is taken as a family name."""
        if "," in text:
            family, _, given = text.partition(",")
            return cls(_first(clean(given)), clean(family))
        words = (clean(text) or "").split(" ")
        words = [w for w in words if w]
        if not words:
            return cls(None, None)
        if len(words) == 1:
            return cls(None, words[0])
        return cls(words[0], words[-1])


def _first(cleaned: str | None) -> str | None:
    return cleaned.split(" ")[0] if cleaned else None


def dob_variants(dob: date) -> list[date]:
    """The date and, where it is a date, the date with day and month swapped."""
    found = [dob]
    if dob.day <= 12 and dob.day != dob.month:
        found.append(date(dob.year, dob.day, dob.month))
    return found


def _one_digit_apart(a: date, b: date) -> bool:
    x, y = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    return sum(p != q for p, q in zip(x, y, strict=True)) == 1


def _score(
    query: PeopleQuery, name: Name, row: Any, place_matched: bool
) -> tuple[float, list[str]] | None:
    """How well one person record answers the query, and why; None when it does not."""
    score = 0.0
    why: list[str] = []
    if name.family:
        recorded = clean(row.family_name)
        if recorded == name.family:
            score, why = score + 4, [*why, "family name"]
        elif row.family_key == keys.family_key(name.family):
            score, why = score + 3, [*why, "family name sounds alike"]
        elif recorded and recorded.startswith(name.family):
            score, why = score + 1.5, [*why, "family name starts the same"]
        elif row.family_key and row.family_key.startswith(keys.family_key(name.family) or "~"):
            score, why = score + 1, [*why, "family name starts alike"]
        else:
            return None
    if name.given:
        recorded = _first(clean(row.given_name))
        if recorded == name.given:
            score, why = score + 3, [*why, "given name"]
        elif recorded and canonical(recorded) == canonical(name.given):
            score, why = score + 2.5, [*why, "given name (another form of it)"]
        elif row.given_key and row.given_key == keys.given_key(name.given):
            score, why = score + 2, [*why, "given name sounds alike"]
        elif recorded and recorded[0] == name.given[0]:
            score, why = score + 0.5, [*why, "given name initial"]
        else:
            score -= 1
    if query.date_of_birth:
        dob = row.date_of_birth
        wanted = query.date_of_birth
        if dob is None:
            why = [*why, "date of birth not recorded"]
        elif dob == wanted:
            score, why = score + 4, [*why, "date of birth"]
        elif dob in dob_variants(wanted):
            score, why = score + 3, [*why, "date of birth with day and month swapped"]
        elif _one_digit_apart(dob, wanted):
            score, why = score + 2, [*why, "date of birth one digit apart"]
        elif dob.year == wanted.year:
            score, why = score + 0.5, [*why, "year of birth"]
        elif name.family or name.given:
            score -= 2
        else:
            return None
    if place_matched:
        score, why = score + 2, [*why, "address"]
    return score, why


def _age_condition(ages: Ages, today: date) -> ColumnElement[bool] | None:
    if ages == "any":
        return None
    eighteen_years_ago = birthday_in(today.year - ADULT_AGE, today)
    if ages == "child":
        return Person.date_of_birth > eighteen_years_ago
    return Person.date_of_birth <= eighteen_years_ago


def _place_people(session: Session, place: str) -> tuple[set[str], str]:
    """The person records with an address at the place (a postcode or address words)."""
    code = keys.postcode(place)
    if code is not None and " " in code:
        where: ColumnElement[bool] = Location.postcode == code
        words = f"postcode {code}"
    elif code is not None:
        where = and_(Location.postcode >= f"{code} ", Location.postcode < f"{code}!")
        words = f"postcodes {code} …"
    else:
        text = " ".join(place.lower().split())
        where = func.lower(Location.address).contains(text, autoescape=True)
        words = f"address containing ‘{text}’"
    locations = select(Location.id).where(where).limit(MAX_LOCATIONS).scalar_subquery()
    found = set(
        session.scalars(
            select(PersonAddress.person_id).where(PersonAddress.location_id.in_(locations))
        )
    )
    return found, words


def _lookups(name: Name, query: PeopleQuery) -> list[ColumnElement[bool]]:
    """The indexed conditions that find candidates, most specific first."""
    found: list[ColumnElement[bool]] = []
    fk = keys.family_key(name.family) if name.family else None
    gk = keys.given_key(name.given) if name.given else None
    dobs = dob_variants(query.date_of_birth) if query.date_of_birth else []
    if fk:
        if gk:
            found.append(and_(Person.family_key == fk, Person.given_key == gk))
        if dobs:
            found.append(and_(Person.family_key == fk, Person.date_of_birth.in_(dobs)))
        found.append(Person.family_key == fk)
        found.append(and_(Person.family_key > fk, Person.family_key < f"{fk}~"))
    elif gk:
        if dobs:
            found.append(and_(Person.given_key == gk, Person.date_of_birth.in_(dobs)))
        found.append(Person.given_key == gk)
    elif dobs:
        found.append(Person.date_of_birth.in_(dobs))
    return found


_COLUMNS = (
    Person.id,
    Person.agency,
    Person.system,
    Person.source_id,
    Person.given_name,
    Person.family_name,
    Person.date_of_birth,
    Person.family_key,
    Person.given_key,
)


def search_people(db: Database, query: PeopleQuery, *, today: date | None = None) -> PeopleResults:
    """The people best answering ``query``, best first, each across every source that has them."""
    query = query.cleaned()
    if query.empty:
        raise SearchError("give a name, a date of birth, or an address or postcode")
    today = today or date.today()
    name = Name.parse(query.name)
    with db.session() as session:
        filters: list[ColumnElement[bool]] = []
        if (age := _age_condition(query.ages, today)) is not None:
            filters.append(age)
        if query.agency:
            filters.append(Person.agency == query.agency)
        understood = _understood(name, query)
        at_place: set[str] | None = None
        if query.place.strip():
            at_place, words = _place_people(session, query.place)
            understood.append(words)
            if not at_place:
                return PeopleResults(hits=[], more=False, understood=", ".join(understood))
        rows: dict[str, Any] = {}
        lookups = _lookups(name, query)
        for condition in lookups:
            if len(rows) >= CANDIDATES:
                break
            statement = select(*_COLUMNS).where(condition, *filters)
            if at_place is not None:
                statement = statement.where(Person.id.in_(sorted(at_place)))
            for row in session.execute(statement.limit(CANDIDATES)):
                rows.setdefault(row.id, row)
        if not lookups and at_place is not None:
            statement = select(*_COLUMNS).where(Person.id.in_(sorted(at_place)), *filters)
            rows = {r.id: r for r in session.execute(statement.limit(CANDIDATES))}
        scored: dict[str, tuple[float, list[str]]] = {}
        for pid, row in rows.items():
            result = _score(query, name, row, at_place is not None)
            if result is not None:
                scored[pid] = result
        hidden = restricted_keys(session)
        if hidden:
            withheld = {pid for pid in scored if pid in hidden}
            scored = {pid: found for pid, found in scored.items() if pid not in hidden}
            if withheld:
                understood.append(RESTRICTED_NOTE)
        hits, more = _group(session, scored, query.limit, today)
        if hidden:
            for hit in hits:
                hit.flags = [f for f in hit.flags if f.child_id not in hidden]
    return PeopleResults(hits=hits, more=more, understood=", ".join(understood))


def _understood(name: Name, query: PeopleQuery) -> list[str]:
    words: list[str] = []
    if name.given:
        words.append(f"given name ‘{name.given}’ or another form of it")
    if name.family:
        words.append(f"family name sounding like ‘{name.family}’")
    if query.date_of_birth:
        words.append(f"born {query.date_of_birth.isoformat()} (or day and month swapped)")
    if query.ages != "any":
        words.append("children only" if query.ages == "child" else "adults only")
    if query.agency:
        words.append(f"records of {query.agency}")
    return words


def _group(
    session: Session, scored: dict[str, tuple[float, list[str]]], limit: int, today: date
) -> tuple[list[PersonHit], bool]:
    """Join the scored records into people, best first, and describe the first ``limit``."""
    if not scored:
        return [], False
    master_of = _masters(session, scored)
    best: dict[str, tuple[float, list[str], str]] = {}
    for pid, (score, why) in scored.items():
        key = master_of.get(pid, pid)
        if key not in best or (score, pid) > (best[key][0], best[key][2]):
            best[key] = (score, why, pid)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
    shown = ranked[:limit]
    masters = [k for k, _ in shown if k.startswith("mp_")]
    members: dict[str, list[str]] = defaultdict(list)
    for master, pid in session.execute(
        select(MasterMembership.master_id, MasterMembership.person_id).where(
            MasterMembership.master_id.in_(masters)
        )
    ):
        members[master].append(pid)
    groups = {key: (members.get(key) or [pid]) for key, (_, _, pid) in shown}
    everyone = sorted({p for ids in groups.values() for p in ids})
    people = {r.id: r for r in session.execute(select(*_COLUMNS).where(Person.id.in_(everyone)))}
    flags = _flags(session, groups, today)
    hits = []
    for key, (score, why, pid) in shown:
        records = [people[p] for p in sorted(groups[key]) if p in people]
        lead = people.get(pid) or records[0]
        dob = lead.date_of_birth or next(
            (r.date_of_birth for r in records if r.date_of_birth), None
        )
        age = age_at(dob, today) if dob and dob <= today else None
        hits.append(
            PersonHit(
                id=key,
                name=full_name(lead.given_name, lead.family_name),
                date_of_birth=dob,
                age=age,
                child=age is not None and age < ADULT_AGE,
                matched_on=why,
                score=round(score, 2),
                records=[
                    SourceName(
                        person_id=r.id,
                        agency=r.agency,
                        system=r.system,
                        source_id=r.source_id,
                        name=full_name(r.given_name, r.family_name),
                        date_of_birth=r.date_of_birth,
                    )
                    for r in sorted(records, key=lambda r: (r.agency, r.id))
                ],
                flags=flags.get(key, []),
            )
        )
    return hits, len(ranked) > limit


def _masters(session: Session, record_ids: Iterable[str]) -> dict[str, str]:
    rows = session.execute(
        select(MasterMembership.person_id, MasterMembership.master_id).where(
            MasterMembership.person_id.in_(sorted(record_ids))
        )
    )
    return {str(person): str(master) for person, master in rows}


def _flags(
    session: Session, groups: dict[str, list[str]], today: date
) -> dict[str, list[ChildFlag]]:
    """For each found person: the children linked to them (themselves included, when a child)
    with open concerns, and how they are linked."""
    records = {p for ids in groups.values() for p in ids}
    if not records:
        return {}
    ordered = sorted(records)
    linked: dict[str, dict[str, str]] = defaultdict(dict)  # found record -> other record -> how
    for a, b in session.execute(
        select(Relationship.person_id, Relationship.other_id).where(
            or_(Relationship.person_id.in_(ordered), Relationship.other_id.in_(ordered))
        )
    ):
        if a in records:
            linked[a].setdefault(b, "related to them")
        if b in records:
            linked[b].setdefault(a, "related to them")
    current = (PersonAddress.to_date.is_(None)) | (PersonAddress.to_date >= today)
    homes: dict[str, set[str]] = defaultdict(set)
    for pid, location in session.execute(
        select(PersonAddress.person_id, PersonAddress.location_id).where(
            PersonAddress.person_id.in_(ordered), current
        )
    ):
        homes[location].add(pid)
    if homes:
        for location, other in session.execute(
            select(PersonAddress.location_id, PersonAddress.person_id).where(
                PersonAddress.location_id.in_(sorted(homes)), current
            )
        ):
            for pid in homes[location]:
                if other != pid:
                    linked[pid].setdefault(other, "lives with them")
    others = {o for found in linked.values() for o in found} - records
    master_of = _masters(session, others | records)
    concern_keys = others | records | set(master_of.values()) | set(groups)
    open_concerns: dict[str, list[str]] = defaultdict(list)
    for child_id, severity in session.execute(
        select(Concern.child_id, Concern.severity).where(
            Concern.child_id.in_(sorted(concern_keys)), Concern.status != "closed"
        )
    ):
        open_concerns[child_id].append(severity)
    if not open_concerns:
        return {}
    names = {
        r.id: full_name(r.given_name, r.family_name)
        for r in session.execute(
            select(Person.id, Person.given_name, Person.family_name).where(
                Person.id.in_(sorted(others))
            )
        )
    }
    result: dict[str, list[ChildFlag]] = {}
    for key, ids in groups.items():
        seen: dict[str, ChildFlag] = {}
        own = _severities(open_concerns, [key, *ids, *(master_of.get(i, i) for i in ids)])
        if own:
            seen[key] = _flag(key, "this person", "is this person", own)
        for pid in ids:
            for other, how in sorted(linked.get(pid, {}).items()):
                child = master_of.get(other, other)
                if child in seen or child == key:
                    continue
                found = _severities(open_concerns, {other, child})
                if found:
                    seen[child] = _flag(child, names.get(other, UNKNOWN_NAME), how, found)
        if seen:
            result[key] = list(seen.values())
    return result


def _severities(open_concerns: dict[str, list[str]], ids: Iterable[str]) -> list[str]:
    return [s for i in set(ids) for s in open_concerns.get(i, [])]


def _flag(child_id: str, name: str, how: str, severities: Sequence[str]) -> ChildFlag:
    worst = min(severities, key=lambda s: SEVERITY_ORDER.get(s, 9))
    return ChildFlag(
        child_id=child_id, name=name, how=how, open_concerns=len(severities), severity=worst
    )
