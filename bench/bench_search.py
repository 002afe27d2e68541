"""Search over a million people: how long an officer waits, against a plain LIKE scan.

The store holds PEOPLE person records (1,000,000 unless ``CHILDFIRST_BENCH_SEARCH_PEOPLE`` says
otherwise; a tenth with ``--quick``): about 87% are people known to one agency and 13% second
records of the same people at another agency under a nickname or another spelling, linked into
one master person each. Family names follow the synthetic area's lists (the common British,
South Asian and other surnames, most common first) with a long tail of rarer names, as in a real
population; everyone has an address, and some children have open concerns. The store is built
once into ``var/bench/`` and reused.

Searches are drawn from the stored people the way an officer types them: a nickname or another
spelling of the name, with or without the date of birth (sometimes with day and month swapped),
the family name alone, the date of birth alone, the postcode, or a name and postcode. Each is
timed from the call to the ranked, grouped result with the children's concerns (the library's
``search_people``; the page adds rendering and one audit write). The baseline is what a plain
implementation would do: ``given_name LIKE ? AND family_name LIKE ?`` over the same table, timed
in the same run on the same queries; it also shows how many of the intended people each finds.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, text

from childfirst.search.keys import family_key, given_key
from childfirst.search.people import PeopleQuery, search_people
from childfirst.store.bulk import insert_rows
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import (
    Concern,
    LinkageRun,
    Location,
    MasterMembership,
    MasterPerson,
    Person,
    PersonAddress,
)

PEOPLE = int(os.environ.get("CHILDFIRST_BENCH_SEARCH_PEOPLE", "1000000"))
SEARCHES = 400
BASELINE_SEARCHES = 40
DATA = Path(__file__).resolve().parent.parent / "src" / "childfirst" / "synth" / "data"
STORE = Path("var/bench")
TODAY = date(2026, 1, 10)
NOW = datetime(2026, 1, 10, 9, 0)
SECOND_RECORD = 0.15
COMMON_SHARE = 0.2  # of people with one of the listed surnames; Smith comes to about 1%
AGENCIES = (
    ("northmoor-police", "police"),
    ("northmoor-csc", "childrens_social_care"),
    ("northmoor-health", "health"),
    ("northmoor-education", "education"),
    ("southdale-police", "police"),
)
_PREFIXES = [
    "Ash",
    "Brad",
    "Car",
    "Dal",
    "Ever",
    "Fair",
    "Gar",
    "Hol",
    "Ing",
    "Kel",
    "Lang",
    "Mar",
    "Nor",
    "Ock",
    "Pen",
    "Rad",
    "Sel",
    "Thorn",
    "Up",
    "Wes",
    "Yar",
    "Ald",
    "Bel",
    "Cran",
    "Dun",
    "Elm",
    "Fen",
    "Glen",
    "Hart",
    "Kirk",
    "Lin",
    "Mere",
    "Pick",
    "Rams",
    "Staf",
    "Tal",
    "Wal",
    "Whit",
    "Win",
    "Brom",
]
_MIDDLES = ("", "", "en", "er", "in", "ing", "el", "ow")
_SUFFIXES = [
    "ford",
    "ley",
    "ton",
    "wood",
    "by",
    "field",
    "ham",
    "well",
    "more",
    "worth",
    "croft",
    "dale",
    "stone",
    "hurst",
    "wick",
    "shaw",
    "bury",
    "combe",
    "den",
    "gate",
    "holt",
    "land",
    "low",
    "mouth",
    "ridge",
    "sey",
    "thwaite",
]


def _names(path: Path) -> list[str]:
    names: list[str] = []
    for line in path.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        words = line.split()
        # Tags before the names: era or community and sex for given names, community for surnames.
        skip = {"given": 2, "surnames": 1}.get(path.stem.split("_")[0], 0)
        names.extend(w for w in words[skip:] if w not in names)
    return names


def _nicknames() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in (DATA / "nicknames.txt").read_text().splitlines():
        if line.startswith("#") or ":" not in line:
            continue
        formal, _, variants = line.partition(":")
        found[formal.strip()] = [v.strip() for v in variants.split(",") if v.strip()]
    return found


@dataclass(frozen=True)
class Someone:
    record: str
    master: str
    given: str
    family: str
    dob: date
    postcode: str


def _respell(rng: random.Random, name: str) -> str:
    """Another spelling of a name, the kind a different agency records."""
    swaps = [("y", "i"), ("i", "y"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("ll", "l")]
    swaps += [("s", "ss"), ("ie", "y"), ("ey", "y"), ("C", "K")]
    rng.shuffle(swaps)
    for old, new in swaps:
        if old in name:
            return name.replace(old, new, 1)
    return name + "e" if not name.endswith("e") else name[:-1]


def build(path: Path, people: int, seed: int = 7) -> list[Someone]:
    """The benchmark store at ``path``; returns a sample of the people in it to search for."""
    rng = random.Random(seed)
    common = _names(DATA / "surnames.txt")
    tail = [p + m + s for p in _PREFIXES for m in _MIDDLES for s in _SUFFIXES]
    weights = [1 / (rank + 1) ** 0.5 for rank in range(len(common))]
    givens = _names(DATA / "given_uk.txt") + _names(DATA / "given_communities.txt")
    nicknames = _nicknames()
    streets = _names(DATA / "streets.txt")
    db = Database(f"sqlite:///{path}")
    base = int(people / (1 + SECOND_RECORD))
    locations = max(1, base // 3)
    sample: list[Someone] = []
    with db.session(write=True) as session:
        run = LinkageRun(kind="batch", started_at=NOW, link_threshold=0.9, review_threshold=0.3)
        session.add(run)
        session.flush()
        run_id = run.id
        postcodes = []
        rows: list[dict[str, Any]] = []
        for i in range(locations):
            code = f"NM{rng.randint(1, 40)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            code += rng.choice("ABDEFGHJLNPQRSTUWXYZ")
            postcodes.append(code)
            rows.append(
                _source(record_id("location", "northmoor-police", "bench", f"L{i}"), f"L{i}")
                | {
                    "address": f"{rng.randint(1, 300)} {rng.choice(streets)} Road, Northmoor",
                    "postcode": code,
                    "uprn": None,
                    "location_type": "dwelling",
                    "force_area": "northmoor",
                    "jurisdiction": "england_and_wales",
                }
            )
        insert_rows(session, cast(Table, Location.__table__), rows)
        location_ids = [r["id"] for r in rows]
        persons: list[dict[str, Any]] = []
        masters: list[dict[str, Any]] = []
        memberships: list[dict[str, Any]] = []
        addresses: list[dict[str, Any]] = []
        children: list[str] = []
        made = 0
        for i in range(base):
            common_name = rng.random() < COMMON_SHARE
            family = rng.choices(common, weights)[0] if common_name else rng.choice(tail)
            given = rng.choice(givens)
            dob = date(1935, 1, 1) + timedelta(days=rng.randint(0, 90 * 365))
            master = f"mp_{i:020x}"
            place = rng.randrange(locations)
            masters.append({"id": master, "created_at": NOW, "created_by_run": run_id})
            records = [(given, family, AGENCIES[0])]
            if rng.random() < SECOND_RECORD:
                other_given = rng.choice(nicknames.get(given, [given]))
                other_family = _respell(rng, family) if rng.random() < 0.5 else family
                records.append((other_given, other_family, rng.choice(AGENCIES[1:])))
            for n, (g, f, (agency, kind)) in enumerate(records):
                pid = record_id("person", agency, "bench", f"P{i}-{n}")
                persons.append(
                    _source(pid, f"P{i}-{n}", agency, kind)
                    | {
                        "given_name": g,
                        "middle_names": None,
                        "family_name": f,
                        "aliases": [],
                        "date_of_birth": dob,
                        "dob_precision": "exact",
                        "sex": rng.choice(("female", "male")),
                        "ethnicity": None,
                        "family_key": family_key(f),
                        "given_key": given_key(g),
                    }
                )
                memberships.append(
                    {
                        "person_id": pid,
                        "master_id": master,
                        "run_id": run_id,
                        "match_probability": 0.97 if len(records) > 1 else None,
                        "linked_to": None,
                        "decision_id": None,
                        "assigned_at": NOW,
                    }
                )
                addresses.append(
                    {
                        "person_id": pid,
                        "location_id": location_ids[place],
                        "from_date": date(2020, 1, 1),
                        "to_date": None,
                    }
                )
                made += 1
            if dob > date(2008, 1, 1) and rng.random() < 0.05:
                children.append(master)
            if len(sample) < SEARCHES * 4 and rng.random() < 0.01:
                sample.append(
                    Someone(persons[-1]["id"], master, given, family, dob, postcodes[place])
                )
            if len(persons) >= 50_000:
                _flush(session, persons, masters, memberships, addresses)
        _flush(session, persons, masters, memberships, addresses)
        insert_rows(
            session,
            cast(Table, Concern.__table__),
            [
                {
                    "rule_id": "domestic-abuse.cumulative-pattern",
                    "child_id": child,
                    "key": "bench",
                    "severity": rng.choice(("high", "medium")),
                    "status": "open",
                    "explanation": "Benchmark concern.",
                    "learning": [],
                    "first_event_at": NOW,
                    "last_event_at": NOW,
                    "raised_at": NOW,
                    "updated_at": NOW,
                    "version": 1,
                }
                for child in children
            ],
        )
    with db.engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    db.dispose()
    print(f"  built {made:,} person records ({base:,} people), {locations:,} addresses")
    return sample


def _source(
    rid: str, source_id: str, agency: str = "northmoor-police", kind: str = "police"
) -> dict[str, Any]:
    return {
        "id": rid,
        "agency": agency,
        "agency_kind": kind,
        "system": "bench",
        "source_id": source_id,
        "received_at": NOW,
        "version": 1,
        "content_hash": "0" * 32,
        "batch_id": None,
        "record": {},
    }


def _flush(session: Any, *batches: list[dict[str, Any]]) -> None:
    persons, masters, memberships, addresses = batches
    insert_rows(session, cast(Table, Person.__table__), persons)
    insert_rows(session, cast(Table, MasterPerson.__table__), masters)
    insert_rows(session, cast(Table, MasterMembership.__table__), memberships)
    insert_rows(session, cast(Table, PersonAddress.__table__), addresses)
    for batch in batches:
        batch.clear()


def _sample(db: Database, people: int, seed: int = 11) -> list[Someone]:
    """People to search for, read back from a store built earlier."""
    rng = random.Random(seed)
    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT p.id, m.master_id, p.given_name, p.family_name, p.date_of_birth, "
                "l.postcode FROM persons p JOIN master_memberships m ON m.person_id = p.id "
                "JOIN person_addresses a ON a.person_id = p.id "
                "JOIN locations l ON l.id = a.location_id "
                "WHERE p.rowid IN ("
                + ",".join(str(rng.randint(1, people)) for _ in range(2000))
                + ")"
            )
        ).all()
    return [Someone(r[0], r[1], r[2], r[3], date.fromisoformat(str(r[4])), r[5]) for r in rows]


def queries(rng: random.Random, people: list[Someone]) -> list[tuple[str, PeopleQuery, Someone]]:
    """Searches an officer might type for each person, of six kinds in turn."""
    nicknames = _nicknames()
    found: list[tuple[str, PeopleQuery, Someone]] = []
    for n, who in enumerate(people[:SEARCHES]):
        given = rng.choice([who.given, *nicknames.get(who.given, [])])
        family = _respell(rng, who.family) if rng.random() < 0.3 else who.family
        dob = who.dob
        if rng.random() < 0.2 and dob.day <= 12 and dob.day != dob.month:
            dob = date(dob.year, dob.day, dob.month)
        kind = ("name", "name+dob", "family", "dob", "postcode", "name+postcode")[n % 6]
        query = {
            "name": PeopleQuery(name=f"{given} {family}"),
            "name+dob": PeopleQuery(name=f"{given} {family}", date_of_birth=dob),
            "family": PeopleQuery(name=family),
            "dob": PeopleQuery(date_of_birth=dob),
            "postcode": PeopleQuery(place=who.postcode),
            "name+postcode": PeopleQuery(name=f"{given} {family}", place=who.postcode),
        }[kind]
        found.append((kind, query, who))
    return found


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _baseline(path: Path, searches: list[tuple[str, PeopleQuery, Someone]]) -> None:
    """``LIKE`` on the names as typed, over the same table: what a plain search would do."""
    connection = sqlite3.connect(path)
    times: list[float] = []
    found = 0
    named = [(q, w) for kind, q, w in searches if kind == "name"][:BASELINE_SEARCHES]
    for query, who in named:
        given, _, family = query.name.partition(" ")
        started = time.perf_counter()
        rows = connection.execute(
            "SELECT id FROM persons WHERE given_name LIKE ? AND family_name LIKE ? LIMIT 25",
            (f"%{given}%", f"%{family}%"),
        ).fetchall()
        times.append(time.perf_counter() - started)
        found += who.record in {r[0] for r in rows}
    connection.close()
    print(
        f"  baseline (LIKE scan, {len(times)} name searches): median "
        f"{statistics.median(times) * 1000:.0f} ms, p95 {_p95(times) * 1000:.0f} ms; "
        f"found the person searched for in {found}/{len(times)}"
    )


def main(*, quick: bool = False) -> None:
    people = PEOPLE // 10 if quick else PEOPLE
    print(f"\n== Search ({people:,} person records) ==")
    STORE.mkdir(parents=True, exist_ok=True)
    path = STORE / f"search-{people}.db"
    if path.exists():
        db = Database(f"sqlite:///{path}")
        sample = _sample(db, people)
        db.dispose()
        print(f"  reusing {path}")
    else:
        started = time.perf_counter()
        sample = build(path, people)
        print(f"  store built in {time.perf_counter() - started:.0f} s")
    rng = random.Random(5)
    rng.shuffle(sample)
    searches = queries(rng, sample)
    db = Database(f"sqlite:///{path}", migrate=False)
    for _, query, _ in searches[:20]:  # warm the page cache
        search_people(db, query, today=TODAY)
    by_kind: dict[str, list[float]] = defaultdict(list)
    found: dict[str, int] = defaultdict(int)
    for kind, query, who in searches:
        started = time.perf_counter()
        result = search_people(db, query, today=TODAY)
        by_kind[kind].append(time.perf_counter() - started)
        found[kind] += who.master in {h.id for h in result.hits}
    db.dispose()
    every = [t for times in by_kind.values() for t in times]
    for kind, times in by_kind.items():
        print(
            f"  {kind:<14} {len(times):>4} searches: median {statistics.median(times) * 1000:5.1f} "
            f"ms, p95 {_p95(times) * 1000:5.1f} ms; person found in {found[kind]}/{len(times)}"
        )
    print(
        f"  all            {len(every):>4} searches: median {statistics.median(every) * 1000:5.1f}"
        f" ms, p95 {_p95(every) * 1000:5.1f} ms (target p95 < 300 ms)"
    )
    _baseline(path, searches)


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv)
