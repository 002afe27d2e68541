"""The area being recorded: the true world plus every agency's source, and shared helpers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from childfirst.synth.sources import Source
from childfirst.synth.world import ENGLAND, SCOTLAND, World

PLACES = [
    ("outside the Co-op, Market Street", "business"),
    ("the bus station", "public_place"),
    ("Riverside Park", "public_place"),
    ("the retail park car park", "public_place"),
    ("the railway station", "public_place"),
    ("the Wheatsheaf public house", "business"),
    ("the skate park, Jubilee Fields", "public_place"),
    ("McColl's, High Street", "business"),
    ("the Premier Inn", "hotel"),
    ("the leisure centre", "public_place"),
    ("the canal towpath by Mill Bridge", "public_place"),
    ("the takeaway, Castle Street", "business"),
]
POLICE = {ENGLAND: "northmoor-police", SCOTLAND: "police-scotland"}


@dataclass
class Area:
    world: World
    sources: dict[str, Source]
    seed: int
    trajectory_events: int = 0
    schools: dict[tuple[str, str], int] = field(default_factory=dict)

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}/{name}")

    def juris_of(self, pid: int, day: int) -> str:
        addr = self.world.address_of(pid, day)
        return addr.jurisdiction if addr else ENGLAND

    def police(self, jurisdiction: str) -> Source:
        return self.sources[POLICE[jurisdiction]]

    def home(self, src: Source, pid: int, day: int) -> str | None:
        addr = self.world.address_of(pid, day)
        return src.location(addr.aid) if addr else None

    def town_of(self, pid: int, day: int) -> tuple[str, str]:
        addr = self.world.address_of(pid, day)
        return (addr.town, addr.jurisdiction) if addr else ("Northmoor", ENGLAND)

    def public_place(self, src: Source, rng: random.Random, town: str, juris: str) -> str:
        line, kind = PLACES[rng.randrange(len(PLACES))]
        return src.place(f"{town}:{line}", f"{line[0].upper()}{line[1:]}, {town}", kind, juris)

    def custody(self, src: Source, juris: str) -> str:
        if juris == SCOTLAND:
            return src.place(
                "custody",
                "Glenmuir Police Office custody centre, Glenmuir",
                "custody_suite",
                SCOTLAND,
            )
        return src.place(
            "custody", "Northmoor Police Station custody suite, Northmoor", "custody_suite", ENGLAND
        )

    def hospital(self, src: Source, juris: str) -> str:
        if juris == SCOTLAND:
            return src.place(
                "hospital:s", "Glenmuir Royal Infirmary, Glenmuir", "hospital", SCOTLAND
            )
        return src.place("hospital:e", "Northmoor General Hospital, Northmoor", "hospital", ENGLAND)

    def school(self, src: Source, pid: int, day: int) -> str:
        town, juris = self.town_of(pid, day)
        age = self.world.people[pid].age_on(day)
        phase = "Primary School" if age < 11 else "Academy" if juris == ENGLAND else "High School"
        name = {
            ("Primary School", 0): "St Cuthbert's",
            ("Primary School", 1): f"{town} Church of England",
            ("Academy", 0): f"{town}",
            ("Academy", 1): "Fellview",
            ("High School", 0): f"{town}",
            ("High School", 1): f"{town}",
        }[(phase, pid % 2)]
        return src.place(
            f"school:{town}:{phase}:{pid % 2}", f"{name} {phase}, {town}", "school", juris
        )
