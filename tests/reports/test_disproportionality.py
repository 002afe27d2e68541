"""Disproportionality as rates per 1,000 children of each group, with the ratio to White
children; ethnicity read for monitoring only."""

from __future__ import annotations

import ast
import inspect
from datetime import date
from pathlib import Path

import pytest

import childfirst.rules
from childfirst.reports.disproportionality import (
    ALL_AGES,
    Disproportionality,
    Population,
    Rate,
    disproportionality,
    group_of,
    store_population,
)
from childfirst.store.database import Database
from tests.reports.conftest import PERIOD


@pytest.fixture
def found(reports_db: Database) -> Disproportionality:
    with reports_db.session() as session:
        return disproportionality(session, PERIOD)


def _rate(found: Disproportionality, event_type: str, group: str, band: str = ALL_AGES) -> Rate:
    measure = next(m for m in found.measures if m.measure.event_type == event_type)
    return next(r for r in measure.for_band(band) if r.group == group)


def test_the_population_is_the_children_known_on_the_last_day(found: Disproportionality) -> None:
    population = found.population
    assert population.on == date(2026, 3, 15)
    assert population.of("White") == 4
    assert population.of("Black") == 2  # the Black adult is not a child
    assert population.of("Asian") == 1
    assert population.of("Not recorded") == 1
    assert population.of("White", "14 to 15") == 2
    assert population.of("White", "Under 10") == 1
    assert "children known to this system on 15 March 2026" in population.source


def test_stop_and_search_rates_per_1000_and_the_ratio_to_white(found: Disproportionality) -> None:
    black = _rate(found, "stop_and_search", "Black")
    white = _rate(found, "stop_and_search", "White")
    assert (black.events, black.population, black.per_1000) == (2, 2, 1000.0)
    assert (white.events, white.population, white.per_1000) == (1, 4, 250.0)
    assert black.ratio == pytest.approx(4.0)
    assert white.ratio is None
    assert black.low_count
    measure = found.measures[0]
    assert measure.events == 3  # the adult's search and the search before the period are out


def test_arrest_and_custody_by_age_band(found: Disproportionality) -> None:
    arrest = _rate(found, "arrest", "Black", "16 to 17")
    assert (arrest.events, arrest.population, arrest.per_1000) == (1, 1, 1000.0)
    held_white = _rate(found, "custody_detention", "White", "14 to 15")
    assert (held_white.events, held_white.per_1000) == (1, 500.0)
    asian = _rate(found, "custody_detention", "Asian")
    assert (asian.events, asian.per_1000, asian.ratio) == (0, 0.0, 0.0)


def test_a_force_can_supply_census_figures_instead(reports_db: Database) -> None:
    census = Population(
        {("Black", "14 to 15"): 400, ("White", "14 to 15"): 4000}, date(2021, 3, 21), "Census"
    )
    with reports_db.session() as session:
        found = disproportionality(session, PERIOD, census)
    black = _rate(found, "stop_and_search", "Black")
    assert black.per_1000 == pytest.approx(5.0)
    assert found.population.source == "Census"


def test_groups_follow_the_census_categories() -> None:
    assert group_of("mixed_white_black_caribbean") == "Mixed"
    assert group_of("other_arab") == "Other"
    assert group_of("not_stated") == group_of(None) == "Not recorded"


def test_only_children_are_in_the_population(reports_db: Database) -> None:
    with reports_db.session() as session:
        population = store_population(session, date(2026, 3, 15))
    assert population.total == 8


def test_the_rules_never_import_the_reports() -> None:
    package = Path(inspect.getfile(childfirst.rules)).parent
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        ] + [a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names]
        assert not [m for m in imported if m.startswith("childfirst.reports")], path.name
