"""Everything recorded that could name someone on a pseudonymised page, read from the store.

For one child and the events, concerns and texts a page shows, ``identities`` gathers: the
pseudonym of each person (the child, the household and associates, everyone in the events, with
every record linked to each of them), their recorded names (given, middle, family, aliases, with
nicknames), their dates of birth, the addresses of all of them and of the events, the schools and
other organisations the concerns were shared with, the events' references and source ids, the
objects in the events (phones, vehicles, accounts), every account's username and name, and any word
of the texts that is a reference, source id or object identifier recorded anywhere in the store,
or, written with a capital, anyone's recorded given or family name. Every agency of the store and
every school, hospital, children's home, foster home and custody suite (read at most every few
minutes: ``ORGANISATIONS_FOR``) is known by its kind. From these it makes the page's ``Scrubber``.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from threading import Lock
from typing import Any

from sqlalchemy import Select, select, union
from sqlalchemy.orm import Session

from childfirst.domain.clock import local_date, utcnow
from childfirst.domain.places import place_key
from childfirst.network import child_network
from childfirst.pseudonyms import Pseudonyms, agency_label, place_noun
from childfirst.reports.people import child_age, master_keys, precision_of
from childfirst.scrubbing import (
    AMBIGUOUS,
    Replacements,
    Scrubber,
    address_variants,
    candidates,
    capitalised_words,
    fold,
    name_variants,
    nickname_variants,
)
from childfirst.search.keys import family_key, given_key
from childfirst.store.access import Account
from childfirst.store.identity import record_id
from childfirst.store.models import (
    ENTITY_TABLES,
    Event,
    EventLink,
    ImportBatch,
    Location,
    MasterMembership,
    Person,
    PersonAddress,
    PoleObject,
)
from childfirst.store.sharing import Notification

CHUNK = 500
# Places that are organisations, known by what they are wherever a text names them.
ORGANISATION_PLACES = ("school", "hospital", "childrens_home", "foster_home", "custody_suite")
ORGANISATIONS_FOR = 300.0  # seconds the store's agencies and organisations are remembered
REFERENCE = "[reference]"
IDENTIFIER = "[identifier]"
ORGANISATION = "[organisation]"


def _chunks(items: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(set(items))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _rows(
    session: Session, query: Select[*tuple[Any, ...]], column: Any, ids: Iterable[str]
) -> Iterator[Any]:
    for chunk in _chunks(ids):
        yield from session.execute(query.where(column.in_(chunk)))


@dataclass(frozen=True)
class Identities:
    """The pseudonym of each person key around a child, and the scrubber for the page's text."""

    labels: dict[str, str]
    is_child: dict[str, bool]
    scrub: Scrubber
    child_key: str
    births: frozenset[date]

    def label(self, key: str) -> str:
        return self.labels.get(key, AMBIGUOUS)


def records_of(session: Session, child_id: str) -> list[str]:
    """The person records of a child id (a master person's records, or the record itself)."""
    master = child_id if child_id.startswith("mp_") else None
    if master is None:
        master = session.scalar(
            select(MasterMembership.master_id).where(MasterMembership.person_id == child_id)
        )
    if master is None:
        return [child_id]
    return list(
        session.scalars(
            select(MasterMembership.person_id).where(MasterMembership.master_id == master)
        )
    )


def children_now(session: Session, child_ids: Collection[str], on: date) -> dict[str, bool]:
    """Whether each child id (a master person or a record) is a child on ``on``: whether any of
    its records gives an age under 18."""
    record_of: dict[str, str] = {c: c for c in child_ids if not c.startswith("mp_")}
    masters = [c for c in child_ids if c.startswith("mp_")]
    members = select(MasterMembership.person_id, MasterMembership.master_id)
    for person_id, master_id in _rows(session, members, MasterMembership.master_id, masters):
        record_of[person_id] = master_id
    found = dict.fromkeys(child_ids, False)
    births = select(Person.id, Person.date_of_birth, Person.dob_precision)
    for pid, dob, precision in _rows(session, births, Person.id, record_of):
        if child_age(dob, precision_of(precision), on) is not None:
            found[record_of[pid]] = True
    return found


