"""Stop and search, arrest and custody of children by age band and ethnic group, as rates per
1,000 children of that group and age in the population, and as a ratio to the rate for White
children (the comparison the Home Office's stop and search statistics make).

Each event counts once for each child in it in the measured role: a child searched three times
counts three times. Ethnicity is the person's self-defined ethnicity as recorded; when a person's
records disagree the most frequent answer is used, and a person with none is "Not recorded".

The denominators are a ``Population``: by default ``store_population``, the children known to the
store on a date, one per person. In the synthetic area every resident child is known to a school
or to health, so this is the area's child population. In a live force it leaves out children no
agency has recorded, and a force should supply its census figures instead (``Population`` takes
any counts by group and age band, with a note of where they came from).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.clock import local_date
from childfirst.reports.people import (
    age_at_event,
    child_age,
    in_events,
    master_keys,
    precision_of,
)
from childfirst.reports.periods import Period
from childfirst.store.models import Event, Person

# Census 2021 high-level ethnic groups, by the prefix of the recorded category.
GROUPS = ("Asian", "Black", "Mixed", "White", "Other", "Not recorded")
_GROUP_OF_PREFIX = {
    "asian": "Asian",
    "black": "Black",
    "mixed": "Mixed",
    "white": "White",
    "other": "Other",
}
COMPARISON = "White"
AGE_BANDS = (("Under 10", 0, 9), ("10 to 13", 10, 13), ("14 to 15", 14, 15), ("16 to 17", 16, 17))
ALL_AGES = "All ages"
# Rates from fewer events than this are shown but marked: one event more or less moves them a lot.
LOW_COUNT = 10
PER = 1000


@dataclass(frozen=True)
class Measure:
    event_type: str
    label: str
    roles: tuple[str, ...]


MEASURES = (
    Measure("stop_and_search", "Stop and search", ("subject",)),
    Measure("arrest", "Arrest", ("suspect", "subject", "detainee")),
    Measure("custody_detention", "Held in custody", ("detainee",)),
)


def group_of(ethnicity: str | None) -> str:
    if not ethnicity or ethnicity == "not_stated":
        return "Not recorded"
    return _GROUP_OF_PREFIX.get(ethnicity.split("_", 1)[0], "Other")


def band_of(age: int) -> str:
    return next(label for label, low, high in AGE_BANDS if low <= age <= high)


@dataclass(frozen=True)
class Population:
    """Children by (ethnic group, age band), with where the figures came from."""

    counts: dict[tuple[str, str], int]
    on: date
    source: str

    def of(self, group: str, band: str = ALL_AGES) -> int:
        if band == ALL_AGES:
            return sum(n for (g, _), n in self.counts.items() if g == group)
        return self.counts.get((group, band), 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _ethnicity_by_person(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """The group of every person (by master person) and the master of every record."""
    rows = session.execute(select(Person.id, Person.ethnicity)).all()
    keys = master_keys(session, [r[0] for r in rows])
    answers: dict[str, Counter[str]] = {}
    for person_id, ethnicity in rows:
        tally = answers.setdefault(keys[person_id], Counter())
        if ethnicity and ethnicity != "not_stated":
            tally[ethnicity] += 1
    groups = {
        key: group_of(min(tally.items(), key=lambda kv: (-kv[1], kv[0]))[0] if tally else None)
        for key, tally in answers.items()
    }
    return groups, keys


STORE_SOURCE = (
    "children known to this system on {on}, one per person after record linkage, by their "
    "recorded self-defined ethnicity"
)


def store_population(
    session: Session, on: date, known: tuple[dict[str, str], dict[str, str]] | None = None
) -> Population:
    """The children the store knows of on ``on``, one per person, by group and age band."""
    groups, keys = known or _ethnicity_by_person(session)
    ages: dict[str, int] = {}
    for person_id, dob, precision in session.execute(
        select(Person.id, Person.date_of_birth, Person.dob_precision).where(
            Person.date_of_birth.is_not(None)
        )
    ):
        age = child_age(dob, precision_of(precision), on)
        if age is not None:
            key = keys[person_id]
            # Records of one person may disagree by a year or so; keep the youngest reading, as
            # the age rules do.
            ages[key] = min(age, ages.get(key, age))
    counts = Counter((groups[key], band_of(age)) for key, age in ages.items())
    return Population(dict(counts), on, STORE_SOURCE.format(on=on.strftime("%d %B %Y")))


@dataclass(frozen=True)
class Rate:
    group: str
    band: str
    events: int
    population: int
    per_1000: float | None  # None when the population is empty
    ratio: float | None  # to the comparison group's rate in the same band

    @property
    def low_count(self) -> bool:
        return self.events < LOW_COUNT


@dataclass(frozen=True)
class MeasureRates:
    measure: Measure
    events: int
    rates: list[Rate]  # every group for all ages, then every group for each band

    def for_band(self, band: str = ALL_AGES) -> list[Rate]:
        return [r for r in self.rates if r.band == band]


@dataclass(frozen=True)
class Disproportionality:
    period: Period
    population: Population
    measures: list[MeasureRates]


def _count(
    session: Session, period: Period, measure: Measure, groups: dict[str, str]
) -> Counter[tuple[str, str]]:
    query = select(
        Event.id, Event.occurred_at, Person.id, Person.date_of_birth, Person.dob_precision
    )
    rows = session.execute(in_events(query, measure.event_type, measure.roles, period)).all()
    keys = master_keys(session, [r[2] for r in rows])
    seen: set[tuple[str, str]] = set()
    counts: Counter[tuple[str, str]] = Counter()
    for event_id, at, person_id, dob, precision in rows:
        age = age_at_event(dob, precision, at)
        key = keys[person_id]
        if age is None or (event_id, key) in seen:
            continue
        seen.add((event_id, key))
        counts[(groups.get(key, "Not recorded"), band_of(age))] += 1
    return counts


def _rates(counts: Counter[tuple[str, str]], population: Population) -> list[Rate]:
    rates: list[Rate] = []
    for band in (ALL_AGES, *(label for label, _, _ in AGE_BANDS)):

        def count(group: str, band: str = band) -> int:
            if band == ALL_AGES:
                return sum(n for (g, _), n in counts.items() if g == group)
            return counts.get((group, band), 0)

        def rate(group: str, band: str = band) -> float | None:
            people = population.of(group, band)
            return PER * count(group, band) / people if people else None

        comparison = rate(COMPARISON)
        for group in GROUPS:
            mine = rate(group)
            ratio = (
                mine / comparison
                if mine is not None and comparison and group not in (COMPARISON, "Not recorded")
                else None
            )
            rates.append(Rate(group, band, count(group), population.of(group, band), mine, ratio))
    return rates


def disproportionality(
    session: Session, period: Period, population: Population | None = None
) -> Disproportionality:
    """Rates for every measure over the period; the population defaults to the store's children
    on the last day of the period."""
    known = _ethnicity_by_person(session)
    groups = known[0]
    population = population or store_population(session, local_date(period.end), known)
    measures = []
    for measure in MEASURES:
        counts = _count(session, period, measure, groups)
        measures.append(MeasureRates(measure, sum(counts.values()), _rates(counts, population)))
    return Disproportionality(period, population, measures)
