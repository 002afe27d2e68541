"""One agency's view of the area: its own person, location and relationship records, and its events.

A source only holds records for the people it has met. Each record is made from the true person with
the agency's noise profile applied, under the agency's own id scheme. Events are serialised as they
are made (to keep memory flat); the other records are written at the end, ahead of the events, so
that every reference in a file points to a record earlier in the same file.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import orjson

from childfirst.synth import noise
from childfirst.synth.names import Names
from childfirst.synth.world import ENGLAND, SCOTLAND, World, iso, stamp


@dataclass(frozen=True)
class Agency:
    code: str
    kind: str
    system: str
    jurisdiction: str | None  # the police force's own jurisdiction; None for partners


AGENCIES: dict[str, Agency] = {
    "northmoor-police": Agency("northmoor-police", "police", "niche", ENGLAND),
    "police-scotland": Agency(
        "police-scotland", "police", "interim-vulnerable-persons-db", SCOTLAND
    ),
    "northmoor-csc": Agency("northmoor-csc", "childrens_social_care", "mosaic", None),
    "northmoor-schools": Agency("northmoor-schools", "education", "sims", None),
    "northmoor-health": Agency("northmoor-health", "health", "systmone", None),
}
FORCE_AREA = {ENGLAND: "northmoor", SCOTLAND: "police-scotland"}
PARTS = ("location", "object", "relationship", "event")  # the order they appear in the file
_REF_KEYS: dict[tuple[str, int], str] = {}


def _nhs_number(n: int) -> str:
    """A ten-digit number with a valid NHS modulus-11 check digit, in the test range (999...)."""
    while True:
        body = f"999{n:06d}"
        total = 9 * 10 + 9 * 9 + 9 * 8
        rest = n
        for weight in (2, 3, 4, 5, 6, 7):
            total += (rest % 10) * weight
            rest //= 10
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return body + str(check)
        n += 500_000


class SourcePerson:
    __slots__ = (
        "aliases",
        "dob",
        "ethnicity",
        "family",
        "given",
        "last_aid",
        "middle",
        "pid",
        "precision",
        "sex",
        "sid",
        "spells",
    )

    def __init__(self, sid: str, pid: int) -> None:
        self.sid = sid
        self.pid = pid
        self.given: str = ""
        self.middle: str | None = None
        self.family: str = ""
        self.aliases: list[dict[str, str]] = []
        self.dob: str | None = None
        self.precision = "exact"
        self.sex = "unknown"
        self.ethnicity: str | None = None
        self.spells: list[list[str | None]] = []
        self.last_aid = -1


class Source:
    def __init__(self, agency: Agency, world: World, names: Names, seed: int, folder: Path):
        self.agency = agency
        self.world = world
        self.names = names
        self.rng = random.Random(f"{seed}/noise/{agency.code}")
        self.dup_rng = random.Random(f"{seed}/duplicates/{agency.code}")
        self.profile = noise.PROFILES[agency.kind]
        self.src = {"agency": agency.code, "agency_kind": agency.kind, "system": agency.system}
        self.people: dict[int, list[SourcePerson]] = {}
        self.order: list[SourcePerson] = []
        self.by_sid: dict[str, SourcePerson] = {}
        self.locations: dict[object, str] = {}
        # Records that never change once made go straight to part files, in the order the final
        # file needs; persons are written at the end, when their address histories are complete.
        self.part_paths = {k: folder / f".{agency.code}.{k}.part" for k in PARTS}
        self.parts: dict[str, IO[bytes]] = {
            k: path.open("wb", buffering=1 << 20) for k, path in self.part_paths.items()
        }
        self.objects: dict[str, str] = {}
        self.relationships: set[tuple[str, str, str]] = set()
        self.event_count = 0
        self.refs: dict[str, int] = {}
        self._ids = {"person": 0, "location": 0, "object": 0, "relationship": 0}
        self._fosters: set[int] | None = None
        self._event_prefix = {
            "northmoor-police": "NE",
            "police-scotland": "PS:INC:",
            "northmoor-csc": "WS",
            "northmoor-schools": "SE",
            "northmoor-health": "HE",
        }[agency.code]

    # ids -------------------------------------------------------------------------------------
    def _next(self, kind: str) -> int:
        self._ids[kind] += 1
        return self._ids[kind]

    def _person_id(self, n: int, pid: int) -> str:
        code = self.agency.code
        if code == "northmoor-police":
            return f"NP{n + 400000:07d}"
        if code == "police-scotland":
            return f"PS:NOM:{n + 2_100_000:08d}"
        if code == "northmoor-csc":
            return str(300000 + n * 3 + pid % 3)
        if code == "northmoor-schools":
            return f"UPN-{'ABCDEFGHJKLMNPQRTUVWXYZ'[n % 23]}9{n + 10_000_000:011d}"
        return _nhs_number(n * 7 + 13)

    def _id(self, kind: str) -> str:
        n = self._next(kind)
        prefix = {
            "northmoor-police": {"location": "NL", "object": "NO", "relationship": "NR"},
            "police-scotland": {
                "location": "PS:LOC:",
                "object": "PS:PRO:",
                "relationship": "PS:LNK:",
            },
            "northmoor-csc": {"location": "ADR", "object": "OBJ", "relationship": "REL"},
            "northmoor-schools": {"location": "ADDR", "object": "ITEM", "relationship": "CONTACT"},
            "northmoor-health": {"location": "LOC", "object": "OBJ", "relationship": "RSHIP"},
        }[self.agency.code][kind]
        return f"{prefix}{n:07d}"

    def reference(self, day: int) -> str:
        key = _REF_KEYS.get((self.agency.code, day))
        if key is None:
            d = date.fromordinal(day)
            key = {
                "police-scotland": f"PS-{d:%Y%m%d}-",
                "northmoor-police": f"NM/{d:%y}/",
                "northmoor-csc": f"CSC-{d:%Y}-",
                "northmoor-schools": f"CP{d:%y}-",
                "northmoor-health": f"HX{d:%y}/",
            }[self.agency.code]
            _REF_KEYS[(self.agency.code, day)] = key
        n = self.refs.get(key, 0) + 1
        self.refs[key] = n
        return f"{key}{n:04d}" if key.startswith("PS-") else f"{key}{n:06d}"

    # records ---------------------------------------------------------------------------------
    def location(self, aid: int) -> str:
        sid = self.locations.get(aid)
        if sid is not None:
            return sid
        addr = self.world.addresses[aid]
        sid = self._id("location")
        self.locations[aid] = sid
        street = addr.street
        if self.agency.kind == "police" and self.rng.random() < 0.2:
            street = street.replace("Road", "Rd").replace("Street", "St").replace("Avenue", "Ave")
        line = f"{addr.number} {street}, {addr.town}"
        if self.agency.kind == "health":
            line = line.upper()
        kind = addr.kind
        if kind == "dwelling" and self.agency.kind == "childrens_social_care":
            if self._fosters is None:
                self._fosters = {
                    h.addresses[0][0] for h in self.world.households if h.kind == "foster"
                }
            kind = "foster_home" if aid in self._fosters else kind
        rec: dict[str, Any] = {
            "kind": "location",
            "source": {**self.src, "id": sid},
            "address": line,
            "location_type": kind,
            "force_area": FORCE_AREA[addr.jurisdiction],
            "jurisdiction": addr.jurisdiction,
        }
        if self.agency.kind != "police" or self.rng.random() < 0.93:
            rec["postcode"] = addr.postcode
        if self.agency.kind in ("health", "childrens_social_care") or self.rng.random() < 0.3:
            rec["uprn"] = addr.uprn
        self.parts["location"].write(orjson.dumps(rec, option=orjson.OPT_APPEND_NEWLINE))
        return sid

    def place(self, key: str, line: str, kind: str, jurisdiction: str) -> str:
        sid = self.locations.get(key)
        if sid is not None:
            return sid
        sid = self._id("location")
        self.locations[key] = sid
        rec = {
            "kind": "location",
            "source": {**self.src, "id": sid},
            "address": line,
            "location_type": kind,
            "force_area": FORCE_AREA[jurisdiction],
            "jurisdiction": jurisdiction,
        }
        self.parts["location"].write(orjson.dumps(rec, option=orjson.OPT_APPEND_NEWLINE))
        return sid

    def obj(self, identifier: str, object_type: str, description: str) -> str:
        sid = self.objects.get(identifier)
        if sid is None:
            sid = self._id("object")
            self.objects[identifier] = sid
            rec = {
                "kind": "object",
                "source": {**self.src, "id": sid},
                "object_type": object_type,
                "identifier": identifier,
                "description": description,
            }
            self.parts["object"].write(orjson.dumps(rec, option=orjson.OPT_APPEND_NEWLINE))
        return sid

    def person(self, pid: int, day: int) -> str:
        """The source id this agency uses for ``pid`` on ``day``, opening a record if needed."""
        records = self.people.get(pid)
        if records is None:
            rec = self._new_person(pid, day)
            self.people[pid] = [rec]
        elif len(records) < 3 and self.dup_rng.random() < self.profile.duplicate:
            rec = self._new_person(pid, day)
            records.append(rec)
        else:
            rec = records[0] if len(records) == 1 or self.dup_rng.random() < 0.6 else records[-1]
            self._update(rec, day)
        return rec.sid

    def _new_person(self, pid: int, day: int) -> SourcePerson:
        person = self.world.people[pid]
        rng, profile = self.rng, self.profile
        sid = self._person_id(self._next("person"), pid)
        rec = SourcePerson(sid, pid)
        rec.given = noise.given_name(rng, self.names, person.given, profile)
        if rec.given != person.given and rng.random() < profile.alias * 2:
            rec.aliases.append({"given_name": person.given, "kind": "alias"})
        if person.middle and rng.random() < profile.middle_recorded:
            rec.middle = person.middle
        surname = person.surname_on(day)
        rec.family = noise.family_name(rng, surname, profile)
        if len(person.surnames) > 1 and rng.random() < profile.alias * 2:
            previous = person.surnames[0][1] if surname != person.surnames[0][1] else None
            if previous:
                kind = (
                    "maiden" if person.sex == "female" and person.age_on(day) > 20 else "previous"
                )
                rec.aliases.append({"family_name": previous, "kind": kind})
        if rng.random() < profile.alias / 3:
            nicks = self.names.variants(person.given)
            if nicks:
                rec.aliases.append({"given_name": rng.choice(nicks), "kind": "nickname"})
        dob, precision = noise.date_of_birth(
            rng, date.fromordinal(person.dob), person.age_on(day) >= 18, profile
        )
        rec.dob = dob.isoformat() if dob else None
        rec.precision = precision
        rec.sex = "unknown" if rng.random() < profile.sex_unknown else person.sex
        if rng.random() < profile.ethnicity_recorded:
            rec.ethnicity = person.ethnicity if rng.random() < 0.96 else "not_stated"
        self.order.append(rec)
        self.by_sid[sid] = rec
        self._update(rec, day)
        return rec

    def _update(self, rec: SourcePerson, day: int) -> None:
        addr = self.world.address_of(rec.pid, day)
        if addr is None or addr.aid == rec.last_aid:
            return
        loc = self.location(addr.aid)
        precise = self.agency.kind != "police"
        since: str | None = iso(day)
        if precise:
            person = self.world.people[rec.pid]
            hid = person.household_on(day)
            for h, start, _ in person.homes:
                if h == hid and start <= day:
                    since = iso(max(start, self.world.households[h].addresses[0][1], person.dob))
        elif self.rng.random() < 0.5:
            since = None
        if (
            rec.spells
            and since is not None
            and rec.spells[-1][1]
            and since < str(rec.spells[-1][1])
        ):
            since = iso(day)
        if rec.spells and self.rng.random() < (0.9 if precise else 0.4):
            rec.spells[-1][2] = since or iso(day)
        rec.spells.append([loc, since, None])
        rec.last_aid = addr.aid
        surname = self.world.people[rec.pid].surname_on(day)
        if rec.family.lower() != surname.lower() and self.rng.random() < 0.3:
            rec.aliases.append({"family_name": rec.family, "kind": "previous"})
            rec.family = surname

    def name(self, sid: str) -> str:
        rec = self.by_sid[sid]
        return f"{rec.given} {rec.family.upper() if self.agency.kind == 'police' else rec.family}"

    def relate(self, a: str, b: str, rtype: str, start: int | None, end: int | None = None) -> None:
        if a == b:
            return
        key = (a, b, rtype)
        if key in self.relationships:
            return
        rec: dict[str, Any] = {
            "kind": "relationship",
            "source": {**self.src, "id": self._id("relationship")},
            "person": a,
            "other": b,
            "relationship_type": rtype,
        }
        if start is not None:
            rec["started_on"] = iso(start)
        if end is not None and end < self.world.end:
            rec["ended_on"] = iso(max(end, start or end))
        self.relationships.add(key)
        self.parts["relationship"].write(orjson.dumps(rec, option=orjson.OPT_APPEND_NEWLINE))

    def event(
        self,
        event_type: str,
        day: int,
        minute: int,
        location: str | None,
        links: list[tuple[str, str]],
        summary: str,
        outcome: str | None = None,
        details: dict[str, Any] | None = None,
        ended: tuple[int, int] | None = None,
        reference: str | None = None,
    ) -> str:
        self.event_count += 1
        sid = f"{self._event_prefix}{self.event_count:08d}"
        rec: dict[str, Any] = {
            "kind": "event",
            "source": {**self.src, "id": sid},
            "event_type": event_type,
            "occurred_at": stamp(day, minute),
            "reference": reference or self.reference(day),
            "summary": summary,
        }
        if location is not None:
            rec["location"] = location
        if ended is not None:
            rec["ended_at"] = stamp(*ended)
        if outcome:
            rec["outcome"] = outcome
        if details:
            rec["details"] = details
        seen: set[tuple[str, str]] = set()
        out = []
        for role, person in links:
            if (role, person) not in seen:
                seen.add((role, person))
                out.append(
                    {"role": role, "person": person}
                    if role not in ("used", "seized")
                    else {"role": role, "object": person}
                )
        rec["links"] = out
        self.parts["event"].write(orjson.dumps(rec, option=orjson.OPT_APPEND_NEWLINE))
        return sid

    def close(self) -> None:
        for part in self.parts.values():
            part.close()

    def person_records(self) -> Iterable[bytes]:
        for rec in self.order:
            name: dict[str, str] = {"given_name": rec.given, "family_name": rec.family}
            if rec.middle:
                name["middle_names"] = rec.middle
            out: dict[str, Any] = {
                "kind": "person",
                "source": {**self.src, "id": rec.sid},
                "name": name,
                "dob_precision": rec.precision,
                "sex": rec.sex,
            }
            if rec.aliases:
                out["aliases"] = rec.aliases
            if rec.dob:
                out["date_of_birth"] = rec.dob
            if rec.ethnicity:
                out["ethnicity"] = rec.ethnicity
            spells = []
            for loc, since, until in rec.spells[-100:]:
                spell: dict[str, str] = {"location": str(loc)}
                if since:
                    spell["from_date"] = since
                if until and (not since or until >= since):
                    spell["to_date"] = until
                spells.append(spell)
            out["addresses"] = spells
            yield orjson.dumps(out)
