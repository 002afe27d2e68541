"""Identity noise: the ways one agency's record of a person drifts from another's.

Each agency has a profile of error rates. Police records carry the most noise (names taken at the
roadside, ages estimated by an officer); health records the least (held against an NHS number).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from childfirst.synth.names import Names

_KEY_NEIGHBOURS = {
    "a": "sq",
    "e": "wr",
    "i": "uo",
    "o": "ip",
    "u": "yi",
    "n": "mb",
    "m": "n",
    "r": "et",
    "t": "ry",
    "s": "ad",
    "l": "k",
    "h": "gj",
    "c": "xv",
    "y": "tu",
    "d": "sf",
    "k": "jl",
}


@dataclass(frozen=True)
class Profile:
    nickname: float  # a known-as or variant given name
    typo: float  # per name part
    dob_missing: float  # adults only
    dob_estimated: float
    dob_transposed: float
    dob_digit: float
    sex_unknown: float
    ethnicity_recorded: float
    middle_recorded: float
    duplicate: float  # chance, on meeting a known person again, of opening a second record
    alias: float  # the record lists a nickname or previous name as an alias


PROFILES: dict[str, Profile] = {
    "police": Profile(0.12, 0.035, 0.06, 0.03, 0.015, 0.015, 0.02, 0.55, 0.4, 0.02, 0.25),
    "childrens_social_care": Profile(
        0.08, 0.02, 0.05, 0.01, 0.01, 0.01, 0.01, 0.85, 0.5, 0.01, 0.15
    ),
    "education": Profile(0.06, 0.015, 0.15, 0.0, 0.005, 0.005, 0.003, 0.95, 0.7, 0.004, 0.05),
    "health": Profile(0.03, 0.01, 0.0, 0.0, 0.004, 0.004, 0.005, 0.8, 0.9, 0.005, 0.02),
}


def typo(rng: random.Random, text: str) -> str:
    """One keying error: swap two letters, drop one, double one, or hit a neighbouring key."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.3 and text[i].isalpha() and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind < 0.55:
        return text[:i] + text[i + 1 :]
    if kind < 0.7:
        return text[:i] + text[i] + text[i:]
    near = _KEY_NEIGHBOURS.get(text[i].lower())
    if not near:
        return text[:i] + text[i + 1 :]
    return text[:i] + rng.choice(near) + text[i + 1 :]


def given_name(rng: random.Random, names: Names, given: str, profile: Profile) -> str:
    if rng.random() < profile.nickname:
        variants = names.variants(given)
        if variants:
            return rng.choice(variants)
    if rng.random() < profile.typo:
        return typo(rng, given)
    return given


def family_name(rng: random.Random, surname: str, profile: Profile) -> str:
    if "-" in surname and rng.random() < 0.3:
        parts = surname.split("-")
        return parts[-1] if rng.random() < 0.5 else " ".join(parts)
    if rng.random() < profile.typo:
        return typo(rng, surname)
    if rng.random() < profile.typo / 3:
        return surname.upper()
    return surname


def date_of_birth(
    rng: random.Random, dob: date, adult: bool, profile: Profile
) -> tuple[date | None, str]:
    """The recorded date of birth and its precision."""
    if adult and rng.random() < profile.dob_missing:
        return None, "exact"
    if adult and rng.random() < profile.dob_estimated:
        age_guess = dob.year + rng.randint(-3, 3)
        return date(age_guess, 1, 1), "estimated" if rng.random() < 0.6 else "year"
    r = rng.random()
    if r < profile.dob_transposed and dob.day <= 12 and dob.day != dob.month:
        swapped = date(dob.year, dob.day, dob.month)
        if adult or swapped < dob:  # a child's recorded birthday never lies in the future
            return swapped, "exact"
    r -= profile.dob_transposed
    if r < profile.dob_digit:
        day = dob.day
        candidates = (day + 1, day - 1, day + 10, day - 10) if adult else (day - 1, day - 10)
        options = [d for d in candidates if 1 <= d <= 28]
        if options:
            return date(dob.year, dob.month, rng.choice(options)), "exact"
        year = dob.year + rng.choice((-1, 1, -10, 10) if adult else (-1,))
        return date(year, dob.month, min(dob.day, 28)), "exact"
    return dob, "exact"
