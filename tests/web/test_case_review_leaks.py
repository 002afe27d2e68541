"""The pseudonymised case review leaks nothing recorded.

A family is recorded by the police, children's social care, a school and a health trust, with
more than 200 identifiers planted in its records and in every kind of free text (summaries,
outcomes, details, the child's words, a closure reason, action notes, the concern's history). A
case reviewer then opens every page and API answer the permission table lets the role use,
following every link and key it is given, and none of the identifiers is in any answer or address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.ingest.importer import import_files
from childfirst.pseudonyms import Pseudonyms
from childfirst.rules import actions as action_rules
from childfirst.rules import concerns as concern_rules
from childfirst.rules.service import evaluate_events
from childfirst.scrubbing import fold
from childfirst.sharing.notifications import acknowledge
from childfirst.store.identity import record_id
from childfirst.store.models import Action, Concern, ConcernLog, Event, Person
from childfirst.store.sharing import Notification
from childfirst.web.demo import demo_username
from childfirst.web.permissions import PERMISSIONS, all_routes
from childfirst.web.services.case_review import CHILD_KEY, CONCERN_KEY
from tests.factories import AGENCY, SCHOOLS, link_as_one, write_jsonl
from tests.web.conftest import SECRET, TEEN, Browser, SignIn, World

CSC, HEALTH = "fellside-childrens-services", "fellside-nhs-trust"
SYSTEMS = {AGENCY: "niche", SCHOOLS: "sims", CSC: "mosaic", HEALTH: "systmone"}
KINDS = {AGENCY: "police", SCHOOLS: "education", CSC: "childrens_social_care", HEALTH: "health"}

# The family, as recorded.
CHILD_NAME = ("Katherine", "Zoë Siobhán", "O'Brien-Nowak")
BROTHER_NAME = ("Alexander", "Józef", "Nowak")
MOTHER_NAME = ("Bláithín", "Maeve", "O'Brien")
PARTNER_NAME = ("Christopher", "Tadeusz", "Kowalczyk")
NEIGHBOUR_NAME = ("Gráinne", None, "Featherstonehaugh")
BIRTHS = {
    "P60": date(2016, 3, 4),
    "P61": date(2013, 11, 21),
    "P62": date(1990, 7, 9),
    "P63": date(1987, 12, 25),
    "P65": date(1975, 5, 17),
}
HOME = ("Flat 2, 41 Rowan Court, Fellside", "FS3 9QP", "100098765432")
SCHOOL = ("St Aidan's Church of England Primary School, Fellside", "FS3 1AB")
PHONE_OBJECT, VEHICLE = "07700 900555", "FS19 ZXK"

NAMES = [
    # Recorded, in the forms people write them: with and without accents, in capitals,
    # possessive, hyphen or space, curly apostrophe, middle names, aliases, nicknames.
    "Katherine", "Zoë", "Zoe", "Siobhán", "Siobhan", "O'Brien-Nowak", "O\u2019Brien Nowak",
    "OBRIEN-NOWAK", "Katherine Zoë Siobhán O'Brien-Nowak", "Kasia", "Kasia Nowak", "Katie",
    "Kate", "Kathy", "Katie's", "Alexander", "Józef", "Jozef", "Alex", "Xander", "Nowak",
    "Alexander Nowak", "Bláithín", "Blaithin", "BLAITHIN", "Maeve", "O'Brien", "Ní Dhomhnaill",
    "Ni Dhomhnaill", "Christopher", "Chris", "Kit", "Tadeusz", "Kowalczyk", "Kowalczyk's",
    "Chris Kowalczyk", "Gráinne", "Grainne", "Featherstonehaugh", "GRAINNE FEATHERSTONEHAUGH",
]  # fmt: skip


def _date_forms(born: date) -> list[str]:
    day, month, year = born.day, born.strftime("%B"), born.year
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(day % 10 if day not in (11, 12, 13) else 0, "th")
    return [
        born.strftime("%d/%m/%Y"),
        f"{day}.{born.month}.{year % 100:02d}",
        f"{day} {month} {year}",
        f"{month} {day}{suffix} {year}",
        born.isoformat(),
    ]


DATES_OF_BIRTH = [form for born in BIRTHS.values() for form in _date_forms(born)]
NHS_NUMBERS = [f"{n:03d} {n + 111:03d} {n * 7 % 10000:04d}" for n in range(401, 431)]
PHONES = [
    *(f"07700 9{n:05d}" for n in range(100, 116)),
    *(f"+44 7700 9{n:05d}" for n in range(200, 205)),
    *(f"0161 496 {n:04d}" for n in range(300, 305)),
    "+44 (0)113 496 0000",
    "01632 960123",
]
EMAILS = [
    "katie.obrien@example.org",
    "blaithin.ob@example.net",
    "kit.k@example.com",
    "xander2013@example.org",
]
OTHER_REFERENCES = [f"FS/24/07{n:04d}" for n in range(30)]
OTHER_SOURCE_IDS = [f"E7{n:02d}" for n in range(30)]
REFERENCES = ["FS/25/060001", "FS/25/061002", *OTHER_REFERENCES, *OTHER_SOURCE_IDS]
POSTCODES = [HOME[1], SCHOOL[1], "M1 1AE", "LS6 2QT"]
ADDRESSES = [HOME[0], "41 Rowan Court", "Rowan Court", HOME[2]]
OBJECTS = [PHONE_OBJECT, VEHICLE]
ORGANISATIONS = [
    SCHOOL[0],
    "St Aidan's Church of England Primary School",
    SCHOOLS,
    "Northmoor Schools",
    CSC,
    "Fellside Children's Services",
    HEALTH,
    "Fellside NHS Trust",
    AGENCY,
    "Northmoor Police",
]
STAFF = [
    demo_username(Role.PUBLIC_PROTECTION),
    demo_username(Role.SCHOOL),
    demo_username(Role.SUPERVISOR),
]
PLANTED = [
    *NAMES,
    *DATES_OF_BIRTH,
    *(n.replace(" ", "") for n in NHS_NUMBERS[::2]),
    *NHS_NUMBERS[1::2],
    *PHONES,
    *EMAILS,
    *REFERENCES,
    *POSTCODES,
    *ADDRESSES,
    *OBJECTS,
    *ORGANISATIONS,
    *STAFF,
]


def _sentences(items: list[str], size: int) -> Iterator[str]:
    """The planted identifiers a few at a time, as a practitioner might write them."""
    for start in range(0, len(items), size):
        yield "Noted: " + "; ".join(items[start : start + size]) + "."


def _texts(count: int) -> list[str]:
    """Free texts that together mention every planted identifier (each several times)."""
    chunks = list(_sentences(PLANTED, 8))
    return [" ".join(chunks[i::count]) for i in range(count)]


def _source(agency: str, rid: str) -> dict[str, str]:
    return {"agency": agency, "agency_kind": KINDS[agency], "system": SYSTEMS[agency], "id": rid}


def _person(
    agency: str, rid: str, name: tuple[str, str | None, str], born: date, **more: Any
) -> dict[str, Any]:
    given, middle, family = name
    return {
        "kind": "person",
        "source": _source(agency, rid),
        "name": {"given_name": given, "middle_names": middle, "family_name": family},
        "date_of_birth": born.isoformat(),
        "sex": "female",
        **more,
    }


def _event(agency: str, rid: str, **fields: Any) -> dict[str, Any]:
    return {"kind": "event", "source": _source(agency, rid), "details": {}, **fields}


def _records() -> list[dict[str, Any]]:
    text = iter(_texts(12))
    home = [{"location": "L60", "from_date": "2019-04-01"}]
    child = CHILD_NAME[0], CHILD_NAME[1], CHILD_NAME[2]
    aliases = [{"given_name": "Kasia", "family_name": "Nowak", "kind": "nickname"}]
    maiden = [{"given_name": "Blaithin", "family_name": "Ní Dhomhnaill", "kind": "maiden"}]
    household = [
        {"role": "victim", "person": "P62"},
        {"role": "suspect", "person": "P63"},
        {"role": "present", "person": "P60"},
        {"role": "present", "person": "P61"},
    ]
    police_place = {"force_area": "fellside", "jurisdiction": "england_and_wales"}
    records: list[dict[str, Any]] = [
        {
            "kind": "location",
            "source": _source(AGENCY, "L60"),
            "address": HOME[0],
            "postcode": HOME[1],
            "uprn": HOME[2],
            **police_place,
        },
        {
            "kind": "location",
            "source": _source(AGENCY, "L61"),
            "address": "Fellside Market Square",
            "location_type": "public_place",
            **police_place,
        },
        _person(AGENCY, "P60", child, BIRTHS["P60"], aliases=aliases, addresses=home),
        _person(AGENCY, "P61", BROTHER_NAME, BIRTHS["P61"], sex="male", addresses=home),
        _person(AGENCY, "P62", MOTHER_NAME, BIRTHS["P62"], aliases=maiden, addresses=home),
        _person(AGENCY, "P63", PARTNER_NAME, BIRTHS["P63"], sex="male", addresses=home),
        _person(AGENCY, "P65", NEIGHBOUR_NAME, BIRTHS["P65"]),
        *(
            {
                "kind": "relationship",
                "source": _source(AGENCY, rid),
                "person": person,
                "other": other,
                "relationship_type": kind,
            }
            for rid, person, other, kind in (
                ("R60", "P62", "P60", "parent"),
                ("R61", "P62", "P61", "parent"),
                ("R62", "P63", "P62", "partner"),
            )
        ),
        {
            "kind": "object",
            "source": _source(AGENCY, "O60"),
            "object_type": "phone",
            "identifier": PHONE_OBJECT,
        },
        {
            "kind": "object",
            "source": _source(AGENCY, "O61"),
            "object_type": "vehicle",
            "identifier": VEHICLE,
        },
        _event(
            AGENCY,
            "E60",
            event_type="domestic_abuse",
            occurred_at="2025-05-10T22:15:00",
            location="L60",
            reference=REFERENCES[0],
            summary=next(text),
            outcome=next(text),
            details={"childs_words": next(text), "children_present": True},
            links=[*household, {"role": "used", "object": "O60"}],
        ),
        _event(
            AGENCY,
            "E61",
            event_type="domestic_abuse",
            occurred_at="2025-08-14T23:05:00",
            location="L60",
            reference=REFERENCES[1],
            summary=f"Katie said: 'Kit hurt mum.' {next(text)}",
            outcome=next(text),
            links=[*household, {"role": "used", "object": "O61"}],
        ),
        _event(
            AGENCY,
            "E62",
            event_type="welfare_check",
            occurred_at="2025-09-02T10:00:00",
            location="L60",
            summary=next(text),
            outcome=next(text),
            links=[
                {"role": "subject", "person": "P60"},
                {"role": "parent_or_carer", "person": "P62"},
                {"role": "witness", "person": "P65"},
            ],
        ),
        # Events that have nothing to do with the family: only their references are mentioned.
        *(
            _event(
                AGENCY,
                rid,
                event_type="antisocial_behaviour",
                occurred_at="2024-06-01T12:00:00",
                location="L61",
                reference=reference,
            )
            for rid, reference in zip(OTHER_SOURCE_IDS, OTHER_REFERENCES, strict=True)
        ),
        # Children's social care, the school and the health trust know the girl too.
        _person(CSC, "C60", child, BIRTHS["P60"]),
        _event(
            CSC,
            "C61",
            event_type="child_in_need_assessment",
            occurred_at="2025-09-20T09:00:00",
            summary=next(text),
            outcome=next(text),
            links=[{"role": "subject", "person": "C60"}],
        ),
        {
            "kind": "location",
            "source": _source(SCHOOLS, "S60"),
            "address": SCHOOL[0],
            "postcode": SCHOOL[1],
            "location_type": "school",
            **police_place,
        },
        _person(SCHOOLS, "U60", child, BIRTHS["P60"]),
        _event(
            SCHOOLS,
            "U61",
            event_type="school_attendance_concern",
            occurred_at="2025-10-06T09:30:00",
            location="S60",
            summary=next(text),
            outcome=next(text),
            links=[{"role": "subject", "person": "U60"}],
        ),
        _person(HEALTH, "H60", child, BIRTHS["P60"]),
        _event(
            HEALTH,
            "H61",
            event_type="health_safeguarding_concern",
            occurred_at="2025-07-01T15:00:00",
            summary=next(text),
            links=[{"role": "subject", "person": "H60"}],
        ),
        # Her birth: its day is her date of birth, and is left out of the chronology.
        _event(
            HEALTH,
            "H62",
            event_type="birth",
            occurred_at=f"{BIRTHS['P60'].isoformat()}T08:00:00",
            links=[{"role": "subject", "person": "H60"}],
        ),
    ]
    return records


def _id(agency: str, kind: str, rid: str) -> str:
    return record_id(kind, agency, SYSTEMS[agency], rid)


GIRL = "mp_katherine"
BROTHER = _id(AGENCY, "person", "P61")
MOTHER = _id(AGENCY, "person", "P62")


@dataclass(frozen=True)
class Family:
    world: World
    concerns: list[int]


@pytest.fixture
def family(world: World, tmp_path: Path) -> Family:
    """The family recorded, judged, and worked on: an action assigned and one done with notes,
    the school's acknowledgement with a note, and a concern closed with a reason."""
    db = world.db
    summary = import_files(db, [write_jsonl(tmp_path / "family.jsonl", _records())])
    link_as_one(
        db,
        {GIRL: [_id(AGENCY, "person", "P60")] + [_id(a, "person", r) for a, r in (
            (CSC, "C60"), (SCHOOLS, "U60"), (HEALTH, "H60"))]},
    )  # fmt: skip
    evaluate_events(db, summary.events_touched)
    notes = iter(_texts(4))
    children = {GIRL, BROTHER, *(_id(AGENCY, "person", p) for p in ("P60",))}
    with db.session(write=True) as session:
        concerns = list(
            session.scalars(
                select(Concern.id)
                .where(Concern.child_id.in_(sorted(children)))
                .order_by(Concern.id)
            )
        )
        assert len(concerns) >= 3, "the family's records should raise concerns"
        actions = list(
            session.scalars(
                select(Action).where(Action.concern_id.in_(concerns)).order_by(Action.id)
            )
        )
        assert len(actions) >= 2
        action_rules.assign_action(session, actions[0].id, STAFF[2], STAFF[2])
        action_rules.complete_action(session, actions[1].id, STAFF[0], next(notes)[:3900])
        notification = session.scalar(
            select(Notification).where(
                Notification.concern_id.in_(concerns), Notification.organisation.is_not(None)
            )
        )
        assert notification is not None, "the school should be told"
        acknowledge(
            session,
            notification.id,
            role=Role.SCHOOL,
            organisation=notification.organisation,
            by=STAFF[1],
            note=next(notes),
        )
        concern_rules.close(session, concerns[-1], by=STAFF[0], reason=next(notes))
    return Family(world, concerns)


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every GET route the case reviewer's role is given in the permission table."""
    found = []
    for route in all_routes(app.routes):
        allowed = PERMISSIONS.get(route.name or "")
        reviewer = isinstance(allowed, frozenset) and Role.CASE_REVIEWER in allowed
        if reviewer and "GET" in route.methods:
            found.append((route.path, route.name or ""))
    return sorted(found)


