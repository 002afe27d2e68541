"""The dashboards: charts with their tables, a period switch that works with and without
JavaScript, names only for roles that may open children's records, and rates per population."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from childfirst.domain.clock import to_local, utcnow
from childfirst.domain.roles import Role
from childfirst.ingest.importer import import_files
from tests.factories import event, person, write_jsonl
from tests.web.conftest import SignIn, World


@pytest.fixture
def held(world: World, tmp_path: Path) -> World:
    """A 15-year-old, self-defined as Black Caribbean, held in custody since two hours ago."""
    began = to_local(utcnow() - timedelta(hours=2)).replace(tzinfo=None, microsecond=0)
    born = (began - timedelta(days=15 * 365 + 100)).date().isoformat()
    records = [
        person("P20", "Reece", "Carter", date_of_birth=born, ethnicity="black_caribbean"),
        event(
            "E20",
            event_type="custody_detention",
            occurred_at=began.isoformat(),
            links=[{"role": "detainee", "person": "P20"}],
            details={},
        ),
    ]
    import_files(world.db, [write_jsonl(tmp_path / "held.jsonl", records)])
    return world


def test_the_dashboard_draws_each_chart_with_a_table(held: World, signed_in: SignIn) -> None:
    page = signed_in(Role.SUPERVISOR).client.get("/dashboards")
    assert page.status_code == 200
    text = page.text
    for chart in ("raised-chart", "overdue-chart", "missing-chart", "detentions-chart"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in text
    assert '<title id="raised-chart-title">Concerns raised each month</title>' in text
    assert "Concerns raised each month as a table" in text
    assert (
        '<caption class="visually-hidden">Actions overdue at the end of each month</caption>'
        in text
    )
    custody = text[text.index("<caption>Children held now</caption>") :]
    assert "Reece Carter</a></td><td>15</td>" in custody
    assert '<a href="/dashboards" aria-current="page">Dashboards</a>' in text


def test_an_analyst_sees_the_figures_without_names(held: World, signed_in: SignIn) -> None:
    page = signed_in(Role.ANALYST).client.get("/dashboards").text
    assert "<td>Child 1</td><td>15</td>" in page
    assert "Reece Carter" not in page


def test_the_period_switch_works_with_and_without_htmx(held: World, signed_in: SignIn) -> None:
    client = signed_in(Role.PUBLIC_PROTECTION).client
    page = client.get("/dashboards", params={"months": 24}).text
    assert '<option value="24" selected>Last 24 months</option>' in page
    assert 'method="get" action="/dashboards" hx-get="/dashboards" hx-target="#dashboard"' in page
    assert 'hx-select="#dashboard"' in page
    assert page.count('<tr><th scope="row">') >= 24  # a row for every month of a table
    swapped = client.get("/dashboards", params={"months": 6}, headers={"HX-Request": "true"})
    assert '<div id="dashboard">' in swapped.text
    unusual = client.get("/dashboards", params={"months": 7}).text
    assert '<option value="12" selected>' in unusual  # a period not on offer gives the default
    assert client.get("/dashboards", params={"months": "many"}).status_code == 422


def test_disproportionality_gives_rates_per_population_and_says_whose(
    held: World, signed_in: SignIn
) -> None:
    page = signed_in(Role.ADMINISTRATOR).client.get("/dashboards/disproportionality")
    assert page.status_code == 200
    text = page.text
    assert "<strong>Population used:</strong> children known to this system on" in text
    assert "never an input to any rule" in text
    custody = text[text.index('<h2 id="custody_detention">') :]
    assert '<title id="custody_detention-chart-title">Held in custody: rate per 1,000' in custody
    black = custody[custody.index('<th scope="row">Black</th>') :]
    # One Black child in the population, held once: 1,000 per 1,000 children, few events.
    assert black.startswith(
        '<th scope="row">Black</th><td>1</td><td>1</td>\n        <td>1000.0 <span class="hint">(few events)</span>'
    )


def test_dashboards_are_not_for_front_line_roles(signed_in: SignIn) -> None:
    officer = signed_in(Role.RESPONSE_OFFICER).client
    assert officer.get("/dashboards").status_code == 403
    assert officer.get("/dashboards/disproportionality").status_code == 403
    assert signed_in(Role.SCHOOL).client.get("/dashboards").status_code == 404
