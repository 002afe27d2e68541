"""Name lists shipped with the package, and weighted draws from them.

Lists are plain text in ``synth/data``: most common first, so a rank-based (Zipf-like) weight gives
the skew seen in real registers, where a handful of surnames account for a large share of people.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

# Which name pools a self-defined ethnicity draws from. Names follow community, loosely: a share of
# every community carries names from the general British pool, as in real registers.
COMMUNITY_OF_ETHNICITY: dict[str, str] = {
    "white_british": "british",
    "white_irish": "irish",
    "white_gypsy_irish_traveller": "irish",
    "white_roma": "east_european",
    "white_other": "east_european",
    "asian_bangladeshi": "south_asian_muslim",
    "asian_pakistani": "south_asian_muslim",
    "asian_indian": "indian",
    "asian_chinese": "chinese",
    "asian_other": "indian",
    "black_african": "west_african",
    "black_caribbean": "caribbean",
    "black_other": "caribbean",
    "mixed_white_asian": "british",
    "mixed_white_black_african": "british",
    "mixed_white_black_caribbean": "caribbean",
    "mixed_other": "british",
    "other_arab": "arabic",
    "other_any": "british",
    "not_stated": "british",
}
# Communities whose given names come from the general British lists.
BRITISH_GIVEN = frozenset({"british", "caribbean"})


@dataclass
class Pool:
    """Names with cumulative rank weights, for fast weighted choice."""

    names: list[str]
    cum: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        weights = [1.0 / (rank + 1) ** 0.85 for rank in range(len(self.names))]
        self.cum = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> str:
        return self.names[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def _lines(name: str) -> list[list[str]]:
    text = resources.files("childfirst.synth").joinpath("data", name).read_text("utf-8")
    return [ln.split() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@dataclass(frozen=True)
class Names:
    uk_given: dict[tuple[str, str], Pool]  # (era, sex)
    community_given: dict[tuple[str, str], Pool]  # (community, sex)
    surnames: dict[str, Pool]
    nicknames: dict[str, list[str]]
    streets: list[str]

    def given(self, rng: random.Random, community: str, sex: str, birth_year: int) -> str:
        if community in BRITISH_GIVEN or rng.random() < 0.12:
            era = "old" if birth_year < 1965 else "mid" if birth_year < 1995 else "young"
            return self.uk_given[(era, sex)].draw(rng)
        return self.community_given[(community, sex)].draw(rng)

    def surname(self, rng: random.Random, community: str) -> str:
        pool = self.surnames.get(community, self.surnames["british"])
        return pool.draw(rng)

    def variants(self, given: str) -> list[str]:
        return self.nicknames.get(given, [])


@cache
def load() -> Names:
    uk: dict[tuple[str, str], Pool] = {}
    for era, sex, *names in _lines("given_uk.txt"):
        uk[(era, sex)] = Pool(names)
    comm: dict[tuple[str, str], Pool] = {}
    for community, sex, *names in _lines("given_communities.txt"):
        comm[(community, sex)] = Pool(names)
    surnames = {community: Pool(names) for community, *names in _lines("surnames.txt")}
    nick: dict[str, list[str]] = {}
    text = resources.files("childfirst.synth").joinpath("data", "nicknames.txt").read_text("utf-8")
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            formal, rest = line.split(":", 1)
            variants = [v.strip() for v in rest.split(",") if v.strip() != formal.strip()]
            nick[formal.strip()] = [v for v in variants if v]
    streets = [row[0] for row in _lines("streets.txt")]
    return Names(uk, comm, surnames, nick, streets)