_HREF = re.compile(r'(?:href|action|src)="([^"]+)"')
_KEYED = re.compile(r"/case-review/(concerns|children)/([^/?#\"]+)")


def _keys_in(value: Any, kind: str | None, found: dict[str, set[str]]) -> None:
    """Keys of concerns and children in a JSON answer, by the field that holds them."""
    if isinstance(value, dict):
        for field, inner in value.items():
            if field == "concern_id" and isinstance(inner, str):
                found["concerns"].add(inner)
            elif field in ("child_id", "key") and isinstance(inner, str):
                found["children"].add(inner)
            elif field == "id" and isinstance(inner, str) and kind == "concerns":
                found["concerns"].add(inner)
            elif field == "concerns":
                _keys_in(inner, "concerns", found)
            else:
                _keys_in(inner, None, found)
    elif isinstance(value, list):
        for item in value:
            _keys_in(item, kind, found)


@dataclass
class Crawl:
    bodies: dict[str, str]  # address -> what it answered (headers included)
    statuses: dict[str, int]


def _crawl(reviewer: Browser, app: FastAPI) -> Crawl:
    """Every route the role may use, with every key any answer hands out, until no new ones."""
    routes = _routes(app)
    keys: dict[str, set[str]] = {"concerns": set(), "children": set()}
    crawl = Crawl({}, {})
    while True:
        pending = []
        for path, name in routes:
            params = re.findall(r"{(\w+)}", path)
            if not params:
                pending.append(path)
                continue
            kind = next((k for k in keys if f"/{k}/" in path), None)
            unknown = f"the leak test does not know how to fill in {path} ({name}): teach it"
            assert kind is not None, unknown
            assert params == ["key"], unknown
            pending.extend(path.replace("{key}", k) for k in sorted(keys[kind]))
        new = [p for p in pending if p not in crawl.bodies]
        if not new:
            return crawl
        for address in new:
            response = reviewer.client.get(address)
            headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
            crawl.bodies[address] = f"{headers}\n\n{response.text}"
            crawl.statuses[address] = response.status_code
            for link in [*_HREF.findall(response.text), response.headers.get("location", "")]:
                crawl.bodies.setdefault(f"link {link}", link)
                for kind, key in _KEYED.findall(link):
                    keys[kind].add(key)
            if response.headers.get("content-type", "").startswith("application/json"):
                _keys_in(response.json(), None, keys)


