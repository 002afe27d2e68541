"""The linkage frame: one row per source person record, with the identity fields cleaned for comparing.

Only identity is read: names, aliases, date of birth, sex and address history. Ethnicity is never
read here, so it cannot become a linkage input.

A frame may also carry any of ``OPTIONAL_COLUMNS`` (an identifier such as an NHS number, house
number, street, locality) when its source has them; the model uses what a frame offers.

Every value is text or a list of text, so the same frame loads into DuckDB and Spark alike. Dates of
birth are ``YYYY-MM-DD``; a date the source marks as estimated or known only to the year keeps its
year and loses its day and month.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select

from childfirst.domain.names import clean
from childfirst.domain.nicknames import canonical
from childfirst.domain.postcodes import district, standard
from childfirst.protection.erased import erased_ids
from childfirst.store.database import Database
from childfirst.store.models import Location, Person, PersonAddress

Row = dict[str, Any]

COLUMNS: tuple[str, ...] = (
    "unique_id",
    "agency",
    "given_name",
    "given_canonical",
    "given_names",
    "surname",
    "surnames",
    "dob",
    "dob_year",
    "sex",
    "postcode",
    "postcodes",
    "districts",
)
LIST_COLUMNS = frozenset({"given_names", "surnames", "postcodes", "districts"})
# A postcode as the frame compares it: in its standard form, or None if it is not one.
postcode = standard
# Identifying fields some sources offer and others do not. A frame carries one of these only if
# its source has it; the model then compares it and blocks on it (``model.settings``).
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "identifier",  # a person identifier shared by the sources (an NHS number, a social security id)
    "house_number",  # the house number or name of the latest address
    "street",  # the street of the latest address
    "locality",  # the locality (suburb, village, town) of the latest address
)
_CHUNK = 5_000


def _surname_parts(name: str | None) -> list[str]:
    cleaned = clean(name)
    if cleaned is None:
        return []
    parts = [cleaned]
    pieces = [p for p in re.split(r"[- ]", cleaned) if len(p) > 1]
    if len(pieces) > 1:
        parts.extend(pieces)
        parts.append(" ".join(pieces))
    return parts


def _unique(values: Iterable[str | None]) -> list[str] | None:
    seen = list(dict.fromkeys(v for v in values if v))
    return sorted(seen) or None


def linkage_row(
    record_id: str,
    agency: str,
    given_name: str | None,
    middle_names: str | None,
    family_name: str | None,
    aliases: Sequence[dict[str, Any]] | None,
    date_of_birth: date | None,
    dob_precision: str | None,
    sex: str | None,
    addresses: Sequence[tuple[date | None, str | None]] = (),
) -> Row:
    """One record's linkage row. ``addresses`` are (from date, postcode), in any order."""
    given = clean(given_name)
    first = given.split(" ")[0] if given else None
    given_names: list[str | None] = [canonical(first)]
    given_names += [canonical(m) for m in (clean(middle_names) or "").split(" ") if m]
    surnames = _surname_parts(family_name)
    for alias in aliases or ():
        given_names.append(canonical(alias.get("given_name")))
        surnames.extend(_surname_parts(alias.get("family_name")))
    dob = year = None
    if date_of_birth is not None:
        year = f"{date_of_birth.year:04d}"
        if dob_precision in (None, "exact"):
            dob = date_of_birth.isoformat()
    history = sorted(
        ((d or date.min, p) for d, p in ((d, postcode(p)) for d, p in addresses) if p),
        key=lambda item: item[0],
    )
    codes = [p for _, p in history]
    return {
        "unique_id": record_id,
        "agency": agency,
        "given_name": first,
        "given_canonical": canonical(first),
        "given_names": _unique(given_names),
        "surname": clean(family_name),
        "surnames": _unique(surnames),
        "dob": dob,
        "dob_year": year,
        "sex": sex if sex in ("male", "female") else None,
        "postcode": codes[-1] if codes else None,
        "postcodes": _unique(codes),
        "districts": _unique(district(c) for c in codes),
    }


def load_frame(db: Database, record_ids: Sequence[str] | None = None) -> list[Row]:
    """The linkage rows of the given person records, or of every person record in the store."""
    person_columns = (
        Person.id,
        Person.agency,
        Person.given_name,
        Person.middle_names,
        Person.family_name,
        Person.aliases,
        Person.date_of_birth,
        Person.dob_precision,
        Person.sex,
    )
    address_query = select(
        PersonAddress.person_id, PersonAddress.from_date, Location.postcode
    ).join(Location, Location.id == PersonAddress.location_id)
    people: list[Any] = []
    addresses: dict[str, list[tuple[date | None, str | None]]] = defaultdict(list)
    with db.session() as session:
        if record_ids is None:
            people = list(session.execute(select(*person_columns).order_by(Person.id)))
            rows: Iterable[Any] = session.execute(address_query)
            for person_id, from_date, code in rows:
                addresses[person_id].append((from_date, code))
        else:
            ids = list(dict.fromkeys(record_ids))
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                people += session.execute(select(*person_columns).where(Person.id.in_(chunk)))
                for person_id, from_date, code in session.execute(
                    address_query.where(PersonAddress.person_id.in_(chunk))
                ):
                    addresses[person_id].append((from_date, code))
        gone = erased_ids(session)  # an erased record is nobody to link to
    if gone:
        people = [p for p in people if p[0] not in gone]
    return [
        linkage_row(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], addresses.get(p[0], ()))
        for p in people
    ]