def _people(
    session: Session,
    pseudonyms: Pseudonyms,
    key_of: dict[str, str],
    is_child: dict[str, bool],
    terms: Replacements,
    on: date,
) -> tuple[dict[str, str], set[date], set[tuple[str, str, str]]]:
    """Each person's pseudonym and names; their dates of birth and where their records are from."""
    labels: dict[str, str] = {}
    births: set[date] = set()
    sources: set[tuple[str, str, str]] = set()
    query = select(
        Person.id,
        Person.given_name,
        Person.middle_names,
        Person.family_name,
        Person.aliases,
        Person.date_of_birth,
        Person.dob_precision,
        Person.agency,
        Person.agency_kind,
        Person.system,
        Person.source_id,
    )
    rows = list(_rows(session, query, Person.id, key_of))
    for pid, _, _, _, _, dob, precision, *_ in rows:
        key = key_of[pid]
        if child_age(dob, precision_of(precision), on) is not None:
            is_child[key] = True
        is_child.setdefault(key, False)
    for pid, given, middle, family, aliases, dob, _, agency, kind, system, source_id in rows:
        key = key_of[pid]
        label = labels.setdefault(key, pseudonyms.person(key, is_child[key]))
        recorded, nicknames = name_variants(given, family, aliases or [], middle=middle)
        for variant in recorded:
            terms.name(variant, label)
        for variant in nicknames:
            terms.name(variant, label, nickname=True)
        if dob is not None:
            births.add(dob)
        sources.add(("person", agency, system))
        terms.add(agency, agency_label(kind))
        terms.replace(source_id, REFERENCE)
    return labels, births, sources


def _places(
    session: Session,
    pseudonyms: Pseudonyms,
    people: Collection[str],
    event_ids: Collection[str],
    organisations: Collection[str],
    terms: Replacements,
) -> None:
    columns = (
        Location.id,
        Location.address,
        Location.postcode,
        Location.uprn,
        Location.location_type,
        Location.agency,
        Location.agency_kind,
        Location.source_id,
    )
    found = list(
        _rows(
            session,
            select(*columns).join(PersonAddress, PersonAddress.location_id == Location.id),
            PersonAddress.person_id,
            people,
        )
    )
    found += _rows(
        session, select(*columns).join(Event, Event.location_id == Location.id), Event.id, event_ids
    )
    found += _rows(session, select(*columns), Location.id, organisations)
    for _, address, postcode, uprn, location_type, agency, kind, source_id in found:
        noun = place_noun(location_type, address)
        label = pseudonyms.place(place_key(address, postcode, uprn), noun)
        for variant in address_variants(address, postcode):
            terms.add(variant, label)
        if uprn:
            terms.replace(uprn, REFERENCE)
        terms.add(agency, agency_label(kind))
        terms.replace(source_id, REFERENCE)


def _events(
    session: Session, event_ids: Collection[str], terms: Replacements
) -> set[tuple[str, str, str]]:
    """References, source ids, agencies and objects of the events; where they are from."""
    sources: set[tuple[str, str, str]] = set()
    query = select(Event.reference, Event.source_id, Event.agency, Event.agency_kind, Event.system)
    for reference, source_id, agency, kind, system in _rows(session, query, Event.id, event_ids):
        if reference:
            terms.replace(reference, REFERENCE)
        terms.replace(source_id, REFERENCE)
        terms.add(agency, agency_label(kind))
        sources.add(("event", agency, system))
    objects = select(PoleObject.identifier, PoleObject.source_id).join(
        EventLink, EventLink.object_id == PoleObject.id
    )
    for identifier, source_id in _rows(session, objects, EventLink.event_id, event_ids):
        terms.replace(identifier, IDENTIFIER)
        terms.replace(source_id, REFERENCE)
    return sources


def _staff(session: Session, pseudonyms: Pseudonyms, terms: Replacements) -> None:
    """Every account's username and name, under the username's pseudonym; partner accounts'
    organisation codes as "[organisation]"."""
    for username, display_name, agency_code in session.execute(
        select(Account.username, Account.display_name, Account.agency_code)
    ):
        label = pseudonyms.staff(username)
        terms.replace(username, label)
        terms.add(display_name, label)
        if agency_code:
            terms.add(agency_code, ORGANISATION)


def _recorded_anywhere(
    session: Session,
    texts: Collection[str | None],
    sources: Collection[tuple[str, str, str]],
    terms: Replacements,
) -> None:
    """Words of the texts that are a reference, object identifier or source id in the store."""
    words = candidates(texts)
    if not words:
        return
    for (reference,) in _rows(session, select(Event.reference), Event.reference, words):
        terms.replace(reference, REFERENCE)
    query = select(PoleObject.identifier)
    for (identifier,) in _rows(session, query, PoleObject.identifier, words):
        terms.replace(identifier, IDENTIFIER)
    # A source id is found through the record id it makes in each source the page draws on.
    systems = {(agency, system) for _, agency, system in sources}
    single = [w for w in words if " " not in w]
    for kind, table in ENTITY_TABLES.items():
        ids = {record_id(kind, a, s, w): w for a, s in systems for w in single}
        for (found,) in _rows(session, select(table.id), table.id, ids):
            terms.replace(ids[found], REFERENCE)