def _word(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(fold(needle))}(?!\w)")


def test_more_than_two_hundred_identifiers_are_planted_in_the_records(family: Family) -> None:
    assert len(set(PLANTED)) >= 200
    with family.world.db.session() as session:
        events = session.execute(select(Event.summary, Event.outcome, Event.details)).all()
        texts = {
            "summaries": [e.summary for e in events],
            "outcomes": [e.outcome for e in events],
            "details (the child's words)": [str(e.details) for e in events],
            "closure reasons": list(session.scalars(select(Concern.closed_reason))),
            "action notes": list(session.scalars(select(Action.note))),
            "the concerns' history": list(session.scalars(select(ConcernLog.why))),
        }
        records = [str(r) for r in session.scalars(select(Person.record))]
    for where, found in texts.items():
        written = fold(" ".join(t for t in found if t))
        assert sum(bool(_word(p).search(written)) for p in PLANTED) >= 8, where
    everything = fold(" ".join(t for found in texts.values() for t in found if t) + str(records))
    assert [p for p in PLANTED if not _word(p).search(everything)] == []


def test_no_case_review_page_or_answer_holds_anything_recorded(
    family: Family, signed_in: SignIn, app: FastAPI
) -> None:
    reviewer = signed_in(Role.CASE_REVIEWER)
    crawl = _crawl(reviewer, app)
    names = Pseudonyms(SECRET)
    # Everything the role may use was opened, the family's pages among them.
    opened = {urlsplit(a).path for a in crawl.statuses}
    for path, name in _routes(app):
        pattern = "^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(path)) + "$"
        assert any(re.match(pattern, p) for p in opened), f"{name} was never opened"
    girl = names.token(CHILD_KEY, GIRL)
    assert crawl.statuses[f"/case-review/children/{girl}"] == 200
    assert crawl.statuses[f"/api/v1/case-review/children/{girl}"] == 200
    for concern in family.concerns:
        assert (
            crawl.statuses[f"/case-review/concerns/{names.token(CONCERN_KEY, str(concern))}"] == 200
        )
    # The pages are useful: the family is there, under pseudonyms, with ages and agency kinds.
    page = crawl.bodies[f"/case-review/children/{girl}"]
    assert f"<h1>{names.person(GIRL, True)}</h1>" in page
    assert "Aged 10" in page
    assert "children&#39;s social care" in page
    assert "Birth</strong> (date left out: it is someone's date of birth)" in page
    assert "Primary school " in " ".join(crawl.bodies.values())

    with family.world.db.session() as session:
        real_ids = [str(c) for c in session.scalars(select(Concern.id))]
    record_ids = [GIRL, BROTHER, MOTHER, TEEN] + [
        _id(a, k, r)
        for a, k, r in (
            (AGENCY, "person", "P60"),
            (AGENCY, "event", "E60"),
            (AGENCY, "location", "L60"),
            (SCHOOLS, "location", "S60"),
            (CSC, "person", "C60"),
        )
    ]
    patterns = {p: _word(p) for p in [*PLANTED, *record_ids]}
    births = [b.strftime("%d %b %Y") for b in BIRTHS.values()]  # as pages write dates
    leaks = []
    for address, body in crawl.bodies.items():
        folded = fold(body)
        leaks += [(address, p) for p, pattern in patterns.items() if pattern.search(folded)]
        leaks += [(address, b) for b in births if b.casefold() in folded]
        path = urlsplit(address.removeprefix("link ")).path
        leaks += [(address, s) for s in path.split("/") if s in real_ids]
    leaked = sorted({found for _, found in leaks})
    assert not leaks, f"{len(leaks)} leaks of {len(leaked)} identifiers: {leaked}; {leaks[:5]}"


def test_only_children_open_under_the_child_route(family: Family, signed_in: SignIn) -> None:
    reviewer = signed_in(Role.CASE_REVIEWER).client
    names = Pseudonyms(SECRET)
    for api in ("", "/api/v1"):
        children = f"{api}/case-review/children"
        assert reviewer.get(f"{children}/{names.token(CHILD_KEY, BROTHER)}").status_code == 200
        # An adult no concern was raised about is not found, under any key or id.
        assert reviewer.get(f"{children}/{names.token(CHILD_KEY, MOTHER)}").status_code == 404
        assert reviewer.get(f"{children}/{MOTHER}").status_code == 404
        # Real ids are not keys, and a concern's key does not open a child.
        assert reviewer.get(f"{children}/{GIRL}").status_code == 404
        concern = family.concerns[0]
        assert (
            reviewer.get(f"{children}/{names.token(CONCERN_KEY, str(concern))}").status_code == 404
        )
        assert reviewer.get(f"{api}/case-review/concerns/{concern}").status_code == 404
    # Someone a concern was raised about at 17, now 18, opens, and is called an adult.
    jordan = names.token(CHILD_KEY, TEEN)
    page = reviewer.get(f"/case-review/children/{jordan}").text
    assert f"<h1>{names.person(TEEN, False)}</h1>" in page
    assert "An adult now" in page
    listing = reviewer.get("/case-review").text
    assert f">{names.person(TEEN, False)}</a>" in listing
    assert f">{names.person(TEEN, True)}</a>" not in listing