def _recorded_names(session: Session, texts: Collection[str | None], terms: Replacements) -> None:
    """Words of the texts written with a capital that are someone's recorded given or family
    name anywhere in the store (found by the indexed name keys, compared folded) become
    "[name]", unless they already name someone on the page."""
    words = capitalised_words(texts)
    folded = {fold(w) for w in words}
    family = {k for w in words if (k := family_key(w))}
    given = {k for w in words if (k := given_key(w))}
    query = select(Person.family_name).distinct()
    for (name,) in _rows(session, query, Person.family_key, family):
        for part in [name, *str(name or "").replace("-", " ").split()]:
            if part and fold(part) in folded:
                terms.add(part, AMBIGUOUS)
    query = select(Person.given_name).distinct()
    for (name,) in _rows(session, query, Person.given_key, given):
        for part in str(name or "").replace("-", " ").split():
            for variant in (part, *nickname_variants(part)):
                if fold(variant) in folded:
                    terms.add(variant, AMBIGUOUS)


@dataclass(frozen=True)
class _Organisations:
    agencies: list[tuple[str, str]]  # code, kind
    places: list[tuple[str, str | None, str | None, str]]  # address, postcode, uprn, type


_remembered: dict[tuple[str, Any], tuple[float, _Organisations]] = {}
_remembering = Lock()


def _organisations(session: Session) -> _Organisations:
    """Every agency of the store and every place that is an organisation, read again after
    ``ORGANISATIONS_FOR`` seconds or as soon as anything new is imported."""
    latest = session.execute(
        select(ImportBatch.id, ImportBatch.started_at).order_by(ImportBatch.id.desc()).limit(1)
    ).first()
    bind = (str(session.get_bind().engine.url), tuple(latest) if latest else None)
    now = time.monotonic()
    with _remembering:
        found = _remembered.get(bind)
        if found is not None and now - found[0] < ORGANISATIONS_FOR:
            return found[1]
    agencies = session.execute(
        union(
            *(
                select(table.agency, table.agency_kind).distinct()
                for table in (Person, Event, Location)
            )
        )
    ).all()
    places = session.execute(
        select(Location.address, Location.postcode, Location.uprn, Location.location_type).where(
            Location.location_type.in_(ORGANISATION_PLACES)
        )
    ).all()
    known = _Organisations([(a, k) for a, k in agencies], [(a, p, u, t) for a, p, u, t in places])
    with _remembering:
        for stale in [k for k in _remembered if k[0] == bind[0]]:
            del _remembered[stale]
        _remembered[bind] = (now, known)
    return known


def identities(
    session: Session,
    pseudonyms: Pseudonyms,
    child_id: str,
    event_ids: Collection[str],
    *,
    concern_ids: Collection[int] = (),
    texts: Collection[str | None] = (),
    event_days: Iterable[date] = (),
) -> Identities:
    """Pseudonyms for the child, everyone around the child and everyone in the events, and the
    scrubber that takes out of the page's ``texts`` everything recorded about them."""
    on = local_date(utcnow())
    network = child_network(session, child_id, on)
    key_of = dict.fromkeys(network.child_record_ids, network.child_key)
    is_child: dict[str, bool] = {}
    for person in network.people:
        key_of.update(dict.fromkeys(person.record_ids, person.key))
        if person.is_child:
            is_child[person.key] = True
    others = {
        p
        for (p,) in _rows(session, select(EventLink.person_id), EventLink.event_id, event_ids)
        if p is not None
    } - set(key_of)
    key_of.update(master_keys(session, others))
    # Every record linked to each person: the agencies and names they hold count too.
    members = select(MasterMembership.person_id, MasterMembership.master_id)
    masters = {k for k in key_of.values() if k.startswith("mp_")}
    for person_id, master_id in _rows(session, members, MasterMembership.master_id, masters):
        key_of.setdefault(person_id, master_id)
    terms = Replacements()
    labels, births, sources = _people(session, pseudonyms, key_of, is_child, terms, on)
    notified = session.execute(
        select(Notification.organisation, Notification.organisation_name).where(
            Notification.concern_id.in_(sorted(set(concern_ids)))
        )
    ).all()
    _places(session, pseudonyms, key_of, event_ids, [o for o, _ in notified if o], terms)
    for _, name in notified:
        if name:  # named by its own record above; this only if that record has gone
            terms.add(name, ORGANISATION)
    sources |= _events(session, event_ids, terms)
    known = _organisations(session)
    for address, postcode, uprn, location_type in known.places:
        label = pseudonyms.place(
            place_key(address, postcode, uprn), place_noun(location_type, address)
        )
        for variant in address_variants(address, postcode):
            terms.add(variant, label)
    for agency, kind in known.agencies:
        terms.add(agency, agency_label(kind))
    _staff(session, pseudonyms, terms)
    _recorded_anywhere(session, texts, sources, terms)
    _recorded_names(session, texts, terms)
    scrub = Scrubber(terms, event_days=event_days, births=births)
    return Identities(labels, is_child, scrub, network.child_key, frozenset(births))
